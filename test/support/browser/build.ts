/**
 * Builds what the browser test serves: the add-in (the project's own webpack.config.js, development mode) and the
 * office.js stand-in (webpack.shim.config.js), each into a directory of the test's choosing, with webpack's CLI.
 */
import { spawn } from 'child_process';
import { join, resolve } from 'path';

/** The project root. */
export const ROOT = resolve(__dirname, '../../..');

/** Runs webpack with `args`; resolves to its output when it succeeds, rejects with its output when it fails. */
function runWebpack(args: readonly string[]): Promise<string> {
  const cli = require.resolve('webpack-cli/bin/cli.js', { paths: [ROOT] });
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code === 0) done(output);
      else fail(new Error(`webpack ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`));
    });
  });
}

/** Builds the add-in (taskpane.html, commands.html and their scripts) into `outDir`. */
export async function buildAddin(outDir: string): Promise<void> {
  await runWebpack(['--mode', 'development', '--no-devtool', '--output-path', outDir]);
}

/** Builds the add-in for production (as `npm run build` does) into `outDir`; resolves to webpack's output. */
export function buildProduction(outDir: string, env: readonly string[] = []): Promise<string> {
  return runWebpack(['--mode', 'production', '--output-path', outDir, ...env.flatMap((e) => ['--env', e])]);
}

/** Builds the office.js stand-in into `outDir`; resolves to the script's path. */
export async function buildShim(outDir: string): Promise<string> {
  await runWebpack(['--config', join(__dirname, 'webpack.shim.config.js'), '--env', `outDir=${outDir}`]);
  return join(outDir, 'office-shim.js');
}
