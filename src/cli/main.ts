/** The `scorecard` command line. */
import { Command, CommanderError } from 'commander';
import type { Workbook } from 'exceljs';
import { promises as fs } from 'fs';
import { basename, dirname, extname, join } from 'path';
import { buildReport, evaluateWorkbook, EvaluationSettings, formatNumber, PaletteName, planPrint, planRefresh, withoutOwnBlocks } from '../engine';
import { applyPlanToWorkbook, snapshotWithNames } from '../xlsx/apply';
import { removeFromWorkbook } from '../xlsx/refresh';
import { writeXlsxFile } from '../xlsx/write';
import { InputError, openWorkbookToRewrite, readInput, requireTables, writeOutput } from './input';
import { OptionError, settingsFrom } from './options';
import { renderReport, summaryLine } from './format';

interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const defaultIo: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

/** Builds the program; commands resolve to an exit code. */
export function buildProgram(io: Io): Command {
  const program = new Command('scorecard')
    .description('Detect, normalise and judge performance scorecards in spreadsheets')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program.command('report')
    .description('Evaluate every scorecard table of a workbook (.xlsx, .csv, .tsv) and print the result')
    .argument('<file>', 'the workbook to read')
    .option('--json', 'print the report as JSON')
    .option('--amber <tolerance>', 'amber band: 5% of the target, 2pp, or 3 units (default 5%, or the key printed on the sheet)')
    .option('--green <tolerance>', 'green tolerance, same forms (default 0%)')
    .action(async (file: string, opts: { json?: boolean; amber?: string; green?: string }) => {
      const settings = settingsFrom(opts);
      const snapshot = await readInput(file);
      // A refreshed workbook is reported as the user's tables, without the blocks a refresh wrote.
      const tables = withoutOwnBlocks(snapshot);
      const evaluation = evaluateWorkbook(tables, settings);
      requireTables(file, tables, evaluation);
      const report = buildReport(file, evaluation, (o) => formatNumber(o.value));
      io.out(opts.json ? JSON.stringify(report, null, 2) : renderReport(report, process.stdout.columns ?? 120));
    });
  program.command('refresh')
    .description('Write the scorecard back into an .xlsx: typed values, live variance / status / trend formulas, conditional formats')
    .argument('<in>', 'the workbook to refresh (.xlsx)')
    .option('-o, --output <out>', 'where to write the refreshed workbook (default: <in>-scorecard.xlsx)')
    .option('--in-place', 'overwrite the input, keeping a backup beside it (<in>.bak.xlsx)')
    .option('--json <report>', 'also write the report as JSON to this file')
    .option('--amber <tolerance>', 'amber band: 5% of the target, 2pp, or 3 units (default 5%, or the key printed on the sheet)')
    .option('--green <tolerance>', 'green tolerance, same forms (default 0%)')
    .option('--palette <name>', 'default or colour-blind', 'default')
    .option('--fit-to-width', 'print each scorecard sheet landscape and one page wide, its measure columns repeated at the left of every page (the rest of the page setup stays as it is)')
    .action(async (input: string, opts: { output?: string; inPlace?: boolean; json?: string; amber?: string; green?: string; palette?: string; fitToWidth?: boolean }) => {
      const settings = settingsFrom(opts);
      const palette = paletteOf(opts.palette);
      const wb = await openWorkbookToRewrite(input, 'refresh', (snapshot) => evaluateWorkbook(snapshot, settings));
      const output = opts.inPlace ? input : opts.output ?? join(dirname(input), `${basename(input, extname(input))}-scorecard.xlsx`);
      if (!opts.inPlace && output === input) throw new OptionError('the output would overwrite the input: use --in-place (which keeps a backup) or another -o');
      // The snapshot and the plan are done with once applied: only the workbook, the report and the lines to print
      // are held while the file is written.
      const refreshed = refreshInMemory(input, wb, { settings, palette, fitToWidth: opts.fitToWidth === true, json: opts.json !== undefined });
      if (opts.inPlace) await writeOutput(backupOf(input), '-o', (path) => fs.copyFile(input, path));
      await writeOutput(output, '-o', (path) => writeXlsxFile(wb, path));
      const json = opts.json;
      if (json !== undefined) await writeOutput(json, '--json', (path) => fs.writeFile(path, refreshed.json));
      io.out(`Refreshed ${input} → ${output}`);
      for (const line of refreshed.lines) io.out(line);
      if (opts.json) io.out(`  Report: ${opts.json}`);
    });

  program.command('remove')
    .description('Take the scorecard columns, rules and names out of an .xlsx again')
    .argument('<in>', 'the refreshed workbook (.xlsx)')
    .option('-o, --output <out>', 'where to write the result (default: overwrite <in>, keeping <in>.bak.xlsx)')
    .action(async (input: string, opts: { output?: string }) => {
      const wb = await openWorkbookToRewrite(input, 'remove', (snapshot) => evaluateWorkbook(snapshot));
      removeFromWorkbook(wb);
      const output = opts.output ?? input;
      if (output === input) await writeOutput(backupOf(input), '-o', (path) => fs.copyFile(input, path));
      await writeOutput(output, '-o', (path) => writeXlsxFile(wb, path));
      io.out(`Removed the scorecard from ${input} → ${output}`);
    });
  return program;
}

/**
 * Plans the refresh of a workbook and applies it; gives what the command prints after writing the file (below its
 * first line) and the report as the JSON --json writes.
 */
function refreshInMemory(input: string, wb: Workbook, how: { settings: EvaluationSettings; palette: PaletteName; fitToWidth: boolean; json: boolean }): { lines: string[]; json: string } {
  const snapshot = snapshotWithNames(wb);
  const plan = planRefresh(snapshot, { settings: how.settings, palette: how.palette });
  requireTables(input, snapshot, plan.evaluation);
  const print = how.fitToWidth ? planPrint(plan) : [];
  applyPlanToWorkbook(wb, plan, { print });
  const report = buildReport(input, plan.evaluation, (o) => formatNumber(o.value));
  const lines: string[] = [];
  for (const t of report.tables) {
    const written = plan.blocks.some((b) => b.sheet === t.sheet && b.tableRange === t.range);
    lines.push(`  ${summaryLine(t)}${written ? '' : ' (not written: see below)'}`);
  }
  for (const s of report.skipped) lines.push(`  ${s.sheet} › ${s.title ?? s.range}: skipped — ${s.reason}`);
  for (const n of plan.notices) lines.push(`  ⚠ ${n.sheet}!${n.cell}: ${n.message}`);
  for (const p of print) lines.push(`  ${p.sheet}: prints ${p.orientation}, one page wide, columns ${p.titleColumns} repeated on every page`);
  if (plan.ledger.length > 0) lines.push(`  ${plan.ledger.length} text cell${plan.ledger.length === 1 ? '' : 's'} typed as numbers (same text shown; "scorecard remove" puts them back)`);
  return { lines, json: how.json ? `${JSON.stringify({ ...report, notices: plan.notices }, null, 2)}\n` : '' };
}

function paletteOf(name: string | undefined): PaletteName {
  if (name === undefined || name === 'default') return 'default';
  if (name === 'colour-blind' || name === 'color-blind') return 'colour-blind';
  throw new OptionError(`--palette must be default or colour-blind (got "${name}")`);
}

/** Where --in-place and remove keep the original: <in>.bak.xlsx beside it. */
function backupOf(input: string): string {
  return input.replace(/\.xlsx$/i, '') + '.bak.xlsx';
}

/** Runs the command line; returns the exit code (2 for a file it cannot use, a file without tables, or bad options). */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof InputError || e instanceof OptionError) {
      io.err(`scorecard: ${e.message}`);
      return 2;
    }
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return 0;
}
