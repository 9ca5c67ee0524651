/**
 * The emulator counts a sync's request bytes as those of the JSON body office.js sends for the same calls: its
 * Actions and its ObjectPaths, each path once per request, ids as office.js numbers them (see WireRequest in
 * test/support/excel-emulator.ts, which follows @microsoft/office-js: ClientRequestBase.buildRequestMessageBodyAndRequestFlags,
 * ObjectPathFactory, ActionFactory, CommonActionFactory, setRangePropertiesInBulk).
 */
import { createExcelEmulator, ExcelEmulator, PAYLOAD_LIMIT_BYTES } from './support/excel-emulator';
import type { EmulatedRequestContext } from './support/excel-emulator';
import { officeError } from './support/office-error';

function workbook(sheets = 1): ExcelEmulator {
  return createExcelEmulator({ sheets: Array.from({ length: sheets }, (_, i) => ({ name: i === 0 ? 'Data' : `S${i + 1}`, cells: { A1: { value: 1 } } })) });
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

async function firstRequest(emu: ExcelEmulator, batch: (ctx: EmulatedRequestContext) => void): Promise<number> {
  emu.resetCounters();
  await emu.run(async (ctx) => {
    batch(ctx);
    await ctx.sync();
  });
  return emu.syncPayloads[0]?.requestBytes ?? -1;
}

/**
 * The JSON body office.js sends for one property set on `getItem(sheet).getRangeByIndexes(...)`: the Instantiate
 * actions of the workbook, worksheets, sheet and range paths (ids 1, 3, 5 and `range.path`), the range's tracking by
 * Excel.run (its _KeepReference and a second Instantiate), and the SetProperty, the last action to use every path.
 */
function rangeWriteBody(
  ids: { readonly instantiate: readonly [number, number, number, number]; readonly keep: number; readonly again: number; readonly set: number },
  sheet: unknown,
  range: { readonly path: number; readonly args: readonly number[] },
  property: string,
  value: unknown,
): string {
  const [workbookId, worksheetsId, sheetId, rangeId] = ids.instantiate;
  return JSON.stringify({
    AutoKeepReference: true,
    Actions: [
      { Id: workbookId, ActionType: 1, Name: '', ObjectPathId: 1 },
      { Id: worksheetsId, ActionType: 1, Name: '', ObjectPathId: 3 },
      { Id: sheetId, ActionType: 1, Name: '', ObjectPathId: 5 },
      { Id: rangeId, ActionType: 1, Name: '', ObjectPathId: range.path },
      { Id: ids.keep, ActionType: 3, Name: '_KeepReference', ObjectPathId: range.path, ArgumentInfo: { Arguments: [] } },
      { Id: ids.again, ActionType: 1, Name: '', ObjectPathId: range.path },
      { Id: ids.set, ActionType: 4, Name: property, ObjectPathId: range.path, ArgumentInfo: { Arguments: [value] }, L: [1, 3, 5, range.path] },
    ],
    ObjectPaths: {
      1: { Id: 1, ObjectPathType: 1, Name: '' },
      3: { Id: 3, ObjectPathType: 4, Name: 'Worksheets', ParentObjectPathId: 1 },
      5: { Id: 5, ObjectPathType: 5, Name: '', ParentObjectPathId: 3, ArgumentInfo: { Arguments: [sheet] } },
      [range.path]: { Id: range.path, ObjectPathType: 3, Name: 'GetRangeByIndexes', ParentObjectPathId: 5, ArgumentInfo: { Arguments: range.args } },
    },
  });
}

describe('request bytes: the body office.js sends', () => {
  it('counts a write of formulas to one range as the JSON body office.js sends for it', async () => {
    const emu = workbook();
    const formulas = [['=1', 'x'], ['2', '=A1']];
    const n = await firstRequest(emu, (ctx) => {
      ctx.workbook.worksheets.getItem('Data').getRangeByIndexes(0, 0, 2, 2).formulas = formulas;
    });
    // Ids 1 and 2: the workbook's path and its Instantiate, as the context is made. 3/4: workbook.worksheets; 5/6:
    // getItem("Data") (an indexer); 7/8: getRangeByIndexes, which Excel.run tracks (9: _KeepReference, 10: Instantiate
    // again); 11: the SetProperty, the last action to use paths 1, 3, 5 and 7 (its "L" list).
    const body = rangeWriteBody({ instantiate: [2, 4, 6, 8], keep: 9, again: 10, set: 11 }, 'Data', { path: 7, args: [0, 0, 2, 2] }, 'Formulas', formulas);
    expect(n).toBe(bytes(body));
  });

  it('sends a path again in a later request only when that request uses it, with its Instantiate actions', async () => {
    const emu = workbook();
    emu.resetCounters();
    await emu.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItem('Data');
      sheet.load('name');
      await ctx.sync();
      sheet.getRangeByIndexes(0, 0, 1, 1).numberFormat = [['0']];
      await ctx.sync();
    });
    // Second request: ids go on from 8 (1-7 went to the first: paths 1, 3, 5, their Instantiates 2, 4, 6 and the
    // Query 7). After the first response the sheet's path is worksheets[id] (ObjectPath.updateUsingObjectData).
    const id = emu.dump().sheets[0]?.id;
    expect(typeof id).toBe('string');
    const body = rangeWriteBody({ instantiate: [9, 10, 11, 12], keep: 13, again: 14, set: 15 }, id, { path: 8, args: [0, 0, 1, 1] }, 'NumberFormat', [['0']]);
    expect(emu.syncPayloads[1]?.requestBytes).toBe(bytes(body));
  });

  it('counts a path used by many actions once: each more action costs only its own JSON', async () => {
    const emu = workbook();
    const address = 'A1:C3';
    const writes = async (k: number): Promise<number> =>
      firstRequest(emu, (ctx) => {
        const range = ctx.workbook.worksheets.getItem('Data').getRange(address);
        for (let i = 0; i < k; i++) range.numberFormat = [['0.00', '0.00', '0.00'], ['0.00', '0.00', '0.00'], ['0.00', '0.00', '0.00']];
      });
    const one = await writes(1);
    const forty = await writes(40);
    // Ids of the 40 SetProperty actions are 11..50, all of two digits; the last carries the L list, as the one did.
    const action = bytes(JSON.stringify({ Id: 11, ActionType: 4, Name: 'NumberFormat', ObjectPathId: 7, ArgumentInfo: { Arguments: [[['0.00', '0.00', '0.00'], ['0.00', '0.00', '0.00'], ['0.00', '0.00', '0.00']]] } }));
    expect(forty - one).toBe(39 * (action + 1));
  });

  it('grows linearly along a chain of getNextOrNullObject probes: the 100th costs what the 10th does', async () => {
    const emu = workbook(101);
    const probes = async (k: number): Promise<number> =>
      firstRequest(emu, (ctx) => {
        let sheet = ctx.workbook.worksheets.getFirst();
        for (let i = 0; i < k; i++) {
          sheet.load('name');
          sheet = sheet.getNextOrNullObject();
        }
      });
    const cost10 = (await probes(10)) - (await probes(9));
    const cost100 = (await probes(100)) - (await probes(99));
    // A probe: one path, its Instantiate, a Query and an L entry; ids of the 100th have a digit more than the 10th's.
    expect(cost10).toBeGreaterThan(150);
    expect(cost100).toBeLessThan(cost10 * 1.1);
    expect(await probes(100)).toBeLessThan(100 * cost100 + 1000);
  });

  it('splits a write of more than 1,500 cells into blocks of rows, as office.js does, and counts each block', async () => {
    const emu = workbook();
    const rows = 2000;
    const formulas = Array.from({ length: rows }, (_, r) => Array.from({ length: 5 }, (_, c) => `=A${r + 1}*${c + 2}`));
    const n = await firstRequest(emu, (ctx) => {
      ctx.workbook.worksheets.getItem('Data').getRangeByIndexes(0, 0, rows, 5).formulas = formulas;
    });
    // Blocks of round(1500 / 5) = 300 rows: 7 of them, each a getRow().getBoundingRect(getRow()) with its actions.
    const values = bytes(JSON.stringify(formulas));
    expect(n).toBeGreaterThan(values + 7 * 500);
    expect(n).toBeLessThan(values + 7 * 1200);
  });

  it('counts a defined name and a conditional format as their paths and actions', async () => {
    const emu = workbook();
    const base = await firstRequest(emu, (ctx) => {
      ctx.workbook.worksheets.getItem('Data').getRangeByIndexes(0, 0, 10, 2);
    });
    const withCf = await firstRequest(emu, (ctx) => {
      const range = ctx.workbook.worksheets.getItem('Data').getRangeByIndexes(0, 0, 10, 2);
      const cf = range.conditionalFormats.add('Custom');
      cf.custom.rule.formula = '=$A1>0';
      cf.custom.format.fill.color = '#FFC7CE';
      cf.custom.format.font.color = '#9C0006';
      cf.stopIfTrue = false;
    });
    const withName = await firstRequest(emu, (ctx) => {
      ctx.workbook.worksheets.getItem('Data').getRangeByIndexes(0, 0, 10, 2);
      ctx.workbook.names.add('Summary', '=Data!$A$1:$B$10', 'Refreshed');
    });
    // The conditional format: paths ConditionalFormats, Add, Custom, Rule, Format, Fill, Font with their Instantiates,
    // and four SetProperty actions.
    expect(withCf - base).toBeGreaterThan(1000);
    expect(withCf - base).toBeLessThan(1500);
    // The name: paths Names and Add("Summary", "=Data!$A$1:$B$10", "Refreshed") and an Instantiate.
    const namePaths =
      bytes(JSON.stringify({ 20: { Id: 20, ObjectPathType: 4, Name: 'Names', ParentObjectPathId: 1 } })) +
      bytes(JSON.stringify({ 22: { Id: 22, ObjectPathType: 3, Name: 'Add', ParentObjectPathId: 20, ArgumentInfo: { Arguments: ['Summary', '=Data!$A$1:$B$10', 'Refreshed'] } } }));
    const nameActions = 2 * bytes(JSON.stringify({ Id: 21, ActionType: 1, Name: '', ObjectPathId: 20 }));
    expect(withName - base).toBeGreaterThanOrEqual(namePaths + nameActions);
    expect(withName - base).toBeLessThan(namePaths + nameActions + 40);
  });

  it('refuses a request just over 5 MB with RequestPayloadSizeLimitExceeded and applies nothing, and takes one just under', async () => {
    const cellsOf = (size: number): string[][] => Array.from({ length: 100 }, () => Array.from({ length: 15 }, () => 'x'.repeat(size)));
    const emu = workbook();
    const over = await officeError(
      emu.run(async (ctx) => {
        const sheet = ctx.workbook.worksheets.getItem('Data');
        sheet.getRange('Z1').values = [['small']];
        sheet.getRangeByIndexes(10, 0, 100, 15).values = cellsOf(3_340);
        await ctx.sync();
      }),
    );
    expect(over.code).toBe('RequestPayloadSizeLimitExceeded');
    expect(over.message).toMatch(/^The request payload size has exceeded the limit\./);
    const refused = emu.syncPayloads[0]?.requestBytes ?? 0;
    expect(refused).toBeGreaterThan(PAYLOAD_LIMIT_BYTES);
    expect(refused).toBeLessThan(PAYLOAD_LIMIT_BYTES + 20_000);
    expect(emu.dump().sheets[0]?.cells.Z1).toBeUndefined();

    emu.resetCounters();
    await emu.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Data').getRangeByIndexes(10, 0, 100, 15).values = cellsOf(3_300);
      await ctx.sync();
    });
    expect(emu.syncPayloads[0]?.requestBytes).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    expect(emu.syncPayloads[0]?.error).toBeUndefined();
  });
});

describe('response bytes: results named by action id', () => {
  it('costs the same to load a sheet at the end of a chain as the first one', async () => {
    const emu = workbook(60);
    const loadAt = async (k: number): Promise<number> => {
      emu.resetCounters();
      await emu.run(async (ctx) => {
        let sheet = ctx.workbook.worksheets.getFirst();
        for (let i = 0; i < k; i++) sheet = sheet.getNextOrNullObject();
        sheet.load('position');
        await ctx.sync();
      });
      return emu.syncPayloads[0]?.responseBytes ?? -1;
    };
    const first = await loadAt(0);
    const last = await loadAt(59);
    expect(last - first).toBeLessThanOrEqual(4);
  });
});
