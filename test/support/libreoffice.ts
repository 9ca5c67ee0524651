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

/**
 * Converts files with LibreOffice (`xlsx` recalculates and saves; `pdf` renders; `html` writes each sheet's visible
 * cells as a table, with the fill its conditional formats give each cell). Returns the output directory.
 */
export function convertWithLibreOffice(files: readonly string[], to: 'xlsx' | 'pdf' | 'html', outDir: string): string {
  const soffice = requireSoffice();
  const profile = recalculatingProfile();
  execFileSync(soffice, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', to, '--outdir', outDir, ...files], {
    stdio: 'pipe', timeout: 180_000,
  });
  return outDir;
}

/** A cell of a sheet built for a test: text, a typed number, or a typed number with its format. */
export type SheetCell = string | number | { readonly n: number; readonly fmt: string } | null;

/**
 * Sheets of awkward but ordinary rows, each one a way in which a sheet's formulas and the engine have been seen to
 * part: two columns for one period ("2016/17 (revised)"), a range polarity with no usable target, percentages typed
 * bare, a value in the wrong unit, strict bounds, a bound of 0, a relative target; and the newer shapes: a value
 * column with a Unit column, several target columns, a target in the measure's wording, a yes / no standard, an
 * annual target judged pro rata, a grid of ratings, and a table of variances only.
 */
export const AWKWARD_SHEETS: ReadonlyArray<{ readonly name: string; readonly rows: ReadonlyArray<readonly SheetCell[]> }> = [
  {
    name: 'Revised',
    rows: [
      ['Measure', 'Target', '2015/16', '2016/17', '2016/17 (revised)', 'Polarity'],
      ['% of visits on time', '85%', { n: 0.8, fmt: '0%' }, { n: 0.84, fmt: '0%' }, { n: 0.86, fmt: '0%' }, 'Greater is better'],
      ['Caseload per social worker', 'TBC', 18, 20, null, 'Goldilocks'],
      ['Caseload per team leader', '16 - 18', 15, 19, null, 'Goldilocks'],
      ['Number of complaints upheld', '<20', 22, 21, null, 'Lower is better'],
      ['% of plans reviewed (pasted)', '85%', '70', '80', null, 'Greater is better'],
      ['Average days to complete', '<20', '22.4', '22.4', null, 'Lower is better'],
      ['% of schools good or better', '>85%', { n: 0.8, fmt: '0%' }, { n: 0.85, fmt: '0%' }, null, 'Greater is better'],
      ['Children missing from care', '0', 3, 1, null, 'Lower is better'],
      ['Time to adoption', '2 Years', '1.5 Years', '0.6 Years Interim', null, 'Lower is better'],
      ['% of families referred again', '20% reduction', '6.0%', '4.9%', null, ''],
      ['% of reviews on time', '90%', { n: 0.91, fmt: '0%' }, null, { n: 0.88, fmt: '0%' }, 'Greater is better'],
      ['% of calls answered (target typed bare)', 85, { n: 0.8, fmt: '0%' }, { n: 0.9, fmt: '0%' }, null, 'Greater is better'],
      ['Average class size', '25', '27', '24', null, 'Goldilocks'],
    ],
  },
  {
    name: 'Results',
    rows: [
      ['Measure', 'Unit', 'Target', 'Desired Level', '2022/23', 'Result'],
      ['Calls answered', '%', null, '90', '88', '92'],
      ['Repairs completed on time', '%', '95', null, '96', '93'],
      ['Complaints answered', '%', '80', null, '75', null],
      ['45% within 90 days', '', null, null, '41%', '47%'],
      ['Gas safety certificates in date', '', 'Met', null, 'Met', 'Not met'],
    ],
  },
  {
    name: 'Grants',
    rows: [
      ['Measure', 'Target 2014-15', '2013-14', 'Q1'],
      ['Amount of grant received', '£240k', '£35,800', '£70,000'],
      ['Income received', '£100k', '£90,000', '£20,000'],
      ['% of calls answered', '90%', '88%', '85%'],
    ],
  },
  {
    name: 'Ratings',
    rows: [
      ['Ref', 'Strategic Risks', '23/24 Q4', '24/25 Q1', '24/25 Q2'],
      ['1', 'Roads', 'A', 'R', 'R'],
      ['4', 'Health', 'A', 'A', 'G'],
      ['6', 'Housing', 'G', 'G', 'A'],
      ['8', 'Capital Programme', 'A', '*', ''],
    ],
  },
  {
    name: 'Variances',
    rows: [
      ['1. Outturn Forecast'],
      ['Police Officers', '-736'],
      ['New growth', '1682'],
      ['TOTAL', '- 946'],
    ],
  },
];
