import { execFileSync, spawnSync } from 'child_process';
import * as ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../src/cli/main';
import { checkSeed, FIXTURES, SEEDS } from './support/acceptance';
import { buildExampleWorkbook } from './support/example-workbook';
import { dumpWorkbook } from './support/workbook-dump';

const ROOT = join(__dirname, '..');
const EXAMPLE = join(ROOT, 'examples', 'childrens-wellbeing-scorecard.xlsx');

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'scorecard', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('scorecard report', () => {
  it.each(SEEDS)('prints JSON for seed %s that matches every acceptance row', async (seed) => {
    const { code, out } = await run('report', join(FIXTURES, 'seeds', `${seed}.tsv`), '--json');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.source).toContain(`${seed}.tsv`);
    expect(report.tables[0].sheet).toBe(seed);
    expect(checkSeed(report, seed)).toEqual([]);
  });

  it('prints a readable table by default, with the findings', async () => {
    const { code, out } = await run('report', join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`));
    expect(code).toBe(0);
    expect(out).toContain('Indicators');
    expect(out).toContain('■ Red');
    expect(out).toContain('⚠ H30  Direction ▲ says improving');
    expect(out).toMatch(/Indicators \(kpi\): 6 green, 0 amber, 2 red, 0 no status/);
  });

  it('widens the amber band with --amber', async () => {
    const { out } = await run('report', join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`), '--json', '--amber', '10%');
    const indicators = JSON.parse(out).tables.find((t: { title: string }) => t.title === 'Indicators');
    const accommodation = indicators.rows.find((r: { measure: string }) => r.measure.startsWith('Decrease the number'));
    expect(accommodation.status).toBe('amber');
  });

  it.each([
    ['a missing file', ['report', '/nonexistent/file.xlsx'], /Cannot read "\/nonexistent\/file\.xlsx"/],
    ['a file that is not a workbook', ['report', 'BAD'], /Cannot read ".*bad\.xlsx"/],
    ['an unsupported type', ['report', join(ROOT, 'package.json')], /unsupported file type ".json"/],
    ['a malformed tolerance', ['report', join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`), '--amber', 'lots'], /--amber must be like 5%/],
  ])('answers %s with one line and exit code 2', async (_what, args, message) => {
    const bad = join(mkdtempSync(join(tmpdir(), 'scorecard-cli-')), 'bad.xlsx');
    writeFileSync(bad, 'not a zip');
    const { code, err } = await run(...args.map((a) => (a === 'BAD' ? bad : a)));
    expect(code).toBe(2);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toMatch(message);
  });
});

describe('scorecard refresh and remove', () => {
  it('refreshes the bundled example and prints a summary per table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scorecard-cli-'));
    const out = join(dir, 'out.xlsx');
    const json = join(dir, 'report.json');
    const { code, out: text } = await run('refresh', EXAMPLE, '-o', out, '--json', json);
    expect(code).toBe(0);
    expect(text).toContain('Indicators › Indicators (kpi): 6 green, 0 amber, 2 red, 0 no status; 7 findings');
    expect(text).toContain('Budget › Outturn Detail (budget): 12 green, 1 amber, 2 red, 0 no status; 0 findings');
    expect(text).toContain('Programme › Programme: skipped');
    expect(existsSync(out)).toBe(true);
    expect(JSON.parse(readFileSync(json, 'utf8')).tables).toHaveLength(5);
  });

  it('never overwrites the input unless --in-place, which keeps a backup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scorecard-cli-'));
    const input = join(dir, 'book.xlsx');
    await buildExampleWorkbook().xlsx.writeFile(input);
    const before = readFileSync(input);
    await run('refresh', input);
    expect(readFileSync(input).equals(before)).toBe(true);
    expect(existsSync(join(dir, 'book-scorecard.xlsx'))).toBe(true);
    expect((await run('refresh', input, '-o', input)).code).toBe(2);
    await run('refresh', input, '--in-place');
    expect(readFileSync(join(dir, 'book.bak.xlsx')).equals(before)).toBe(true);
    expect(readFileSync(input).equals(before)).toBe(false);
  });

  it('remove takes a refresh out again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scorecard-cli-'));
    const input = join(dir, 'book.xlsx');
    await buildExampleWorkbook().xlsx.writeFile(input);
    const original = new ExcelJS.Workbook();
    await original.xlsx.readFile(input);
    await run('refresh', input, '-o', join(dir, 'r.xlsx'), '--palette', 'colour-blind');
    expect((await run('remove', join(dir, 'r.xlsx'), '-o', join(dir, 'back.xlsx'))).code).toBe(0);
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(join(dir, 'back.xlsx'));
    expect(dumpWorkbook(back)).toEqual(dumpWorkbook(original));
  });

  it('keeps the bundled example the builder makes', async () => {
    const committed = new ExcelJS.Workbook();
    await committed.xlsx.readFile(EXAMPLE);
    const built = new ExcelJS.Workbook();
    await built.xlsx.load((await buildExampleWorkbook().xlsx.writeBuffer()) as ArrayBuffer);
    expect(dumpWorkbook(committed)).toEqual(dumpWorkbook(built));
  });
});

describe('the installed command', () => {
  it('runs as bin/scorecard.js from the compiled lib/ (built by npm ci)', () => {
    if (!existsSync(join(ROOT, 'lib', 'cli', 'main.js'))) execFileSync('npm', ['run', 'build:cli'], { cwd: ROOT, stdio: 'pipe' });
    const r = spawnSync('node', [join(ROOT, 'bin', 'scorecard.js'), 'report', join(FIXTURES, 'seeds', `${SEEDS[1]}.tsv`), '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(checkSeed(JSON.parse(r.stdout), SEEDS[1])).toEqual([]);
    const bad = spawnSync('node', [join(ROOT, 'bin', 'scorecard.js'), 'report', '/nonexistent.tsv'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringContaining('/nonexistent.tsv')]);
  });
});

describe('scorecard report on a refreshed workbook', () => {
  it('reports the user\'s tables only, not the blocks the refresh wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scorecard-cli-'));
    const out = join(dir, 'r.xlsx');
    await run('refresh', EXAMPLE, '-o', out);
    const before = JSON.parse((await run('report', EXAMPLE, '--json')).out);
    const after = JSON.parse((await run('report', out, '--json')).out);
    expect(after.tables.map((t: { sheet: string; range: string; kind: string }) => [t.sheet, t.range, t.kind]))
      .toEqual(before.tables.map((t: { sheet: string; range: string; kind: string }) => [t.sheet, t.range, t.kind]));
    expect(after.skipped).toEqual(before.skipped);
  });
});
