/** The `scorecard` command line. */
import { Command, CommanderError } from 'commander';
import { promises as fs } from 'fs';
import { basename, dirname, extname, join } from 'path';
import { buildReport, evaluateWorkbook, formatNumber, PaletteName, planPrint, planRefresh, withoutOwnBlocks } from '../engine';
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
      const snapshot = snapshotWithNames(wb);
      const plan = planRefresh(snapshot, { settings, palette });
      requireTables(input, snapshot, plan.evaluation);
      const print = opts.fitToWidth ? planPrint(plan) : [];
      applyPlanToWorkbook(wb, plan, { print });
      if (opts.inPlace) await writeOutput(backupOf(input), '-o', (path) => fs.copyFile(input, path));
      await writeOutput(output, '-o', (path) => writeXlsxFile(wb, path));
      const report = buildReport(input, plan.evaluation, (o) => formatNumber(o.value));
      const json = opts.json;
      if (json !== undefined) {
        await writeOutput(json, '--json', (path) => fs.writeFile(path, `${JSON.stringify({ ...report, notices: plan.notices }, null, 2)}\n`));
      }
      io.out(`Refreshed ${input} → ${output}`);
      for (const t of report.tables) {
        const written = plan.blocks.some((b) => b.sheet === t.sheet && b.tableRange === t.range);
        io.out(`  ${summaryLine(t)}${written ? '' : ' (not written: see below)'}`);
      }
      for (const s of report.skipped) io.out(`  ${s.sheet} › ${s.title ?? s.range}: skipped — ${s.reason}`);
      for (const n of plan.notices) io.out(`  ⚠ ${n.sheet}!${n.cell}: ${n.message}`);
      for (const p of print) io.out(`  ${p.sheet}: prints ${p.orientation}, one page wide, columns ${p.titleColumns} repeated on every page`);
      if (plan.ledger.length > 0) io.out(`  ${plan.ledger.length} text cell${plan.ledger.length === 1 ? '' : 's'} typed as numbers (same text shown; "scorecard remove" puts them back)`);
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
