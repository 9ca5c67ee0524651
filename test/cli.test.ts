import { execFileSync, spawnSync } from 'child_process';
import * as ExcelJS from 'exceljs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
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
});

/** The text as a regular expression that matches it literally. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A folder of bad inputs, each named for what is wrong with it. */
function badInputs(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'scorecard-bad-'));
  const path = (name: string): string => join(dir, name);
  writeFileSync(path('plain-text.xlsx'), 'Measure,Target\nA,1\n');
  writeFileSync(path('truncated.xlsx'), readFileSync(EXAMPLE).subarray(0, 3000));
  writeFileSync(path('legacy.xlsx'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
  writeFileSync(path('empty.csv'), '');
  writeFileSync(path('empty.tsv'), '');
  writeFileSync(path('empty.xlsx'), '');
  writeFileSync(path('blank-lines.csv'), '\n ,\n\n');
  writeFileSync(path('header-only.csv'), 'Performance Measure,Target 2016/17,Outturn 2015/16,Outturn 2016/17\n');
  writeFileSync(path('no-table.csv'), 'Name,Team\nAsha,Finance\nBen,Housing\n');
  writeFileSync(path('unclosed-quote.csv'), 'Performance Measure,Target\n"Pupils attending,90%\nAbsence,5%\n');
  writeFileSync(path('binary.tsv'), Buffer.from([0x00, 0x01, 0x02, 0x41, 0x00]));
  writeFileSync(path('workbook.csv'), readFileSync(EXAMPLE));
  writeFileSync(path('notes.json'), '{}');
  writeFileSync(path('seed.csv'), readFileSync(join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`), 'utf8').replace(/\t/g, ','));
  writeFileSync(path('seed.tsv'), readFileSync(join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`)));
  mkdirSync(path('folder.xlsx'));
  mkdirSync(path('folder'));
  return { dir, ...Object.fromEntries(readdirSync(dir).map((name) => [name, path(name)])), missing: path('missing.xlsx'), 'missing.csv': path('missing.csv') };
}

describe('bad input: one sentence naming the file, and exit code 2', () => {
  const files = badInputs();
  const f = (name: string): string => {
    const path = files[name];
    if (path === undefined) throw new Error(`no bad input ${name}`);
    return path;
  };
  const notFound = (p: string): string => `scorecard: "${p}" not found: check the folder and the file name`;
  const folder = (p: string): string => `scorecard: "${p}" is a folder: give the path of a file inside it`;
  const notXlsx = (p: string): string => `scorecard: "${p}" is not an .xlsx workbook (damaged, or another file type): open it in Excel or LibreOffice and save it as .xlsx`;
  const empty = (p: string): string => `scorecard: "${p}" is empty (0 bytes): there is nothing to judge; save or export the scorecard again`;
  const xlsxOnly = (p: string, tables: number): string =>
    `scorecard: "${p}" holds ${tables} scorecard tables, but refresh writes .xlsx workbooks only: save it as .xlsx in Excel or LibreOffice and refresh that, or run "scorecard report ${p}"`;
  const noTable = (p: string, why: string): string =>
    `scorecard: "${p}" has no scorecard table to judge (${why}): a scorecard needs a header row with measures and figures beneath it`;
  // A header alone is told either by the detector's own reason or, when it reports no region, as a single row.
  const headerOnly = (p: string): RegExp =>
    new RegExp(`^${escape(noTable(p, 'WHY')).replace('WHY', '(header-only › A1:D1 — a header with no rows beneath it|it holds a single row)')}$`);

  it.each<[string, () => string[], () => string | RegExp]>([
    ['report on a missing .xlsx', () => ['report', f('missing')], () => notFound(f('missing'))],
    ['report on a missing .csv', () => ['report', f('missing.csv')], () => notFound(f('missing.csv'))],
    ['refresh on a missing .xlsx', () => ['refresh', f('missing')], () => notFound(f('missing'))],
    ['remove on a missing .xlsx', () => ['remove', f('missing')], () => notFound(f('missing'))],
    ['refresh on a missing .csv', () => ['refresh', f('missing.csv')], () => notFound(f('missing.csv'))],
    ['report on a folder named .xlsx', () => ['report', f('folder.xlsx')], () => folder(f('folder.xlsx'))],
    ['report on a folder', () => ['report', f('folder')], () => folder(f('folder'))],
    ['refresh on a folder named .xlsx', () => ['refresh', f('folder.xlsx')], () => folder(f('folder.xlsx'))],
    ['report on text named .xlsx', () => ['report', f('plain-text.xlsx')], () => notXlsx(f('plain-text.xlsx'))],
    ['refresh on text named .xlsx', () => ['refresh', f('plain-text.xlsx')], () => notXlsx(f('plain-text.xlsx'))],
    ['remove on text named .xlsx', () => ['remove', f('plain-text.xlsx')], () => notXlsx(f('plain-text.xlsx'))],
    ['report on a truncated workbook', () => ['report', f('truncated.xlsx')], () => notXlsx(f('truncated.xlsx'))],
    ['refresh on a truncated workbook', () => ['refresh', f('truncated.xlsx')], () => notXlsx(f('truncated.xlsx'))],
    ['report on a legacy .xls renamed .xlsx', () => ['report', f('legacy.xlsx')],
      () => `scorecard: "${f('legacy.xlsx')}" is not an .xlsx workbook (an old .xls file, or protected by a password): save it from Excel as an .xlsx without a password`],
    ['report on an empty .csv', () => ['report', f('empty.csv')], () => empty(f('empty.csv'))],
    ['report on an empty .tsv', () => ['report', f('empty.tsv')], () => empty(f('empty.tsv'))],
    ['report on an empty .xlsx', () => ['report', f('empty.xlsx')], () => empty(f('empty.xlsx'))],
    ['refresh on an empty .xlsx', () => ['refresh', f('empty.xlsx')], () => empty(f('empty.xlsx'))],
    ['report on a header-only .csv', () => ['report', f('header-only.csv')], () => headerOnly(f('header-only.csv'))],
    ['report --json on a header-only .csv', () => ['report', f('header-only.csv'), '--json'], () => headerOnly(f('header-only.csv'))],
    ['report on a .csv with no scorecard table', () => ['report', f('no-table.csv')],
      () => noTable(f('no-table.csv'), 'no-table › A1:B3 — not a scorecard: no target, period or budget columns with figures')],
    ['report on a .csv whose quotation mark never closes', () => ['report', f('unclosed-quote.csv')],
      () => `scorecard: "${f('unclosed-quote.csv')}" has a quotation mark opened on row 2 that is never closed: close it, or export the sheet again`],
    ['report on binary data named .tsv', () => ['report', f('binary.tsv')],
      () => `scorecard: "${f('binary.tsv')}" is not text (damaged, or another file type): export the sheet again as .csv or .tsv`],
    ['report on a workbook named .csv', () => ['report', f('workbook.csv')],
      () => `scorecard: "${f('workbook.csv')}" is an .xlsx workbook with a .csv name: rename it to end in .xlsx`],
    ['report on an unsupported type', () => ['report', f('notes.json')],
      () => `scorecard: "${f('notes.json')}" is not a file type scorecard reads (.json): give an .xlsx, .csv or .tsv file`],
    ['refresh on a .tsv it has read', () => ['refresh', f('seed.tsv')], () => xlsxOnly(f('seed.tsv'), 4)],
    ['refresh on a .csv it has read', () => ['refresh', f('seed.csv')], () => xlsxOnly(f('seed.csv'), 4)],
    ['refresh on a header-only .csv', () => ['refresh', f('header-only.csv')], () => headerOnly(f('header-only.csv'))],
    ['report on a .csv of blank lines', () => ['report', f('blank-lines.csv')], () => noTable(f('blank-lines.csv'), 'it holds no values')],
    ['remove on a .tsv', () => ['remove', f('seed.tsv')],
      () => `scorecard: "${f('seed.tsv')}" is a .tsv, and remove works on .xlsx workbooks only: give the .xlsx that refresh wrote`],
    ['refresh -o a folder', () => ['refresh', EXAMPLE, '-o', f('folder')],
      () => `scorecard: "${f('folder')}" is a folder: give -o the name of the file to write, ending in .xlsx`],
    ['refresh --json a folder', () => ['refresh', EXAMPLE, '-o', join(f('dir'), 'out.xlsx'), '--json', f('folder')],
      () => `scorecard: "${f('folder')}" is a folder: give --json the name of the file to write, ending in .json`],
    ['refresh -o inside a file', () => ['refresh', EXAMPLE, '-o', join(f('seed.tsv'), 'out.xlsx')],
      () => `scorecard: "${join(f('seed.tsv'), 'out.xlsx')}" cannot be written: a file stands where its folder should be; choose another -o`],
    ['refresh -o where the system allows no file', () => ['refresh', EXAMPLE, '-o', '/proc/scorecard-out.xlsx'],
      () => 'scorecard: "/proc/scorecard-out.xlsx" cannot be written (no permission, or the file is open in another program): close it, or choose another -o'],
    ['a malformed tolerance', () => ['report', f('seed.tsv'), '--amber', 'lots'], () => 'scorecard: --amber must be like 5%, 2pp or 3 (got "lots")'],
  ])('answers %s', async (_what, args, sentence) => {
    const { code, out, err } = await run(...args());
    expect(code).toBe(2);
    const expected = sentence();
    if (typeof expected === 'string') expect(err).toBe(expected);
    else expect(err).toMatch(expected);
    expect(out).toBe('');
    expect(err).not.toMatch(/ENOENT|EISDIR|EACCES|End of data|Corrupted|central directory|zip|Cannot read|Error:/i);
  });

  it('refuses a workbook with no scorecard table, and writes nothing', async () => {
    const input = join(f('dir'), 'contacts.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Contacts');
    ws.addRow(['Name', 'Team']);
    ws.addRow(['Asha', 'Finance']);
    await wb.xlsx.writeFile(input);
    const output = join(f('dir'), 'contacts-out.xlsx');
    const refresh = await run('refresh', input, '-o', output);
    const why = 'Contacts › A1:B2 — not a scorecard: no target, period or budget columns with figures';
    expect(refresh).toEqual({ code: 2, out: '', err: noTable(input, why) });
    expect(existsSync(output)).toBe(false);
    expect(await run('report', input)).toEqual({ code: 2, out: '', err: noTable(input, why) });
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

  it('--fit-to-width repeats each scorecard sheet\'s measure columns and prints it landscape, one page wide; without it the page setup stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scorecard-cli-'));
    const input = join(dir, 'book.xlsx');
    const book = buildExampleWorkbook();
    (book.getWorksheet('Indicators') as ExcelJS.Worksheet).pageSetup.orientation = 'landscape';
    await book.xlsx.writeFile(input);
    const pages = async (path: string): Promise<Record<string, unknown>> => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path);
      return Object.fromEntries(wb.worksheets.filter((ws) => ws.name !== 'Scorecard summary' && ws.name !== 'ScorecardLedger').map((ws) => [ws.name, {
        orientation: ws.pageSetup.orientation, titles: ws.pageSetup.printTitlesColumn ?? null,
        fit: ws.pageSetup.fitToPage ? `${ws.pageSetup.fitToWidth}x${ws.pageSetup.fitToHeight}` : null,
      }]));
    };
    const own = await pages(input);
    const plain = await run('refresh', input, '-o', join(dir, 'plain.xlsx'));
    expect(plain.out).not.toMatch(/one page wide/);
    expect(await pages(join(dir, 'plain.xlsx'))).toEqual(own);

    const fitted = await run('refresh', input, '-o', join(dir, 'fitted.xlsx'), '--fit-to-width');
    expect(fitted.code).toBe(0);
    expect(fitted.out).toContain('Risks: prints landscape, one page wide, columns A:B repeated on every page');
    const after = await pages(join(dir, 'fitted.xlsx'));
    expect(after.Indicators).toEqual({ orientation: 'landscape', titles: 'A:A', fit: '1x0' });
    expect(after.Risks).toEqual({ orientation: 'landscape', titles: 'A:B', fit: '1x0' });
    expect(after.Programme).toEqual(own.Programme);
    // Refreshing the fitted workbook again with the option gives the same workbook.
    await run('refresh', join(dir, 'fitted.xlsx'), '-o', join(dir, 'again.xlsx'), '--fit-to-width');
    const [once, again] = await Promise.all(['fitted.xlsx', 'again.xlsx'].map(async (f) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(dir, f));
      return dumpWorkbook(wb);
    }));
    expect(again).toEqual(once);
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

describe('tolerances: the sheet\'s key, unless the user chose', () => {
  it('takes the amber band from a key printed on the sheet, and lets --amber override it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scorecard-key-'));
    const file = join(dir, 'keyed.tsv');
    writeFileSync(file, 'Measure\tTarget\t2022/23\nCalls answered\t90%\t84%\n\nKey: Amber = within 10% of target\n');
    const keyed = JSON.parse((await run('report', file, '--json')).out);
    expect(keyed.tables[0].rows[0].status).toBe('amber');
    expect(keyed.tables[0].findings.map((f: { code: string }) => f.code)).toContain('tolerance-from-sheet');
    const chosen = JSON.parse((await run('report', file, '--json', '--amber', '5%')).out);
    expect(chosen.tables[0].rows[0].status).toBe('red');
  });
});

describe('the text report says why', () => {
  it('shows each row\'s specific state and its one-line reason, and never "No data" for a row that has data', async () => {
    const { code, out } = await run('report', join(FIXTURES, 'seeds', `${SEEDS[1]}.tsv`));
    expect(code).toBe(0);
    expect(out).toContain('○ No direction');
    expect(out).toContain('○ No target');
    expect(out).toContain('↳ No status: the target has no direction (polarity unknown)');
    expect(out).toMatch(/↳ Red: 6 is 6 above the ≤ 0 maximum/);
    const report = JSON.parse((await run('report', join(FIXTURES, 'seeds', `${SEEDS[1]}.tsv`), '--json')).out);
    const withData = report.tables.flatMap((t: { rows: Array<{ latest: unknown; state: string }> }) => t.rows).filter((r: { latest: unknown }) => r.latest !== null);
    expect(withData.length).toBeGreaterThan(0);
    expect(withData.filter((r: { state: string }) => r.state === '○ No data')).toEqual([]);
  });
});
