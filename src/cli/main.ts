/** The `scorecard` command line. */
import { Command, CommanderError } from 'commander';
import { buildReport, evaluateWorkbook, formatNumber } from '../engine';
import { readInput, UnreadableInputError } from './input';
import { OptionError, settingsFrom } from './options';
import { renderReport } from './format';

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
    .option('--amber <tolerance>', 'amber band: 5% of the target, 2pp, or 3 units', '5%')
    .option('--green <tolerance>', 'green tolerance, same forms', '0%')
    .action(async (file: string, opts: { json?: boolean; amber?: string; green?: string }) => {
      const settings = settingsFrom(opts);
      const snapshot = await readInput(file);
      const report = buildReport(file, evaluateWorkbook(snapshot, settings), (o) => formatNumber(o.value));
      io.out(opts.json ? JSON.stringify(report, null, 2) : renderReport(report, process.stdout.columns ?? 120));
    });
  return program;
}

/** Runs the command line; returns the exit code (2 for unreadable input or bad options). */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof UnreadableInputError || e instanceof OptionError) {
      io.err(`scorecard: ${e.message}`);
      return 2;
    }
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return 0;
}
