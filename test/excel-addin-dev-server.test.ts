/**
 * `npm run dev-server` on a machine where the development certificate is not installed and cannot be (no
 * administrator rights: here, no sudo at all) stops with one line that says what to do, not a stack trace.
 * Runs webpack serve with a fresh home directory and a PATH holding only node, so nothing is installed anywhere.
 */
import { spawn } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const ROOT = resolve(__dirname, '..');

function serveWithoutAdminRights(home: string): Promise<{ code: number | null; stderr: string }> {
  const bin = join(home, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  const cli = require.resolve('webpack-cli/bin/cli.js', { paths: [ROOT] });
  return new Promise((done, fail) => {
    const child = spawn(join(bin, 'node'), [cli, 'serve', '--mode', 'development'], {
      cwd: ROOT,
      env: { HOME: home, PATH: bin },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Should it start serving after all, stop it: the assertions below then fail.
    const guard = setTimeout(() => child.kill(), 90_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(guard);
      done({ code, stderr });
    });
  });
}

describe('dev-server without administrator rights', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'scorecard-devserver-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('explains the certificate step in one line and exits with code 1', async () => {
    const { code, stderr } = await serveWithoutAdminRights(home);
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^The development certificate for https:\/\/localhost is not installed, and installing it needs administrator rights: run `npx office-addin-dev-certs install` once as an administrator \(or with sudo\), then `npm run dev-server` again\./);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 120_000);
});
