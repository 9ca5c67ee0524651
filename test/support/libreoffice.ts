/** Runs LibreOffice Calc headless: a second spreadsheet engine that recalculates the workbooks we write. */
import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** Returns the path of soffice, or throws a message saying how to install it. */
export function requireSoffice(): string {
  const found = spawnSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { encoding: 'utf8' }).stdout.trim();
  if (found === '') {
    throw new Error('LibreOffice is not installed (no soffice on PATH): these tests need it. Install Debian\'s libreoffice-calc (apt-get install libreoffice-calc); .ci/run does.');
  }
  return found;
}

/** A LibreOffice profile that recalculates every formula when a file is loaded, instead of trusting cached results. */
function recalculatingProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scorecard-lo-'));
  mkdirSync(join(dir, 'user'), { recursive: true });
  const item = (name: string): string => `<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="${name}" oor:op="fuse"><value>0</value></prop></item>`;
  writeFileSync(join(dir, 'user', 'registrymodifications.xcu'), `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
${item('OOXMLRecalcMode')}
${item('ODFRecalcMode')}
</oor:items>
`);
  return dir;
}

/** Converts files with LibreOffice (`xlsx` recalculates and saves; `pdf` renders). Returns the output directory. */
export function convertWithLibreOffice(files: readonly string[], to: 'xlsx' | 'pdf', outDir: string): string {
  const soffice = requireSoffice();
  const profile = recalculatingProfile();
  execFileSync(soffice, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', to, '--outdir', outDir, ...files], {
    stdio: 'pipe', timeout: 180_000,
  });
  return outDir;
}
