/**
 * Tests of the in-memory Excel emulator (test/support/excel-emulator.ts): that it behaves like
 * office-js where the adapter depends on it, and that it is strict where real Excel is strict.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  createExcelEmulator,
  EmulatedOfficeError,
  EmulatedRange,
  EmulatedRequestContext,
  EmulatedWorkbookInit,
  EmulatedWorksheetChangedEventArgs,
  EmulatorGapError,
  ExcelEmulator,
  PAYLOAD_LIMIT_BYTES,
  quoteSheetName,
  columnLetters,
  columnIndexOf,
} from './support/excel-emulator';
import { officeError } from './support/office-error';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function workbook(): EmulatedWorkbookInit {
  return {
    sheets: [
      {
        name: 'Data',
        cells: {
          A1: { value: 'KPI', bold: true },
          B1: { value: 'Target' },
          A2: { value: 'Waiting times' },
          B2: { value: 0.95, numberFormat: '0%' },
          C2: { value: 0.475, formula: '=B2/2' },
          A3: { value: 'Complaints' },
          B3: { value: 1234.5, numberFormat: '#,##0', fill: '#ffff00' },
        },
        columnWidths: { A: 120 },
        hiddenColumns: ['D'],
      },
      { name: 'My Sheet', cells: {} },
      { name: 'Locked', cells: { A1: { value: 1 } }, protected: true },
    ],
    settings: { version: 1, layout: { header: 1 } },
    names: [{ name: 'Targets', reference: '=Data!$B$2:$B$3', comment: 'targets column' }],
  };
}

let emu: ExcelEmulator;
beforeEach(() => {
  emu = createExcelEmulator(workbook());
});

/** Call a function that must throw synchronously; returns the error. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

function data(ctx: EmulatedRequestContext) {
  return ctx.workbook.worksheets.getItem('Data');
}

/** Load and return one property of a range in its own run. */
async function read<K extends 'values' | 'formulas' | 'numberFormat' | 'text' | 'valueTypes' | 'address'>(
  address: string,
  prop: K,
  sheet = 'Data',
): Promise<EmulatedRange[K]> {
  return emu.run(async (ctx) => {
    const r = ctx.workbook.worksheets.getItem(sheet).getRange(address);
    r.load(prop);
    await ctx.sync();
    return r[prop];
  });
}

function cell(address: string, sheet = 'Data') {
  return emu.dump().sheets.find((s) => s.name === sheet)?.cells[address];
}

// ---------------------------------------------------------------------------------------------

describe('typing against office-js', () => {
  it('accepts office-js typed code: Excel.RequestContext is assignable to EmulatedRequestContext', async () => {
    // Compile-time check: every emulated interface is a structural subset of the office-js one.
    const asEmulated = (ctx: Excel.RequestContext): EmulatedRequestContext => ctx;
    expect(typeof asEmulated).toBe('function');
    const officeTyped = async (ctx: Excel.RequestContext): Promise<unknown> => {
      const r = ctx.workbook.worksheets.getItem('Data').getRange('A1');
      r.load('values');
      await ctx.sync();
      return r.values[0]?.[0];
    };
    await expect(emu.run(officeTyped)).resolves.toBe('KPI');
  });

  it('exposes the office-js enums it emulates with their string values', () => {
    expect(emu.Excel.ConditionalFormatType.custom).toBe('Custom');
    expect(emu.Excel.ClearApplyTo.contents).toBe('Contents');
    expect(emu.Excel.RangeValueType.double).toBe('Double');
    expect(emu.Excel.EventTriggerSource.thisLocalAddin).toBe('ThisLocalAddin');
  });
});

describe('run and sync', () => {
  it('returns the value the batch resolves to', async () => {
    await expect(emu.run(async () => 42)).resolves.toBe(42);
  });

  it('rejects a batch that does not return a promise with RunMustReturnPromise', async () => {
    const notAsync = (() => 1) as unknown as (ctx: EmulatedRequestContext) => Promise<number>;
    expect((await officeError(emu.run(notAsync))).code).toBe('RunMustReturnPromise');
  });

  it('counts every context.sync() across runs, including empty ones', async () => {
    await emu.run(async (ctx) => {
      await ctx.sync();
      await ctx.sync();
    });
    await emu.run(async (ctx) => {
      await ctx.sync();
    });
    expect(emu.syncCount).toBe(3);
    expect(emu.syncPayloads).toHaveLength(3);
    expect(emu.runCount).toBe(2);
  });

  it('flushes work left queued at the end of run with one implicit, counted sync', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('E5').values = [['late']];
    });
    expect(cell('E5')?.value).toBe('late');
    expect(emu.syncCount).toBe(1);
    expect(emu.syncPayloads[0]?.implicit).toBe(true);
  });

  it('does not count a run that queued nothing', async () => {
    await emu.run(async () => undefined);
    expect(emu.syncCount).toBe(0);
  });

  it('does not apply work when the batch rejects', async () => {
    await expect(
      emu.run(async (ctx) => {
        data(ctx).getRange('E5').values = [['never']];
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(cell('E5')).toBeUndefined();
  });

  it('passes the sync pass-through value on', async () => {
    await expect(emu.run((ctx) => ctx.sync('through'))).resolves.toBe('through');
  });

  it('throws InvalidObjectPath when work is queued on an object after its run finished', async () => {
    const range = await emu.run(async (ctx) => data(ctx).getRange('A1'));
    const err = thrown(() => {
      range.values = [['x']];
    });
    expect(err).toBeInstanceOf(EmulatedOfficeError);
    expect((err as EmulatedOfficeError).code).toBe('InvalidObjectPath');
  });

  it('keeps loaded values readable after the run finished', async () => {
    const range = await emu.run(async (ctx) => {
      const r = data(ctx).getRange('A1');
      r.load('values');
      await ctx.sync();
      return r;
    });
    expect(range.values).toEqual([['KPI']]);
  });

  it('reuses a request context with run(context, batch)', async () => {
    const range = await emu.run(async (ctx) => data(ctx).getRange('A1'));
    await emu.run(range.context, async (ctx) => {
      range.values = [['again']];
      await ctx.sync();
    });
    expect(cell('A1')?.value).toBe('again');
  });

  it('does not apply queued work until sync and applies it in queue order', async () => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('E1');
      r.values = [['first']];
      r.values = [['second']];
      expect(cell('E1')).toBeUndefined();
      await ctx.sync();
      expect(cell('E1')?.value).toBe('second');
    });
  });
});

describe('loading properties', () => {
  const unloadedReads: [string, (ctx: EmulatedRequestContext) => () => unknown][] = [
    ['range.values', (ctx) => { const r = data(ctx).getRange('A1'); return () => r.values; }],
    ['range.address', (ctx) => { const r = data(ctx).getRange('A1'); return () => r.address; }],
    ['range.text', (ctx) => { const r = data(ctx).getRange('A1'); return () => r.text; }],
    ['worksheet.name', (ctx) => { const s = data(ctx); return () => s.name; }],
    ['worksheets.items', (ctx) => { const c = ctx.workbook.worksheets; return () => c.items; }],
    ['format.fill.color', (ctx) => { const f = data(ctx).getRange('A1').format.fill; return () => f.color; }],
    ['setting.value', (ctx) => { const s = ctx.workbook.settings.getItem('version'); return () => s.value; }],
    ['runtime.enableEvents', (ctx) => { const r = ctx.runtime; return () => r.enableEvents; }],
    ['protection.protected', (ctx) => { const p = data(ctx).protection; return () => p.protected; }],
    ['named item formula', (ctx) => { const n = ctx.workbook.names.getItem('Targets'); return () => n.formula; }],
  ];

  it.each(unloadedReads)('throws PropertyNotLoaded when reading %s without load', async (_name, make) => {
    await emu.run(async (ctx) => {
      const readIt = make(ctx);
      await ctx.sync();
      const err = thrown(readIt);
      expect(err).toBeInstanceOf(EmulatedOfficeError);
      expect((err as EmulatedOfficeError).code).toBe('PropertyNotLoaded');
    });
  });

  it('throws PropertyNotLoaded when a property was loaded but not yet synced', async () => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('A1');
      r.load('values');
      expect((thrown(() => r.values) as EmulatedOfficeError).code).toBe('PropertyNotLoaded');
      const pending = ctx.sync();
      expect((thrown(() => r.values) as EmulatedOfficeError).code).toBe('PropertyNotLoaded');
      await pending;
      expect(r.values).toEqual([['KPI']]);
    });
  });

  it('makes a value set in the same batch readable without load', async () => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('E1:F1');
      r.values = [[1, 2]];
      r.format.fill.color = '#00FF00';
      expect(r.values).toEqual([[1, 2]]);
      expect(r.format.fill.color).toBe('#00FF00');
      expect((thrown(() => r.formulas) as EmulatedOfficeError).code).toBe('PropertyNotLoaded');
    });
  });

  const loadForms: [string, (r: EmulatedRange, ctx: EmulatedRequestContext) => void][] = [
    ['a comma-separated string', (r) => r.load('values, address')],
    ['an array', (r) => r.load(['values', 'address'])],
    ['a select option', (r) => r.load({ select: 'values,address' })],
    ['context.load', (r, ctx) => ctx.load(r, 'values,address')],
    ['no argument (all scalar properties)', (r) => r.load()],
  ];

  it.each(loadForms)('loads properties given as %s', async (_name, load) => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('A1:B1');
      load(r, ctx);
      await ctx.sync();
      expect(r.values).toEqual([['KPI', 'Target']]);
      expect(r.address).toBe('Data!A1:B1');
    });
  });

  it('loads navigation paths such as format/fill/color', async () => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('B3');
      r.load('format/fill/color, format/font/bold');
      await ctx.sync();
      expect(r.format.fill.color).toBe('#FFFF00');
      expect(r.format.font.bold).toBe(false);
    });
  });

  it('returns loaded properties from toJSON', async () => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('A1');
      r.load('values,rowIndex');
      await ctx.sync();
      expect(JSON.parse(JSON.stringify(r))).toEqual({ values: [['KPI']], rowIndex: 0 });
    });
  });

  it('returns a snapshot: loaded values do not change until loaded again', async () => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('A1');
      r.load('values');
      await ctx.sync();
      data(ctx).getRange('A1').values = [['changed']];
      await ctx.sync();
      expect(r.values).toEqual([['KPI']]);
      r.load('values');
      await ctx.sync();
      expect(r.values).toEqual([['changed']]);
    });
  });
});

describe('worksheets', () => {
  it('lists sheets with load("items/name")', async () => {
    const names = await emu.run(async (ctx) => {
      const sheets = ctx.workbook.worksheets;
      sheets.load('items/name');
      await ctx.sync();
      return sheets.items.map((s) => s.name);
    });
    expect(names).toEqual(['Data', 'My Sheet', 'Locked']);
  });

  it('loads all item properties with load("items")', async () => {
    const first = await emu.run(async (ctx) => {
      const sheets = ctx.workbook.worksheets;
      sheets.load('items');
      await ctx.sync();
      const s = sheets.items[0];
      return { name: s?.name, position: s?.position, visibility: s?.visibility, hasId: typeof s?.id === 'string' };
    });
    expect(first).toEqual({ name: 'Data', position: 0, visibility: 'Visible', hasId: true });
  });

  it('fails the sync with ItemNotFound for getItem of a missing sheet, even if the proxy is not used further', async () => {
    const err = await officeError(
      emu.run(async (ctx) => {
        ctx.workbook.worksheets.getItem('Nope');
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('ItemNotFound');
  });

  it('finds sheets by name case-insensitively', async () => {
    const name = await emu.run(async (ctx) => {
      const s = ctx.workbook.worksheets.getItem('my sheet');
      s.load('name');
      await ctx.sync();
      return s.name;
    });
    expect(name).toBe('My Sheet');
  });

  it('reports isNullObject after sync for getItemOrNullObject', async () => {
    const result = await emu.run(async (ctx) => {
      const missing = ctx.workbook.worksheets.getItemOrNullObject('Nope');
      const present = ctx.workbook.worksheets.getItemOrNullObject('Data');
      await ctx.sync();
      return [missing.isNullObject, present.isNullObject];
    });
    expect(result).toEqual([true, false]);
  });

  it('throws PropertyNotLoaded when isNullObject is read before sync', async () => {
    await emu.run(async (ctx) => {
      const s = ctx.workbook.worksheets.getItemOrNullObject('Nope');
      expect((thrown(() => s.isNullObject) as EmulatedOfficeError).code).toBe('PropertyNotLoaded');
      await ctx.sync();
    });
  });

  it('returns undefined for loaded properties of a null object, like office-js', async () => {
    await emu.run(async (ctx) => {
      const s = ctx.workbook.worksheets.getItemOrNullObject('Nope');
      s.load('name');
      await ctx.sync();
      expect(s.name).toBeUndefined();
    });
  });

  it('fails with ItemNotFound when writing through a null object', async () => {
    const err = await officeError(
      emu.run(async (ctx) => {
        ctx.workbook.worksheets.getItemOrNullObject('Nope').getRange('A1').values = [[1]];
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('ItemNotFound');
  });

  it('adds a worksheet at the end and lets the batch use it at once', async () => {
    await emu.run(async (ctx) => {
      const s = ctx.workbook.worksheets.add('Output');
      s.getRange('A1').values = [['hello']];
      await ctx.sync();
    });
    expect(emu.dump().sheets.map((s) => s.name)).toEqual(['Data', 'My Sheet', 'Locked', 'Output']);
    expect(cell('A1', 'Output')?.value).toBe('hello');
  });

  it.each([
    ['a duplicate name (any case)', 'data', 'ItemAlreadyExists'],
    ['a name longer than 31 characters', 'x'.repeat(32), 'InvalidArgument'],
    ['a name with a forbidden character', 'a/b', 'InvalidArgument'],
    ['an empty name', '', 'InvalidArgument'],
  ])('rejects adding a worksheet with %s', async (_what, name, code) => {
    const err = await officeError(
      emu.run(async (ctx) => {
        ctx.workbook.worksheets.add(name);
        await ctx.sync();
      }),
    );
    expect(err.code).toBe(code);
  });

  it('returns the active worksheet and changes it with activate()', async () => {
    const before = await emu.run(async (ctx) => {
      const s = ctx.workbook.worksheets.getActiveWorksheet();
      s.load('name');
      await ctx.sync();
      return s.name;
    });
    await emu.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('My Sheet').activate();
      await ctx.sync();
    });
    expect(before).toBe('Data');
    expect(emu.activeSheetName).toBe('My Sheet');
  });

  it('counts worksheets with getCount()', async () => {
    const n = await emu.run(async (ctx) => {
      const count = ctx.workbook.worksheets.getCount();
      expect((thrown(() => count.value) as EmulatedOfficeError).code).toBe('ValueNotLoaded');
      await ctx.sync();
      return count.value;
    });
    expect(n).toBe(3);
  });
});

describe('range addressing', () => {
  type Make = (ctx: EmulatedRequestContext) => EmulatedRange;
  const cases: [string, Make, string, number, number, number, number][] = [
    ['getRange("B2")', (c) => data(c).getRange('B2'), 'Data!B2', 1, 1, 1, 1],
    ['getRange("a1:c3") (lower case)', (c) => data(c).getRange('a1:c3'), 'Data!A1:C3', 0, 0, 3, 3],
    ['getRange("C3:A1") (reversed)', (c) => data(c).getRange('C3:A1'), 'Data!A1:C3', 0, 0, 3, 3],
    ['getRange("$B$2:$C$4")', (c) => data(c).getRange('$B$2:$C$4'), 'Data!B2:C4', 1, 1, 3, 2],
    ['getRange("Data!B2") (own sheet)', (c) => data(c).getRange('Data!B2'), 'Data!B2', 1, 1, 1, 1],
    ['getRange("A:C") (whole columns)', (c) => data(c).getRange('A:C'), 'Data!A:C', 0, 0, 1048576, 3],
    ['getRange("2:3") (whole rows)', (c) => data(c).getRange('2:3'), 'Data!2:3', 1, 0, 2, 16384],
    ['getRangeByIndexes(1, 2, 3, 4)', (c) => data(c).getRangeByIndexes(1, 2, 3, 4), 'Data!C2:F4', 1, 2, 3, 4],
    ['worksheet.getCell(9, 27)', (c) => data(c).getCell(9, 27), 'Data!AB10', 9, 27, 1, 1],
    ['range.getCell(1, 1)', (c) => data(c).getRange('B2:D4').getCell(1, 1), 'Data!C3', 2, 2, 1, 1],
    ['range.getCell outside the range', (c) => data(c).getRange('B2').getCell(5, 0), 'Data!B7', 6, 1, 1, 1],
    ['getResizedRange(2, 1)', (c) => data(c).getRange('B2').getResizedRange(2, 1), 'Data!B2:C4', 1, 1, 3, 2],
    ['getOffsetRange(1, -1)', (c) => data(c).getRange('B2:C3').getOffsetRange(1, -1), 'Data!A3:B4', 2, 0, 2, 2],
    ['getRow(1)', (c) => data(c).getRange('A1:C3').getRow(1), 'Data!A2:C2', 1, 0, 1, 3],
    ['getColumn(2)', (c) => data(c).getRange('A1:C3').getColumn(2), 'Data!C1:C3', 0, 2, 3, 1],
    ['getEntireColumn()', (c) => data(c).getRange('B2:C3').getEntireColumn(), 'Data!B:C', 0, 1, 1048576, 2],
    ['a sheet name with a space', (c) => c.workbook.worksheets.getItem('My Sheet').getRange('A1'), "'My Sheet'!A1", 0, 0, 1, 1],
  ];

  it.each(cases)('resolves %s', async (_name, make, address, rowIndex, columnIndex, rowCount, columnCount) => {
    const got = await emu.run(async (ctx) => {
      const r = make(ctx);
      r.load('address, rowIndex, columnIndex, rowCount, columnCount');
      await ctx.sync();
      return [r.address, r.rowIndex, r.columnIndex, r.rowCount, r.columnCount];
    });
    expect(got).toEqual([address, rowIndex, columnIndex, rowCount, columnCount]);
  });

  const invalid: [string, Make][] = [
    ['getRange("A0")', (c) => data(c).getRange('A0')],
    ['getRange("XFE1") (beyond the last column)', (c) => data(c).getRange('XFE1')],
    ['getRange("A1048577") (beyond the last row)', (c) => data(c).getRange('A1048577')],
    ['getRange("hello")', (c) => data(c).getRange('hello')],
    ['getRange("Other!A1") (another sheet)', (c) => data(c).getRange('My Sheet!A1')],
    ['getRangeByIndexes with rowCount 0', (c) => data(c).getRangeByIndexes(0, 0, 0, 1)],
    ['getCell(-1, 0)', (c) => data(c).getCell(-1, 0)],
    ['getResizedRange to zero rows', (c) => data(c).getRange('A1').getResizedRange(-1, 0)],
    ['getOffsetRange off the grid', (c) => data(c).getRange('A1').getOffsetRange(0, -1)],
  ];

  it.each(invalid)('fails the sync with InvalidArgument for %s', async (_name, make) => {
    const err = await officeError(
      emu.run(async (ctx) => {
        make(ctx);
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('InvalidArgument');
  });

  it('quotes sheet names in addresses like Excel', () => {
    expect(quoteSheetName('Data')).toBe('Data');
    expect(quoteSheetName('My Sheet')).toBe("'My Sheet'");
    expect(quoteSheetName("Bob's")).toBe("'Bob''s'");
    expect(quoteSheetName('2024')).toBe("'2024'");
    expect(quoteSheetName('A1')).toBe("'A1'");
    expect(quoteSheetName('Q1-Q2')).toBe("'Q1-Q2'");
  });

  it('converts between column letters and indexes', () => {
    expect([0, 25, 26, 701, 16383].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'ZZ', 'XFD']);
    expect(['A', 'z', 'AA', 'XFD', 'XFE', 'A1'].map(columnIndexOf)).toEqual([0, 25, 26, 16383, -1, -1]);
  });

  it('returns the bounding box of used cells from getUsedRange, counting formatted cells unless valuesOnly', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('F9').format.fill.color = 'red';
      const all = data(ctx).getUsedRange();
      const valuesOnly = data(ctx).getUsedRange(true);
      all.load('address');
      valuesOnly.load('address');
      await ctx.sync();
      expect(all.address).toBe('Data!A1:F9');
      expect(valuesOnly.address).toBe('Data!A1:C3');
    });
  });

  it('returns A1 from getUsedRange and a null object from getUsedRangeOrNullObject on an empty sheet', async () => {
    await emu.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItem('My Sheet');
      const used = sheet.getUsedRange();
      const orNull = sheet.getUsedRangeOrNullObject(true);
      used.load('address');
      await ctx.sync();
      expect(used.address).toBe("'My Sheet'!A1");
      expect(orNull.isNullObject).toBe(true);
    });
  });

  it('fixes a used range when first synced, like a tracked office-js range', async () => {
    await emu.run(async (ctx) => {
      const used = data(ctx).getUsedRange(true);
      used.load('address');
      await ctx.sync();
      data(ctx).getRange('H20').values = [[1]];
      used.load('address');
      await ctx.sync();
      expect(used.address).toBe('Data!A1:C3');
    });
  });
});

describe('reading cells', () => {
  it('reads values with "" for empty cells and cached values for formulas', async () => {
    expect(await read('A2:D2', 'values')).toEqual([['Waiting times', 0.95, 0.475, '']]);
  });

  it('reads formulas, falling back to the value where a cell has no formula', async () => {
    expect(await read('A2:D2', 'formulas')).toEqual([['Waiting times', 0.95, '=B2/2', '']]);
  });

  it('reads numberFormat with General as the default', async () => {
    expect(await read('A2:B2', 'numberFormat')).toEqual([['General', '0%']]);
  });

  it('reads valueTypes', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('E1:H1').values = [[true, '#N/A', 'x', 3]];
      await ctx.sync();
    });
    expect(await read('D1:H1', 'valueTypes')).toEqual([['Empty', 'Boolean', 'Error', 'String', 'Double']]);
  });
});

describe('text rendering', () => {
  const cases: [EmulatedRange['values'][number][number], string, string][] = [
    [1234, 'General', '1234'],
    [0.1 + 0.2, 'General', '0.3'],
    [-2.5, 'General', '-2.5'],
    [1e21, 'General', '1E+21'],
    [3.14159, '0', '3'],
    [2.5, '0', '3'],
    [3.14159, '0.0', '3.1'],
    [1.005, '0.00', '1.01'],
    [1234567.891, '#,##0', '1,234,568'],
    [1234567.891, '#,##0.00', '1,234,567.89'],
    [0.953, '0%', '95%'],
    [0.9534, '0.0%', '95.3%'],
    [-0.12345, '0.00%', '-12.35%'],
    [1234.5, '£#,##0', '£1,235'],
    [-1234.5, '£#,##0', '-£1,235'],
    [12, '0" pts"', '12 pts'],
    [42, '@', '42'],
    [true, 'General', 'TRUE'],
    ['text', '0.00', 'text'],
  ];

  it.each(cases)('renders %p with format %p as %p', async (value, numberFormat, text) => {
    emu = createExcelEmulator({ sheets: [{ name: 'Data', cells: { A1: { value, numberFormat } } }] });
    expect(await read('A1', 'text')).toEqual([[text]]);
  });

  it('renders a formula cell as its cached value, or empty when it has none', async () => {
    emu = createExcelEmulator({
      sheets: [{ name: 'Data', cells: { A1: { value: 0.5, formula: '=1/2', numberFormat: '0%' }, A2: { value: null, formula: '=A1' } } }],
    });
    expect(await read('A1:A2', 'text')).toEqual([['50%'], ['']]);
  });

  it('throws not emulated for number formats outside the simple renderer', async () => {
    emu = createExcelEmulator({ sheets: [{ name: 'Data', cells: { A1: { value: 45000, numberFormat: 'dd/mm/yyyy' } } }] });
    await expect(read('A1', 'text')).rejects.toBeInstanceOf(EmulatorGapError);
  });
});

describe('writing values and formulas', () => {
  const mismatches: [string, 'values' | 'formulas' | 'numberFormat', string, unknown][] = [
    ['too few rows', 'values', 'A1:B2', [[1, 2]]],
    ['too many columns', 'values', 'A1:B2', [[1, 2, 3], [4, 5, 6]]],
    ['a ragged row', 'values', 'A1:B2', [[1, 2], [3]]],
    ['a 1-D array', 'values', 'A1:B1', [1, 2]],
    ['a 1x1 array for a 2-cell range', 'values', 'A1:B1', [[1]]],
    ['wrong formulas dimensions', 'formulas', 'A1:A2', [['=1']]],
    ['wrong numberFormat dimensions', 'numberFormat', 'A1:A2', [['0%', '0%']]],
  ];

  it.each(mismatches)('fails the sync with InvalidArgument for %s and applies nothing from that sync', async (_name, prop, address, input) => {
    const before = emu.dump();
    const err = await officeError(
      emu.run(async (ctx) => {
        data(ctx).getRange('Z1').values = [['applied?']];
        (data(ctx).getRange(address) as unknown as Record<string, unknown>)[prop] = input;
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('InvalidArgument');
    expect(emu.dump()).toEqual(before);
  });

  it('explains the dimension mismatch in the error message and debugInfo', async () => {
    const err = await officeError(
      emu.run(async (ctx) => {
        data(ctx).getRange('A1:B2').values = [[1, 2]];
        await ctx.sync();
      }),
    );
    expect(err.message).toMatch(/doesn't match the size or dimensions of the range/);
    expect(err.message).toMatch(/2x2.*1x2/);
    expect(err.debugInfo).toMatchObject({ code: 'InvalidArgument', errorLocation: 'Range.values' });
  });

  it('applies a single non-array value to every cell of the range', async () => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('E1:F2');
      (r as unknown as { values: unknown }).values = 7;
      (r as unknown as { numberFormat: unknown }).numberFormat = '0.0';
      await ctx.sync();
    });
    expect(await read('E1:F2', 'text')).toEqual([['7.0', '7.0'], ['7.0', '7.0']]);
  });

  it('leaves a cell unchanged where the array holds null', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('A1:B1').values = [[null, 'New target']];
      await ctx.sync();
    });
    expect(await read('A1:B1', 'values')).toEqual([['KPI', 'New target']]);
  });

  it('clears the content but keeps the formatting when writing ""', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('B3').values = [['']];
      await ctx.sync();
    });
    expect(cell('B3')).toEqual({ value: null, formula: null, numberFormat: '#,##0', fill: '#FFFF00', fontColor: null, bold: false });
  });

  it.each([
    ['undefined', undefined],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['an object', { a: 1 }],
    ['text longer than 32767 characters', 'x'.repeat(32768)],
  ])('rejects %s in a values array with InvalidArgument', async (_name, bad) => {
    const err = await officeError(
      emu.run(async (ctx) => {
        data(ctx).getRange('E1').values = [[bad]];
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('InvalidArgument');
  });

  const inputs: [string, string, { value: unknown; formula: string | null; numberFormat?: string }][] = [
    ['stores a value that begins with = as a formula', '=HYPERLINK("http://x","y")', { value: null, formula: '=HYPERLINK("http://x","y")' }],
    ['stores a value that begins with - as a formula', '-3,467', { value: null, formula: '=-3,467' }],
    ['stores a value that begins with + as a formula', '+cmd|calc', { value: null, formula: '=+cmd|calc' }],
    ['keeps a lone "-" as text', '-', { value: '-', formula: null }],
    ['stores text after a leading apostrophe', "'=1+1", { value: '=1+1', formula: null }],
    ['converts "TRUE" to a boolean', 'TRUE', { value: true, formula: null }],
    ['converts digits to a number', '007', { value: 7, formula: null }],
    ['converts "1,234" to a number formatted #,##0', '1,234', { value: 1234, formula: null, numberFormat: '#,##0' }],
    ['converts "12%" to 0.12 formatted 0%', '12%', { value: 0.12, formula: null, numberFormat: '0%' }],
    ['keeps other text as text', 'Waiting (days)', { value: 'Waiting (days)', formula: null }],
  ];

  it.each(inputs)('%s', async (_name, input, expected) => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('E1').values = [[input]];
      await ctx.sync();
    });
    expect(cell('E1')).toMatchObject({ numberFormat: 'General', ...expected });
  });

  it('stores strings literally in a cell formatted as text (@)', async () => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('E1:E2');
      r.numberFormat = [['@'], ['@']];
      r.values = [['=SUM(A1:A2)'], ['1,234']];
      await ctx.sync();
    });
    expect(cell('E1')).toMatchObject({ value: '=SUM(A1:A2)', formula: null });
    expect(cell('E2')).toMatchObject({ value: '1,234', formula: null });
  });

  it('stores formulas written through formulas with no cached value (the emulator does not calculate)', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('E1:E2').formulas = [['=B2*2'], [5]];
      await ctx.sync();
    });
    expect(cell('E1')).toMatchObject({ value: null, formula: '=B2*2' });
    expect(cell('E2')).toMatchObject({ value: 5, formula: null });
    expect(await read('E1:E2', 'formulas')).toEqual([['=B2*2'], [5]]);
    expect(await read('E1:E2', 'values')).toEqual([[''], [5]]);
  });

  it('replaces a formula when a plain value is written over it', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('C2').values = [[1]];
      await ctx.sync();
    });
    expect(cell('C2')).toMatchObject({ value: 1, formula: null });
  });

  it('applies several writes at once with set()', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('E1').set({ values: [['set']], numberFormat: [['@']], format: { fill: { color: 'red' }, font: { bold: true } } });
      await ctx.sync();
    });
    expect(cell('E1')).toEqual({ value: 'set', formula: null, numberFormat: '@', fill: '#FF0000', fontColor: null, bold: true });
  });

  it('sets numberFormat per cell and resets to General with ""', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('B2:B3').numberFormat = [['0.0%'], ['']];
      await ctx.sync();
    });
    expect(cell('B2')?.numberFormat).toBe('0.0%');
    expect(cell('B3')?.numberFormat).toBe('General');
  });
});

describe('sheet protection', () => {
  type Write = (ctx: EmulatedRequestContext) => void;
  const locked = (ctx: EmulatedRequestContext) => ctx.workbook.worksheets.getItem('Locked');
  const writes: [string, Write][] = [
    ['values', (c) => { locked(c).getRange('B1').values = [[2]]; }],
    ['formulas', (c) => { locked(c).getRange('B1').formulas = [['=1']]; }],
    ['numberFormat', (c) => { locked(c).getRange('B1').numberFormat = [['0%']]; }],
    ['fill colour', (c) => { locked(c).getRange('B1').format.fill.color = 'red'; }],
    ['fill clear', (c) => { locked(c).getRange('A1').format.fill.clear(); }],
    ['font colour', (c) => { locked(c).getRange('B1').format.font.color = 'red'; }],
    ['bold', (c) => { locked(c).getRange('B1').format.font.bold = true; }],
    ['clear()', (c) => { locked(c).getRange('A1').clear(); }],
    ['column width', (c) => { locked(c).getRange('B1').format.columnWidth = 80; }],
    ['column hidden', (c) => { locked(c).getRange('B1').columnHidden = true; }],
    ['adding a conditional format', (c) => { locked(c).getRange('A1').conditionalFormats.add('Custom'); }],
    ['clearing conditional formats', (c) => { locked(c).getRange('A1').conditionalFormats.clearAll(); }],
  ];

  it.each(writes)('fails a write of %s to a protected sheet with AccessDenied and applies nothing from that sync', async (_name, write) => {
    const before = emu.dump();
    const err = await officeError(
      emu.run(async (ctx) => {
        data(ctx).getRange('Z1').values = [['applied?']];
        write(ctx);
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('AccessDenied');
    expect(emu.dump()).toEqual(before);
  });

  it('allows reading a protected sheet and reports protection.protected', async () => {
    const got = await emu.run(async (ctx) => {
      const r = locked(ctx).getRange('A1');
      const p = locked(ctx).protection;
      r.load('values');
      p.load('protected');
      await ctx.sync();
      return [r.values, p.protected];
    });
    expect(got).toEqual([[[1]], true]);
  });

  it('lets tests protect and unprotect a sheet with setProtected', async () => {
    emu.setProtected('Data', true);
    const denied = await officeError(
      emu.run(async (ctx) => {
        data(ctx).getRange('A1').values = [['x']];
        await ctx.sync();
      }),
    );
    emu.setProtected('Data', false);
    await emu.run(async (ctx) => {
      data(ctx).getRange('A1').values = [['x']];
      await ctx.sync();
    });
    expect(denied.code).toBe('AccessDenied');
    expect(cell('A1')?.value).toBe('x');
  });
});

describe('atomic syncs', () => {
  it('discards every operation of a failed sync, including added sheets, names and settings', async () => {
    const before = emu.dump();
    await officeError(
      emu.run(async (ctx) => {
        ctx.workbook.worksheets.add('New');
        ctx.workbook.names.add('Extra', '=Data!$A$1');
        ctx.workbook.settings.add('k', 'v');
        data(ctx).getRange('A1').select();
        ctx.runtime.enableEvents = false;
        data(ctx).getRange('A1:B1').values = [[1]];
        await ctx.sync();
      }),
    );
    expect(emu.dump()).toEqual(before);
    expect(emu.enableEvents).toBe(true);
  });

  it('keeps earlier successful syncs of the same run', async () => {
    await officeError(
      emu.run(async (ctx) => {
        data(ctx).getRange('E1').values = [['kept']];
        await ctx.sync();
        data(ctx).getRange('E2:E3').values = [['lost']];
        await ctx.sync();
      }),
    );
    expect(cell('E1')?.value).toBe('kept');
    expect(cell('E2')).toBeUndefined();
  });

  it('rejects later use of an object created by a failed sync with InvalidObjectPath', async () => {
    await emu.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.add('New');
      data(ctx).getRange('A1:B1').values = [[1]];
      await expect(ctx.sync()).rejects.toMatchObject({ code: 'InvalidArgument' });
      sheet.load('name');
      await expect(ctx.sync()).rejects.toMatchObject({ code: 'InvalidObjectPath' });
    });
  });
});

describe('payload accounting and limits', () => {
  it('measures request bytes as UTF-8 of the serialised operations', async () => {
    const measure = async (text: string): Promise<number> => {
      emu.resetCounters();
      await emu.run(async (ctx) => {
        data(ctx).getRange('E1').values = [[text]];
        await ctx.sync();
      });
      return emu.syncPayloads[0]?.requestBytes ?? -1;
    };
    const ascii = await measure('aaaaaaaaaa');
    const accented = await measure('éééééééééé');
    expect(ascii).toBeGreaterThan(10);
    expect(accented - ascii).toBe(10);
  });

  it('measures response bytes as UTF-8 of the loaded data', async () => {
    const measure = async (text: string): Promise<number> => {
      emu = createExcelEmulator({ sheets: [{ name: 'Data', cells: { A1: { value: text } } }] });
      await read('A1', 'values');
      return emu.syncPayloads[0]?.responseBytes ?? -1;
    };
    expect((await measure('€€€')) - (await measure('aaa'))).toBe(6);
  });

  it('records the request and response size of every sync', async () => {
    await read('A1:C3', 'values');
    expect(emu.syncPayloads).toEqual([expect.objectContaining({ requestBytes: expect.any(Number), responseBytes: expect.any(Number), actions: 3, implicit: false })]);
    // getItem + getRange (each instantiates an object path, as in office-js) + load
    expect(emu.syncPayloads[0]?.responseBytes).toBeGreaterThan(50);
  });

  it('fails with RequestPayloadSizeLimitExceeded above 5,000,000 request bytes and applies nothing', async () => {
    const big = Array.from({ length: 100 }, () => Array.from({ length: 50 }, () => 'x'.repeat(1100)));
    const err = await officeError(
      emu.run(async (ctx) => {
        data(ctx).getRange('Z1').values = [['small']];
        data(ctx).getRangeByIndexes(10, 0, 100, 50).values = big;
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('RequestPayloadSizeLimitExceeded');
    expect(emu.syncPayloads[0]?.requestBytes).toBeGreaterThan(PAYLOAD_LIMIT_BYTES);
    expect(cell('Z1')).toBeUndefined();
  });

  it('fails with ResponsePayloadSizeLimitExceeded above 5,000,000 response bytes and discards that sync', async () => {
    const cells: Record<string, { value: string }> = {};
    for (let r = 1; r <= 200; r++) cells[`A${r}`] = { value: 'y'.repeat(30_000) };
    emu = createExcelEmulator({ sheets: [{ name: 'Data', cells }] });
    const err = await officeError(
      emu.run(async (ctx) => {
        data(ctx).getRange('B1').values = [['written']];
        data(ctx).getRange('A1:A200').load('values');
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('ResponsePayloadSizeLimitExceeded');
    expect(cell('B1')).toBeUndefined();
  });

  it.each(['A:A', 'A:C', '1:400'])('fails with ResponsePayloadSizeLimitExceeded when loading values of %s', async (address) => {
    expect((await officeError(read(address, 'values'))).code).toBe('ResponsePayloadSizeLimitExceeded');
  });

  it('allows loading a large range whose response fits the limit', async () => {
    const values = await read('A1:A500000', 'values');
    expect(values).toHaveLength(500_000);
    expect(emu.syncPayloads[0]?.responseBytes).toBeLessThanOrEqual(PAYLOAD_LIMIT_BYTES);
  });
});

describe('formatting', () => {
  it('writes fill, font colour and bold and reads them back normalised', async () => {
    const got = await emu.run(async (ctx) => {
      const r = data(ctx).getRange('E1:F1');
      r.format.fill.color = 'lightgreen';
      r.format.font.color = '#c00';
      r.format.font.bold = true;
      await ctx.sync();
      const again = data(ctx).getRange('E1:F1');
      again.load('format/fill/color, format/font/color, format/font/bold');
      await ctx.sync();
      return [again.format.fill.color, again.format.font.color, again.format.font.bold];
    });
    expect(got).toEqual(['#90EE90', '#CC0000', true]);
    expect(cell('F1')).toEqual({ value: null, formula: null, numberFormat: 'General', fill: '#90EE90', fontColor: '#CC0000', bold: true });
  });

  it('reads defaults (white fill, black font, not bold) from unformatted cells and null where cells differ', async () => {
    const got = await emu.run(async (ctx) => {
      const plain = data(ctx).getRange('H1');
      const mixed = data(ctx).getRange('A1:B3');
      plain.load('format/fill/color, format/font/color, format/font/bold');
      mixed.load('format/fill/color, format/font/bold');
      await ctx.sync();
      return [plain.format.fill.color, plain.format.font.color, plain.format.font.bold, mixed.format.fill.color, mixed.format.font.bold];
    });
    expect(got).toEqual(['#FFFFFF', '#000000', false, null, null]);
  });

  it.each([
    ['a non-colour string', 'not a colour!'],
    ['null', null],
    ['a number', 255],
  ])('rejects %s as a colour with InvalidArgument', async (_name, color) => {
    const err = await officeError(
      emu.run(async (ctx) => {
        (data(ctx).getRange('E1').format.fill as unknown as { color: unknown }).color = color;
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('InvalidArgument');
  });

  it('removes fills with fill.clear()', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('A1:C3').format.fill.clear();
      await ctx.sync();
    });
    expect(cell('B3')?.fill).toBeNull();
  });

  it('sets column widths for whole columns and reads null when they differ', async () => {
    const got = await emu.run(async (ctx) => {
      data(ctx).getRange('B5:C5').format.columnWidth = 80;
      await ctx.sync();
      const same = data(ctx).getRange('B1:C1').format;
      const differ = data(ctx).getRange('A1:B1').format;
      const dflt = data(ctx).getRange('E1').format;
      same.load('columnWidth');
      differ.load('columnWidth');
      dflt.load('columnWidth');
      await ctx.sync();
      return [same.columnWidth, differ.columnWidth, dflt.columnWidth];
    });
    expect(got).toEqual([80, null, 48]);
    expect(emu.dump().sheets[0]?.columnWidths).toEqual({ A: 120, B: 80, C: 80 });
  });

  it('hides columns and reads columnHidden as true, false or null (mixed)', async () => {
    const got = await emu.run(async (ctx) => {
      data(ctx).getRange('E:E').columnHidden = true;
      await ctx.sync();
      const ranges = ['D1:E1', 'A1', 'C1:D1'].map((a) => data(ctx).getRange(a));
      ranges.forEach((r) => r.load('columnHidden'));
      await ctx.sync();
      return ranges.map((r) => r.columnHidden);
    });
    expect(got).toEqual([true, false, null]);
    expect(emu.dump().sheets[0]?.hiddenColumns).toEqual(['D', 'E']);
  });

  it('refuses to format more cells than the emulator materialises (not emulated)', async () => {
    await expect(
      emu.run(async (ctx) => {
        data(ctx).getRange('A:A').format.fill.color = 'red';
        await ctx.sync();
      }),
    ).rejects.toBeInstanceOf(EmulatorGapError);
  });
});

describe('clear', () => {
  it.each([
    ['All', { B3: undefined }],
    ['Contents', { B3: { value: null, formula: null, numberFormat: '#,##0', fill: '#FFFF00', fontColor: null, bold: false } }],
    ['Formats', { B3: { value: 1234.5, formula: null, numberFormat: 'General', fill: null, fontColor: null, bold: false } }],
  ] as const)('clear(%p) clears the right parts of each cell', async (applyTo, expected) => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('B3').clear(applyTo);
      await ctx.sync();
    });
    expect(cell('B3')).toEqual(expected.B3);
  });

  it('clears everything by default, including conditional formats but not column widths', async () => {
    await emu.run(async (ctx) => {
      const cf = data(ctx).getRange('A1:B3').conditionalFormats.add('Custom');
      cf.custom.rule.formula = '=A1>0';
      await ctx.sync();
      data(ctx).getRange('A1:C3').clear();
      await ctx.sync();
    });
    const sheet = emu.dump().sheets[0];
    expect(sheet?.cells).toEqual({});
    expect(sheet?.conditionalFormats).toEqual([]);
    expect(sheet?.columnWidths).toEqual({ A: 120 });
  });

  it('rejects an unknown applyTo with InvalidArgument', async () => {
    const err = await officeError(
      emu.run(async (ctx) => {
        data(ctx).getRange('A1').clear('Everything' as 'All');
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('InvalidArgument');
  });
});

describe('conditional formats', () => {
  async function addRule(address: string, formula: string, fill?: string): Promise<void> {
    await emu.run(async (ctx) => {
      const cf = data(ctx).getRange(address).conditionalFormats.add(emu.Excel.ConditionalFormatType.custom);
      cf.custom.rule.formula = formula;
      if (fill) cf.custom.format.fill.color = fill;
      await ctx.sync();
    });
  }

  it('adds a custom rule with formula, fill, font, priority and stopIfTrue, visible in dump', async () => {
    await emu.run(async (ctx) => {
      const cf = data(ctx).getRange('B2:B9').conditionalFormats.add('Custom');
      cf.custom.rule.formula = '=B2<0.9';
      cf.custom.format.fill.color = '#FFC7CE';
      cf.custom.format.font.color = 'maroon';
      cf.custom.format.font.bold = true;
      cf.stopIfTrue = true;
      await ctx.sync();
    });
    expect(emu.dump().sheets[0]?.conditionalFormats).toEqual([
      { range: 'B2:B9', type: 'Custom', formula: '=B2<0.9', fill: '#FFC7CE', fontColor: '#800000', bold: true, priority: 0, stopIfTrue: true },
    ]);
  });

  it('gives a new rule priority 0 and moves a rule when its priority is set', async () => {
    await addRule('B2:B9', '=1', 'red');
    await addRule('C2:C9', '=2', 'blue');
    expect(emu.dump().sheets[0]?.conditionalFormats.map((c) => c.formula)).toEqual(['=2', '=1']);
    await emu.run(async (ctx) => {
      const cfs = data(ctx).getRange('A1:C9').conditionalFormats;
      cfs.load('items');
      await ctx.sync();
      const second = cfs.items.find((c) => c.priority === 1);
      if (second) second.priority = 0;
      await ctx.sync();
    });
    expect(emu.dump().sheets[0]?.conditionalFormats.map((c) => [c.formula, c.priority])).toEqual([['=1', 0], ['=2', 1]]);
  });

  it('lists only rules overlapping the range and counts them', async () => {
    await addRule('B2:B9', '=1');
    await addRule('E2:E9', '=2');
    const got = await emu.run(async (ctx) => {
      const cfs = data(ctx).getRange('A1:B3').conditionalFormats;
      cfs.load('items/type');
      const count = cfs.getCount();
      await ctx.sync();
      return [cfs.items.map((c) => c.type), count.value];
    });
    expect(got).toEqual([['Custom'], 1]);
  });

  it('returns the rule range from getRange() and reads its rule back', async () => {
    await addRule('B2:B9', '=B2>1', '#00ff00');
    const got = await emu.run(async (ctx) => {
      const cfs = data(ctx).getRange('B2').conditionalFormats;
      cfs.load('items');
      await ctx.sync();
      const cf = cfs.items[0];
      if (!cf) throw new Error('no rule');
      const range = cf.getRange();
      range.load('address');
      cf.custom.rule.load('formula');
      cf.custom.format.fill.load('color');
      await ctx.sync();
      return [range.address, cf.custom.rule.formula, cf.custom.format.fill.color];
    });
    expect(got).toEqual(['Data!B2:B9', '=B2>1', '#00FF00']);
  });

  it('deletes a rule with delete()', async () => {
    await addRule('B2:B9', '=1');
    await emu.run(async (ctx) => {
      const cfs = data(ctx).getRange('B2').conditionalFormats;
      cfs.load('items');
      await ctx.sync();
      cfs.items.forEach((c) => c.delete());
      await ctx.sync();
    });
    expect(emu.dump().sheets[0]?.conditionalFormats).toEqual([]);
  });

  it('clearAll removes contained rules and trims rules that stick out of the range', async () => {
    await addRule('B2:B9', '=1');
    await addRule('A1:D3', '=2');
    await addRule('F1:F2', '=3');
    await emu.run(async (ctx) => {
      data(ctx).getRange('A1:D5').conditionalFormats.clearAll();
      await ctx.sync();
    });
    expect(emu.dump().sheets[0]?.conditionalFormats.map((c) => [c.range, c.formula])).toEqual([['F1:F2', '=3'], ['B6:B9', '=1']]);
  });

  it.each([
    ['without a leading =', 'B2>1'],
    ['empty', ''],
  ])('rejects a rule formula %s with InvalidArgument', async (_name, formula) => {
    const err = await officeError(addRule('B2', formula));
    expect(err.code).toBe('InvalidArgument');
  });

  it('throws not emulated for rule types other than Custom', async () => {
    await emu.run(async (ctx) => {
      expect(() => data(ctx).getRange('A1').conditionalFormats.add('DataBar')).toThrow(EmulatorGapError);
    });
  });
});

describe('workbook names', () => {
  it('adds a name from a reference string and from a Range (absolute, quoted)', async () => {
    await emu.run(async (ctx) => {
      ctx.workbook.names.add('Actuals', '=Data!$C$2:$C$3', 'actual values');
      ctx.workbook.names.add('Output', ctx.workbook.worksheets.getItem('My Sheet').getRange('B2:C4'));
      await ctx.sync();
    });
    expect(emu.dump().names).toEqual([
      { name: 'Targets', reference: '=Data!$B$2:$B$3', comment: 'targets column', visible: true },
      { name: 'Actuals', reference: '=Data!$C$2:$C$3', comment: 'actual values', visible: true },
      { name: 'Output', reference: "='My Sheet'!$B$2:$C$4", comment: '', visible: true },
    ]);
  });

  it('reads name, formula, value, type and the referenced range', async () => {
    const got = await emu.run(async (ctx) => {
      const n = ctx.workbook.names.getItem('targets');
      n.load('name, formula, value, type, comment');
      const r = n.getRange();
      r.load('values');
      await ctx.sync();
      return [n.name, n.formula, n.value, n.type, n.comment, r.values];
    });
    expect(got).toEqual(['Targets', '=Data!$B$2:$B$3', 'Data!$B$2:$B$3', 'Range', 'targets column', [[0.95], [1234.5]]]);
  });

  it('lists names with load("items") and deletes one', async () => {
    await emu.run(async (ctx) => {
      const names = ctx.workbook.names;
      names.load('items/name');
      await ctx.sync();
      expect(names.items.map((n) => n.name)).toEqual(['Targets']);
      names.items[0]?.delete();
      await ctx.sync();
    });
    expect(emu.dump().names).toEqual([]);
  });

  it('reports a missing name as a null object', async () => {
    const isNull = await emu.run(async (ctx) => {
      const n = ctx.workbook.names.getItemOrNullObject('Missing');
      await ctx.sync();
      return n.isNullObject;
    });
    expect(isNull).toBe(true);
  });

  it.each([
    ['a duplicate name (any case)', 'TARGETS', '=Data!$A$1', 'ItemAlreadyExists'],
    ['a name that looks like a cell', 'AB12', '=Data!$A$1', 'InvalidArgument'],
    ['a name with a space', 'My Name', '=Data!$A$1', 'InvalidArgument'],
    ['a reference without =', 'Fine', 'Data!$A$1', 'InvalidArgument'],
    ['a reference to a missing sheet', 'Fine', '=Nope!$A$1', 'InvalidArgument'],
  ])('rejects %s', async (_what, name, reference, code) => {
    const err = await officeError(
      emu.run(async (ctx) => {
        ctx.workbook.names.add(name, reference);
        await ctx.sync();
      }),
    );
    expect(err.code).toBe(code);
  });
});

describe('settings', () => {
  it('adds settings and reads them back through getItemOrNullObject', async () => {
    const got = await emu.run(async (ctx) => {
      ctx.workbook.settings.add('mapping', { kpi: 'A', target: 'B' });
      await ctx.sync();
      const present = ctx.workbook.settings.getItemOrNullObject('mapping');
      const missing = ctx.workbook.settings.getItemOrNullObject('nope');
      present.load('value');
      missing.load('value');
      await ctx.sync();
      return [present.value, missing.isNullObject, missing.value];
    });
    expect(got).toEqual([{ kpi: 'A', target: 'B' }, true, undefined]);
    expect(emu.dump().settings).toEqual({ version: 1, layout: { header: 1 }, mapping: { kpi: 'A', target: 'B' } });
  });

  it('replaces a setting added again under the same key', async () => {
    await emu.run(async (ctx) => {
      ctx.workbook.settings.add('version', 2);
      await ctx.sync();
    });
    expect(emu.dump().settings.version).toBe(2);
  });

  it('lists settings with load("items") and deletes one', async () => {
    await emu.run(async (ctx) => {
      const settings = ctx.workbook.settings;
      settings.load('items');
      await ctx.sync();
      expect(settings.items.map((s) => [s.key, s.value])).toEqual([['version', 1], ['layout', { header: 1 }]]);
      settings.items[0]?.delete();
      await ctx.sync();
    });
    expect(emu.dump().settings).toEqual({ layout: { header: 1 } });
  });

  it('round-trips Dates the way office-js does', async () => {
    const when = new Date(Date.UTC(2024, 0, 2));
    const got = await emu.run(async (ctx) => {
      ctx.workbook.settings.add('lastRun', when);
      const s = ctx.workbook.settings.getItem('lastRun');
      s.load('value');
      await ctx.sync();
      return s.value as unknown;
    });
    expect(got).toEqual(when);
  });

  it('throws at once for a value that is not JSON-serialisable (undefined)', async () => {
    await emu.run(async (ctx) => {
      expect(() => ctx.workbook.settings.add('bad', undefined)).toThrow(SyntaxError);
    });
  });

  it('fails with ItemNotFound for getItem of a missing key', async () => {
    const err = await officeError(
      emu.run(async (ctx) => {
        ctx.workbook.settings.getItem('missing');
        await ctx.sync();
      }),
    );
    expect(err.code).toBe('ItemNotFound');
  });
});

describe('onChanged events', () => {
  async function listen(sheet = 'Data'): Promise<{ events: EmulatedWorksheetChangedEventArgs[]; result: { context: unknown; remove(): void } }> {
    const events: EmulatedWorksheetChangedEventArgs[] = [];
    const result = await emu.run(async (ctx) => {
      const r = ctx.workbook.worksheets.getItem(sheet).onChanged.add(async (args) => {
        events.push(args);
      });
      await ctx.sync();
      return r;
    });
    return { events, result };
  }

  it('fires handlers for a user edit with the address, details and trigger source', async () => {
    const { events } = await listen();
    await emu.edit('Data', 'B2', 0.9);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'WorksheetChanged',
      changeType: 'RangeEdited',
      source: 'Local',
      address: 'B2',
      triggerSource: 'Unknown',
      details: { valueBefore: 0.95, valueAfter: 0.9, valueTypeBefore: 'Double', valueTypeAfter: 'Double' },
    });
    expect(cell('B2')?.value).toBe(0.9);
  });

  it('fires handlers for the add-in\'s own writes, marked ThisLocalAddin', async () => {
    const { events } = await listen();
    await emu.run(async (ctx) => {
      data(ctx).getRange('E1:F2').values = [[1, 2], [3, 4]];
      await ctx.sync();
    });
    await emu.whenIdle();
    expect(events.map((e) => [e.address, e.triggerSource])).toEqual([['E1:F2', 'ThisLocalAddin']]);
  });

  it('does not fire handlers while context.runtime.enableEvents is false', async () => {
    const { events } = await listen();
    await emu.run(async (ctx) => {
      ctx.runtime.enableEvents = false;
      data(ctx).getRange('E1').values = [[1]];
      await ctx.sync();
    });
    await emu.edit('Data', 'E2', 'typed');
    expect(events).toHaveLength(0);
    expect(emu.enableEvents).toBe(false);
    const loaded = await emu.run(async (ctx) => {
      ctx.runtime.load('enableEvents');
      await ctx.sync();
      return ctx.runtime.enableEvents;
    });
    expect(loaded).toBe(false);
  });

  it('does not fire handlers of other sheets', async () => {
    const { events } = await listen('My Sheet');
    await emu.edit('Data', 'A1', 'x');
    expect(events).toHaveLength(0);
  });

  it('stops firing after the handler is removed in run(result.context, ...)', async () => {
    const { events, result } = await listen();
    await emu.run(result.context as EmulatedRequestContext, async (ctx) => {
      result.remove();
      await ctx.sync();
    });
    await emu.edit('Data', 'A1', 'x');
    expect(events).toHaveLength(0);
  });

  it('lets a handler read the changed range through args.getRange(context)', async () => {
    let seen: unknown;
    await emu.run(async (ctx) => {
      data(ctx).onChanged.add(async (args) => {
        seen = await emu.run(async (inner) => {
          const r = args.getRange(inner);
          r.load('address, values');
          await inner.sync();
          return [r.address, r.values];
        });
      });
      await ctx.sync();
    });
    await emu.edit('Data', 'E3:F3', [['a', 'b']]);
    expect(seen).toEqual(['Data!E3:F3', [['a', 'b']]]);
  });

  it('rejects the edit() promise with the error a handler threw', async () => {
    await emu.run(async (ctx) => {
      data(ctx).onChanged.add(async () => {
        throw new Error('handler failed');
      });
      await ctx.sync();
    });
    await expect(emu.edit('Data', 'A1', 'x')).rejects.toThrow('handler failed');
  });

  it('stops a cascade of handlers that keep re-triggering themselves', async () => {
    let calls = 0;
    await emu.run(async (ctx) => {
      data(ctx).onChanged.add(async () => {
        calls++;
        await emu.run(async (inner) => {
          data(inner).getRange('Z1').values = [[calls]];
          await inner.sync();
        });
      });
      await ctx.sync();
    });
    await expect(emu.edit('Data', 'A1', 'x')).rejects.toThrow(/cascade/);
    expect(calls).toBeGreaterThan(10);
    expect(calls).toBeLessThan(100);
  });

  it('refuses a user edit of a protected sheet with AccessDenied', async () => {
    expect((await officeError(emu.edit('Locked', 'A1', 2))).code).toBe('AccessDenied');
    expect(cell('A1', 'Locked')?.value).toBe(1);
  });

  it('applies a user edit at once, before its handlers have run', async () => {
    const pending = emu.edit('Data', 'A1', 'now');
    expect(cell('A1')?.value).toBe('now');
    await pending;
  });
});

describe('selection and application', () => {
  it('records the selected address and activates its sheet on select()', async () => {
    await emu.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('My Sheet').getRange('B2:C3').select();
      await ctx.sync();
    });
    expect(emu.selectedAddress).toBe("'My Sheet'!B2:C3");
    expect(emu.dump()).toMatchObject({ activeSheet: 'My Sheet', selection: "'My Sheet'!B2:C3" });
  });

  it('returns the selection from getSelectedRange()', async () => {
    const address = await emu.run(async (ctx) => {
      data(ctx).getRange('C4').select();
      const sel = ctx.workbook.getSelectedRange();
      sel.load('address');
      await ctx.sync();
      return sel.address;
    });
    expect(address).toBe('Data!C4');
  });

  it('counts suspendApiCalculationUntilNextSync calls that were synced', async () => {
    await emu.run(async (ctx) => {
      ctx.application.suspendApiCalculationUntilNextSync();
      await ctx.sync();
      ctx.workbook.application.suspendApiCalculationUntilNextSync();
      await ctx.sync();
    });
    expect(emu.calculationSuspensions).toBe(2);
  });
});

describe('gaps and errors', () => {
  const gaps: [string, (ctx: EmulatedRequestContext) => unknown][] = [
    ['Range.getBoundingRect', (c) => (data(c).getRange('A1') as unknown as Record<string, unknown>).getBoundingRect],
    ['RequestContext.trackedObjects', (c) => (c as unknown as Record<string, unknown>).trackedObjects],
    ['Worksheet.copy', (c) => (data(c) as unknown as Record<string, unknown>).copy],
    ['RangeFormat.autofitColumns', (c) => (data(c).getRange('A1').format as unknown as Record<string, unknown>).autofitColumns],
    ['RangeFont.underline (set)', (c) => { (data(c).getRange('A1').format.font as unknown as Record<string, unknown>).underline = 'Single'; }],
    ['Range.load("hyperlink")', (c) => data(c).getRange('A1').load('hyperlink')],
    ['Range.clear("Hyperlinks")', (c) => data(c).getRange('A1').clear('Hyperlinks')],
    ['Workbook.tables', (c) => (c.workbook as unknown as Record<string, unknown>).tables],
  ];

  it.each(gaps)('throws "not emulated" for %s', async (name, use) => {
    await emu.run(async (ctx) => {
      const err = thrown(() => use(ctx));
      expect(err).toBeInstanceOf(EmulatorGapError);
      expect((err as Error).message).toMatch(/^not emulated: /);
      expect((err as Error).message).toContain(name.split(/[ .(]/)[0]);
    });
  });

  it('throws "not emulated" for Excel namespace members it lacks', () => {
    expect(() => (emu.Excel as unknown as Record<string, unknown>).createWorkbook).toThrow(EmulatorGapError);
  });

  it('refuses to set a read-only property', async () => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('A1');
      expect(() => {
        (r as unknown as Record<string, unknown>).address = 'B2';
      }).toThrow(TypeError);
    });
  });

  it('raises errors shaped like OfficeExtension.Error with code, message and debugInfo', async () => {
    const err = await officeError(
      emu.run(async (ctx) => {
        ctx.workbook.worksheets.getItem('Nope').getRange('A1').load('values');
        await ctx.sync();
      }),
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(emu.OfficeExtension.Error);
    expect(err.name).toBe('RichApi.Error');
    expect(err.code).toBe('ItemNotFound');
    expect(err.message).toMatch(/doesn't exist/);
    expect(err.debugInfo).toMatchObject({ code: 'ItemNotFound', errorLocation: 'WorksheetCollection.getItem', statement: expect.stringContaining('getItem("Nope")') });
  });

  it('installs Excel and OfficeExtension globals and restores them', async () => {
    const g = globalThis as unknown as Record<string, unknown>;
    const restore = emu.installGlobals();
    try {
      const run = (g.Excel as ExcelEmulator['Excel']).run;
      await expect(run(async () => 'via global')).resolves.toBe('via global');
      expect(g.OfficeExtension).toBe(emu.OfficeExtension);
    } finally {
      restore();
    }
    expect('Excel' in g).toBe(false);
  });
});

describe('wrap, alignment, italic and standard width', () => {
  it('writes wrapText, verticalAlignment and italic, reads them back and dumps only what is set', async () => {
    const got = await emu.run(async (ctx) => {
      const r = data(ctx).getRange('E1:F1');
      r.format.wrapText = true;
      r.format.verticalAlignment = 'Top';
      r.format.font.italic = true;
      await ctx.sync();
      const same = data(ctx).getRange('E1:F1').format;
      const mixed = data(ctx).getRange('F1:G1').format;
      same.load('wrapText,verticalAlignment');
      same.font.load('italic');
      mixed.load('wrapText,verticalAlignment');
      mixed.font.load('italic');
      await ctx.sync();
      return [same.wrapText, same.verticalAlignment, same.font.italic, mixed.wrapText, mixed.verticalAlignment, mixed.font.italic];
    });
    expect(got).toEqual([true, 'Top', true, null, null, null]);
    expect(cell('E1')).toEqual({ value: null, formula: null, numberFormat: 'General', fill: null, fontColor: null, bold: false, italic: true, wrapText: true, verticalAlignment: 'Top' });
    expect(cell('A2')).toEqual({ value: 'Waiting times', formula: null, numberFormat: 'General', fill: null, fontColor: null, bold: false });
  });

  it('reads the defaults (no wrap, Bottom, not italic) from unformatted cells', async () => {
    const got = await emu.run(async (ctx) => {
      const f = data(ctx).getRange('A1:B3').format;
      f.load('wrapText,verticalAlignment');
      f.font.load('italic');
      await ctx.sync();
      return [f.wrapText, f.verticalAlignment, f.font.italic];
    });
    expect(got).toEqual([false, 'Bottom', false]);
  });

  it('rejects a vertical alignment Excel does not have', async () => {
    const err = await officeError(emu.run(async (ctx) => {
      (data(ctx).getRange('A1').format as unknown as Record<string, unknown>).verticalAlignment = 'Middle';
      await ctx.sync();
    }));
    expect(err.code).toBe('InvalidArgument');
  });

  it('clears wrap, alignment and italic with the other formats', async () => {
    await emu.run(async (ctx) => {
      const r = data(ctx).getRange('A2');
      r.format.wrapText = true;
      r.format.verticalAlignment = 'Center';
      r.format.font.italic = true;
      await ctx.sync();
      r.clear('Formats');
      await ctx.sync();
    });
    expect(cell('A2')).toEqual({ value: 'Waiting times', formula: null, numberFormat: 'General', fill: null, fontColor: null, bold: false });
  });

  it('gives columns the standard width back with useStandardWidth, leaving them hidden or shown as they were', async () => {
    const got = await emu.run(async (ctx) => {
      data(ctx).getRange('B:C').format.columnWidth = 80;
      await ctx.sync();
      const before = data(ctx).getRange('A:D').format.load('useStandardWidth');
      await ctx.sync();
      const wasStandard = before.useStandardWidth;
      data(ctx).getRange('A:D').format.useStandardWidth = true;
      await ctx.sync();
      const after = data(ctx).getRange('A:D').format.load('useStandardWidth,columnWidth');
      await ctx.sync();
      return [wasStandard, after.useStandardWidth, after.columnWidth];
    });
    // D is hidden: its width reads 0, so the four columns differ.
    expect(got).toEqual([false, true, null]);
    expect(emu.dump().sheets[0]).toMatchObject({ columnWidths: {}, hiddenColumns: ['D'] });
  });

  it('changes nothing when useStandardWidth is set to false', async () => {
    await emu.run(async (ctx) => {
      data(ctx).getRange('A:A').format.useStandardWidth = false;
      await ctx.sync();
    });
    expect(emu.dump().sheets[0]?.columnWidths).toEqual({ A: 120 });
  });

  it('carries italic, wrap and alignment from the initial workbook', () => {
    const e = createExcelEmulator({ sheets: [{ name: 'S', cells: { A1: { value: 'x', italic: true, wrapText: true, verticalAlignment: 'Top' }, A2: { value: null, verticalAlignment: 'Bottom' } } }] });
    expect(e.dump().sheets[0]?.cells).toEqual({ A1: { value: 'x', formula: null, numberFormat: 'General', fill: null, fontColor: null, bold: false, italic: true, wrapText: true, verticalAlignment: 'Top' } });
  });
});

describe('sheet visibility, deletion and workbook protection', () => {
  function visibility(name: string): string | undefined {
    return emu.dump().sheets.find((s) => s.name === name)?.visibility;
  }

  it('sets a sheet\'s visibility and reads it back', async () => {
    const got = await emu.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItem('My Sheet');
      sheet.visibility = 'VeryHidden';
      await ctx.sync();
      const again = ctx.workbook.worksheets.getItem('My Sheet').load('visibility');
      await ctx.sync();
      return again.visibility;
    });
    expect(got).toBe('VeryHidden');
    expect(visibility('My Sheet')).toBe('VeryHidden');
    expect(emu.dump().sheets.map((s) => s.name)).toEqual(['Data', 'My Sheet', 'Locked']);
  });

  it('refuses to hide the only visible sheet with InvalidOperation', async () => {
    const e = createExcelEmulator({ sheets: [{ name: 'Only', cells: {} }, { name: 'Gone', cells: {}, visibility: 'Hidden' }] });
    const err = await officeError(e.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Only').visibility = 'Hidden';
      await ctx.sync();
    }));
    expect(err.code).toBe('InvalidOperation');
  });

  it('deletes a sheet; names that referred to it become #REF!, its handlers go, and later use fails with ItemNotFound', async () => {
    await emu.run(async (ctx) => {
      ctx.workbook.names.add('OnMine', "='My Sheet'!$A$1");
      ctx.workbook.worksheets.getItem('My Sheet').delete();
      await ctx.sync();
    });
    expect(emu.dump().sheets.map((s) => s.name)).toEqual(['Data', 'Locked']);
    expect(emu.dump().names.find((n) => n.name === 'OnMine')?.reference).toBe('=#REF!');
    const err = await officeError(emu.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('My Sheet').getRange('A1').load('values');
      await ctx.sync();
    }));
    expect(err.code).toBe('ItemNotFound');
  });

  it('fails to delete a very hidden sheet with InvalidOperation, as Excel documents, and deletes it once Hidden', async () => {
    await emu.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('My Sheet').visibility = 'VeryHidden';
      await ctx.sync();
    });
    const err = await officeError(emu.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('My Sheet').delete();
      await ctx.sync();
    }));
    expect(err.code).toBe('InvalidOperation');
    expect(err.message).toMatch(/very hidden/);
    expect(visibility('My Sheet')).toBe('VeryHidden');
    await emu.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItem('My Sheet');
      sheet.visibility = 'Hidden';
      sheet.delete();
      await ctx.sync();
    });
    expect(visibility('My Sheet')).toBeUndefined();
  });

  it('refuses to delete the only visible sheet', async () => {
    const e = createExcelEmulator({ sheets: [{ name: 'Only', cells: {} }] });
    const err = await officeError(e.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Only').delete();
      await ctx.sync();
    }));
    expect(err.code).toBe('InvalidOperation');
  });

  it('reports workbook protection and refuses to add, delete, hide or show sheets while the structure is protected', async () => {
    emu.setWorkbookProtected(true);
    const isProtected = await emu.run(async (ctx) => {
      const p = ctx.workbook.protection.load('protected');
      await ctx.sync();
      return p.protected;
    });
    expect(isProtected).toBe(true);
    const attempts: Array<(ctx: EmulatedRequestContext) => void> = [
      (ctx) => ctx.workbook.worksheets.add('New'),
      (ctx) => ctx.workbook.worksheets.getItem('My Sheet').delete(),
      (ctx) => {
        ctx.workbook.worksheets.getItem('My Sheet').visibility = 'Hidden';
      },
    ];
    for (const attempt of attempts) {
      const err = await officeError(emu.run(async (ctx) => {
        attempt(ctx);
        await ctx.sync();
      }));
      expect(err.code).toBe('AccessDenied');
    }
    // Cells can still be written.
    await emu.run(async (ctx) => {
      data(ctx).getRange('E1').values = [['ok']];
      await ctx.sync();
    });
    expect(emu.dump()).toMatchObject({ structureProtected: true });
    emu.setWorkbookProtected(false);
    await emu.run(async (ctx) => {
      ctx.workbook.worksheets.add('New');
      await ctx.sync();
    });
    expect(visibility('New')).toBe('Visible');
  });

  it('walks the sheets with getFirst and getNextOrNullObject, ending in a null object', async () => {
    const got = await emu.run(async (ctx) => {
      const first = ctx.workbook.worksheets.getFirst();
      const chain = [first];
      for (let i = 0; i < 3; i++) chain.push((chain[chain.length - 1] as typeof first).getNextOrNullObject());
      chain.forEach((s) => s.load('name'));
      await ctx.sync();
      return chain.map((s) => (s.isNullObject ? null : s.name));
    });
    expect(got).toEqual(['Data', 'My Sheet', 'Locked', null]);
    const err = await officeError(emu.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('Locked').getNext().load('name');
      await ctx.sync();
    }));
    expect(err.code).toBe('ItemNotFound');
  });
});

describe('requirement sets', () => {
  it('answers isSetSupported for ExcelApi up to its apiVersion, 1.14 by default', () => {
    expect(emu.apiVersion).toBe('1.14');
    const old = createExcelEmulator(workbook(), { apiVersion: '1.7' });
    const ask = old.Office.context.requirements.isSetSupported;
    expect([ask('ExcelApi', '1.6'), ask('ExcelApi', '1.7'), ask('ExcelApi', '1.8'), ask('ExcelApi', '1.10'), ask('WordApi', '1.1')]).toEqual([true, true, false, false, false]);
    expect(emu.Office.context.requirements.isSetSupported('ExcelApi', '1.14')).toBe(true);
  });

  it('installs Office as a global and restores it', () => {
    const g = globalThis as unknown as Record<string, unknown>;
    const restore = emu.installOffice();
    expect(g.Office).toBe(emu.Office);
    restore();
    expect('Office' in g).toBe(false);
  });

  it('fails runtime.enableEvents with ApiNotFound before ExcelApi 1.8', async () => {
    const old = createExcelEmulator(workbook(), { apiVersion: '1.7' });
    for (const use of [(ctx: EmulatedRequestContext) => ctx.runtime.load('enableEvents'), (ctx: EmulatedRequestContext) => { ctx.runtime.enableEvents = false; }]) {
      const err = await officeError(old.run(async (ctx) => {
        use(ctx);
        await ctx.sync();
      }));
      expect(err.code).toBe('ApiNotFound');
      expect(err.message).toMatch(/ExcelApi 1\.8/);
    }
    expect(old.enableEvents).toBe(true);
  });

  it.each([
    ['Worksheet.getRangeByIndexes', (ctx: EmulatedRequestContext) => data(ctx).getRangeByIndexes(0, 0, 1, 1).load('values')],
    ['NamedItem.formula', (ctx: EmulatedRequestContext) => ctx.workbook.names.load('items/formula')],
    ['RangeFormat.useStandardWidth', (ctx: EmulatedRequestContext) => { data(ctx).getRange('A:A').format.useStandardWidth = true; }],
    ['Workbook.protection', (ctx: EmulatedRequestContext) => ctx.workbook.protection.load('protected')],
    ['Worksheet.onChanged', (ctx: EmulatedRequestContext) => data(ctx).onChanged.add(async () => undefined)],
  ])('fails %s (ExcelApi 1.7) with ApiNotFound on an ExcelApi 1.6 host', async (_name, use) => {
    const old = createExcelEmulator(workbook(), { apiVersion: '1.6' });
    const err = await officeError(old.run(async (ctx) => {
      use(ctx);
      await ctx.sync();
    }));
    expect(err.code).toBe('ApiNotFound');
  });

  it('leaves triggerSource out of the event arguments before ExcelApi 1.14', async () => {
    const old = createExcelEmulator(workbook(), { apiVersion: '1.8' });
    const events: EmulatedWorksheetChangedEventArgs[] = [];
    await old.run(async (ctx) => {
      data(ctx).onChanged.add(async (args) => {
        events.push(args);
      });
      await ctx.sync();
    });
    await old.edit('Data', 'E1', 1);
    expect(events).toHaveLength(1);
    expect('triggerSource' in (events[0] as object)).toBe(false);
  });

  it('rejects an apiVersion that is not an ExcelApi version', () => {
    expect(() => createExcelEmulator(workbook(), { apiVersion: 'latest' })).toThrow(/apiVersion/);
  });
});

describe('failures part-way through a sync', () => {
  it('applies the operations before the failing one with partialFailures, as real Excel does, and undoes the failing one', async () => {
    const e = createExcelEmulator(workbook(), { partialFailures: true });
    const err = await officeError(e.run(async (ctx) => {
      ctx.runtime.enableEvents = false;
      ctx.workbook.names.add('Early', '=Data!$A$1');
      data(ctx).getRange('E1').values = [['kept']];
      // E2 is written before F2 fails (text too long): the failing operation is undone as a whole.
      data(ctx).getRange('E2:F2').values = [['half', 'x'.repeat(40_000)]];
      data(ctx).getRange('E3').values = [['never']];
      await ctx.sync();
    }));
    expect(err.code).toBe('InvalidArgument');
    const d = e.dump();
    expect(d.names.map((n) => n.name)).toEqual(['Targets', 'Early']);
    expect(d.sheets[0]?.cells.E1?.value).toBe('kept');
    expect(d.sheets[0]?.cells.E2).toBeUndefined();
    expect(d.sheets[0]?.cells.E3).toBeUndefined();
    expect(e.enableEvents).toBe(false);
  });

  it('still discards the whole sync by default', async () => {
    await officeError(emu.run(async (ctx) => {
      data(ctx).getRange('E1').values = [['lost']];
      data(ctx).getRange('E2:F2').values = [['bad']];
      await ctx.sync();
    }));
    expect(cell('E1')).toBeUndefined();
  });

  it('fails the next matching operation once with failNext', async () => {
    emu.failNext('NamedItemCollection.add', 'GeneralException');
    const err = await officeError(emu.run(async (ctx) => {
      data(ctx).getRange('E1').values = [['x']];
      ctx.workbook.names.add('Later', '=Data!$A$1');
      await ctx.sync();
    }));
    expect(err.code).toBe('GeneralException');
    expect(err.debugInfo.errorLocation).toBe('NamedItemCollection.add');
    expect(cell('E1')).toBeUndefined();
    await emu.run(async (ctx) => {
      ctx.workbook.names.add('Later', '=Data!$A$1');
      await ctx.sync();
    });
    expect(emu.dump().names.map((n) => n.name)).toContain('Later');
  });

  it('fails every sync with InvalidOperationInCellEditMode while a cell is being edited, and lets the user type', async () => {
    emu.setCellEditMode(true);
    const err = await officeError(emu.run(async (ctx) => {
      data(ctx).getRange('A1').load('values');
      await ctx.sync();
    }));
    expect(err.code).toBe('InvalidOperationInCellEditMode');
    await emu.edit('Data', 'E1', 'typed');
    emu.setCellEditMode(false);
    await expect(read('E1', 'values')).resolves.toEqual([['typed']]);
  });

  it('logs the change events it dispatched, with their source', async () => {
    await emu.run(async (ctx) => {
      data(ctx).onChanged.add(async () => undefined);
      await ctx.sync();
    });
    await emu.edit('Data', 'E1', 1);
    await emu.run(async (ctx) => {
      data(ctx).getRange('F1:F2').values = [[1], [2]];
      ctx.workbook.worksheets.getItem('My Sheet').getRange('A1').values = [[1]];
      await ctx.sync();
    });
    await emu.whenIdle();
    expect(emu.eventLog).toEqual([{ sheet: 'Data', address: 'E1', source: 'Unknown' }, { sheet: 'Data', address: 'F1:F2', source: 'ThisLocalAddin' }]);
    emu.resetCounters();
    expect(emu.eventLog).toEqual([]);
  });
});

describe('dump and setup', () => {
  it('dumps every non-empty cell, widths, hidden columns, names and settings from the initial workbook', () => {
    const d = emu.dump();
    expect(d.sheets.map((s) => s.name)).toEqual(['Data', 'My Sheet', 'Locked']);
    expect(Object.keys(d.sheets[0]?.cells ?? {})).toEqual(['A1', 'B1', 'A2', 'B2', 'C2', 'A3', 'B3']);
    expect(d.sheets[0]?.cells.C2).toEqual({ value: 0.475, formula: '=B2/2', numberFormat: 'General', fill: null, fontColor: null, bold: false });
    expect(d.sheets[0]).toMatchObject({ columnWidths: { A: 120 }, hiddenColumns: ['D'], protected: false, conditionalFormats: [] });
    expect(d.sheets[2]?.protected).toBe(true);
    expect(d.names).toEqual([{ name: 'Targets', reference: '=Data!$B$2:$B$3', comment: 'targets column', visible: true }]);
    expect(d.settings).toEqual({ version: 1, layout: { header: 1 } });
    expect(d).toMatchObject({ activeSheet: 'Data', selection: 'Data!A1' });
  });

  it('returns plain data from dump that later changes do not alter', async () => {
    const d = emu.dump();
    await emu.edit('Data', 'A1', 'changed');
    expect(d.sheets[0]?.cells.A1?.value).toBe('KPI');
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it.each([
    ['no sheets', { sheets: [] }],
    ['a duplicate sheet name', { sheets: [{ name: 'A', cells: {} }, { name: 'a', cells: {} }] }],
    ['a multi-cell address', { sheets: [{ name: 'A', cells: { 'A1:B2': { value: 1 } } }] }],
    ['a formula without =', { sheets: [{ name: 'A', cells: { A1: { value: 1, formula: 'B1' } } }] }],
    ['a bad colour', { sheets: [{ name: 'A', cells: { A1: { value: 1, fill: 'nope!' } } }] }],
    ['a bad name reference', { sheets: [{ name: 'A', cells: {} }], names: [{ name: 'N', reference: '=B!$A$1' }] }],
  ] as [string, EmulatedWorkbookInit][])('rejects an initial workbook with %s', (_name, init) => {
    expect(() => createExcelEmulator(init)).toThrow(/createExcelEmulator/);
  });

  it('uses no Node-only APIs, so it can be bundled for a browser page', () => {
    const source = fs.readFileSync(path.join(__dirname, 'support', 'excel-emulator.ts'), 'utf8');
    const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/\brequire\(|\bimport\s.*from\s+['"](node:|fs|path|os|util|buffer)|\bBuffer\b|\bprocess\.|\b__dirname\b/);
    expect(code).toMatch(/TextEncoder/);
  });
});

describe('charts and page layout', () => {
  const counts = (): ExcelEmulator => createExcelEmulator({ sheets: [{ name: 'Summary', cells: {
    A1: { value: 'Table' }, B1: { value: 'Green' }, C1: { value: 'Red' },
    A2: { value: 'Indicators' }, B2: { value: 3 }, C2: { value: 1 },
    A3: { value: 'Budget' }, B3: { value: 5 }, C3: { value: 0 },
  } }] });

  it('makes a chart by columns: the first column gives the categories and the first row the series names', async () => {
    const emu = counts();
    await emu.run(async (ctx: EmulatedRequestContext) => {
      const ws = ctx.workbook.worksheets.getItem('Summary');
      const chart = ws.charts.add('BarStacked', ws.getRange('A1:C3'), 'Columns');
      chart.title.text = 'Counts';
      chart.series.getItemAt(1).format.fill.setSolidColor('#C62828');
      chart.setPosition('E1', 'J12');
      await ctx.sync();
    });
    expect(emu.dump().sheets[0]?.charts).toEqual([{
      name: 'Chart 1', type: 'BarStacked', title: 'Counts',
      series: [
        { name: 'Green', values: 'Summary!B2:B3', categories: 'Summary!A2:A3', fill: null },
        { name: 'Red', values: 'Summary!C2:C3', categories: 'Summary!A2:A3', fill: '#C62828' },
      ],
      position: { start: 'E1', end: 'J12' },
    }]);
  });

  it('refuses a series that is not there, an end cell above the start, and leaves "Auto" unemulated', async () => {
    const emu = counts();
    await expect(emu.run(async (ctx: EmulatedRequestContext) => {
      const ws = ctx.workbook.worksheets.getItem('Summary');
      ws.charts.add('BarStacked', ws.getRange('A1:C3'), 'Columns').series.getItemAt(2).name = 'x';
      await ctx.sync();
    })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(emu.run(async (ctx: EmulatedRequestContext) => {
      const ws = ctx.workbook.worksheets.getItem('Summary');
      ws.charts.add('BarStacked', ws.getRange('A1:C3'), 'Columns').setPosition('E5', 'D1');
      await ctx.sync();
    })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(emu.run(async (ctx: EmulatedRequestContext) => {
      const ws = ctx.workbook.worksheets.getItem('Summary');
      ws.charts.add('BarStacked', ws.getRange('A1:C3'), 'Auto');
      await ctx.sync();
    })).rejects.toBeInstanceOf(EmulatorGapError);
    expect(emu.dump().sheets[0]?.charts).toBeUndefined();
  });

  it('sets a print area, whole-column print titles and a fit to pages, needing ExcelApi 1.9', async () => {
    const emu = counts();
    await emu.run(async (ctx: EmulatedRequestContext) => {
      const layout = ctx.workbook.worksheets.getItem('Summary').pageLayout;
      layout.setPrintArea('A1:C3');
      layout.setPrintTitleColumns('A:A');
      layout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
      await ctx.sync();
    });
    expect(emu.dump().sheets[0]?.pageLayout).toEqual({ printArea: 'A1:C3', printTitleColumns: 'A:A', zoom: { horizontalFitToPages: 1, verticalFitToPages: 0 } });
    await expect(emu.run(async (ctx: EmulatedRequestContext) => {
      ctx.workbook.worksheets.getItem('Summary').pageLayout.setPrintTitleColumns('A1:A3');
      await ctx.sync();
    })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(emu.run(async (ctx: EmulatedRequestContext) => {
      ctx.workbook.worksheets.getItem('Summary').pageLayout.zoom = { scale: 80, horizontalFitToPages: 1 };
      await ctx.sync();
    })).rejects.toMatchObject({ code: 'InvalidArgument' });
    const old = createExcelEmulator({ sheets: [{ name: 'S', cells: {} }] }, { apiVersion: '1.8' });
    await expect(old.run(async (ctx: EmulatedRequestContext) => {
      ctx.workbook.worksheets.getItem('S').pageLayout.setPrintArea('A1');
      await ctx.sync();
    })).rejects.toMatchObject({ code: 'ApiNotFound' });
  });

  it('drops a sheet\'s charts with the sheet', async () => {
    const emu = createExcelEmulator({ sheets: [{ name: 'Keep', cells: {} }, { name: 'Summary', cells: { A1: { value: 'T' }, B1: { value: 'N' }, A2: { value: 'x' }, B2: { value: 1 } } }] });
    await emu.run(async (ctx: EmulatedRequestContext) => {
      const ws = ctx.workbook.worksheets.getItem('Summary');
      ws.charts.add('BarStacked', ws.getRange('A1:B2'), 'Columns');
      ws.delete();
      await ctx.sync();
    });
    expect(emu.dump().sheets.map((s) => [s.name, s.charts])).toEqual([['Keep', undefined]]);
  });
});
