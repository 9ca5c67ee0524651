/**
 * Conditional formats over several areas in the emulator: `Worksheet.getRanges` (ExcelApi 1.9) gives a RangeAreas, whose
 * `conditionalFormats.add` makes one rule over all its areas, as the add-in does for tables stacked in the same columns.
 * Each rule cites, beside its code in test/support/excel-emulator.ts, the documentation it follows.
 */
import {
  createExcelEmulator,
  EmulatedRequestContext,
  EmulatedWorksheet,
  EmulatorGapError,
  ExcelEmulator,
  SheetDump,
} from './support/excel-emulator';
import { officeError } from './support/office-error';

function emulator(apiVersion?: string): ExcelEmulator {
  return createExcelEmulator(
    { sheets: [{ name: 'S', cells: { X3: { value: 1 } } }, { name: 'My Sheet', cells: {} }] },
    apiVersion === undefined ? {} : { apiVersion },
  );
}

let emu: ExcelEmulator;
beforeEach(() => {
  emu = emulator();
});

function sheet(ctx: EmulatedRequestContext, name = 'S'): EmulatedWorksheet {
  return ctx.workbook.worksheets.getItem(name);
}

function rules(name = 'S'): SheetDump['conditionalFormats'] {
  return emu.dump().sheets.find((s) => s.name === name)?.conditionalFormats ?? [];
}

/** Adds one rule over the areas of `address` (a getRanges address) with `formula`, filled red. */
async function addOver(address: string, formula: string): Promise<void> {
  await emu.run(async (ctx) => {
    const cf = sheet(ctx).getRanges(address).conditionalFormats.add('Custom');
    cf.custom.rule.formula = formula;
    cf.custom.format.fill.color = '#FFC7CE';
    await ctx.sync();
  });
}

/** Runs `use` in its own batch and returns the error its sync fails with. */
async function failure(use: (ctx: EmulatedRequestContext) => void, on = emu): Promise<unknown> {
  try {
    await on.run(async (ctx) => {
      use(ctx);
      await ctx.sync();
    });
  } catch (e) {
    return e;
  }
  throw new Error('expected the sync to fail');
}

describe('Worksheet.getRanges', () => {
  it('reads areas separated by commas or semicolons, with or without spaces, in the order given', async () => {
    const got = await emu.run(async (ctx) => {
      const list = ['X3:X5,X8:X9', 'X8:X9; X3:X5', "S!A1, 'S'!C2:D4 ,B7", ''].map((a) => sheet(ctx).getRanges(a).load('address,areaCount'));
      const whole = sheet(ctx).getRanges().load('address');
      const spaced = sheet(ctx, 'My Sheet').getRanges("'My Sheet'!A1:A2, A4").load('address');
      await ctx.sync();
      return [...list.map((r) => [r.address, r.areaCount]), whole.address, spaced.address];
    });
    expect(got).toEqual([
      ['S!X3:X5, S!X8:X9', 2],
      ['S!X8:X9, S!X3:X5', 2],
      ['S!A1, S!C2:D4, S!B7', 3],
      ['S!1:1048576', 1],
      'S!1:1048576',
      "'My Sheet'!A1:A2, 'My Sheet'!A4",
    ]);
  });

  it.each([
    ['a trailing separator', 'X3:X5,'],
    ['an empty area', 'X3:X5,,X8'],
    ['an area that is no address', 'X3:X5, totals'],
    ['two areas without a separator', 'X3:X5 X8:X9'],
    ['an area on another sheet', "X3:X5, 'My Sheet'!A1"],
    ['a row past the grid', 'X3:X5, A1048577'],
  ])('refuses %s with InvalidArgument', async (_name, address) => {
    const error = await officeError(emu.run(async (ctx) => {
      sheet(ctx).getRanges(address).load('address');
      await ctx.sync();
    }));
    expect(error.code).toBe('InvalidArgument');
    expect(error.debugInfo.errorLocation).toBe('Worksheet.getRanges');
  });

  it('stops, as not emulated, at defined names, at commas mixed with semicolons and past 512 areas', async () => {
    await emu.run(async (ctx) => {
      ctx.workbook.names.add('Totals', '=S!$X$20');
      await ctx.sync();
    });
    const many = Array.from({ length: 513 }, (_, i) => `A${2 * i + 1}`).join(',');
    for (const address of ['X3:X5, Totals', 'X3:X5, X8; X9', many]) {
      expect(await failure((ctx) => sheet(ctx).getRanges(address).load('address'))).toBeInstanceOf(EmulatorGapError);
    }
  });

  it('needs ExcelApi 1.9: an ExcelApi 1.8 host refuses it with ApiNotFound', async () => {
    const old = emulator('1.8');
    const error = await officeError(old.run(async (ctx) => {
      sheet(ctx).getRanges('X3:X5, X8:X9').load('address');
      await ctx.sync();
    }));
    expect(error.code).toBe('ApiNotFound');
    expect(error.message).toMatch(/ExcelApi 1\.9/);
    await expect(emulator('1.9').run(async (ctx) => {
      sheet(ctx).getRanges('X3:X5, X8:X9').load('address');
      await ctx.sync();
    })).resolves.toBeUndefined();
  });
});

describe('a conditional format over several areas', () => {
  it('is one rule over all the areas, in order, shown in the dump as its areas joined by a space', async () => {
    await addOver('X3:X5, X8:X9', '=$X3>0');
    await addOver('Y8:Y9;Y3:Y5;Y12', '=$Y$1>0');
    expect(rules()).toEqual([
      { range: 'Y8:Y9 Y3:Y5 Y12', type: 'Custom', formula: '=$Y$1>0', fill: '#FFC7CE', fontColor: null, bold: null, priority: 0, stopIfTrue: false },
      { range: 'X3:X5 X8:X9', type: 'Custom', formula: '=$X3>0', fill: '#FFC7CE', fontColor: null, bold: null, priority: 1, stopIfTrue: false },
    ]);
  });

  it('is listed by the collection of a range that meets only its second area, and of a RangeAreas that meets any area', async () => {
    await addOver('X3:X5, X8:X9', '=$X3>0');
    await emu.run(async (ctx) => {
      sheet(ctx).getRange('Z1').conditionalFormats.add('Custom').custom.rule.formula = '=$Z$1>0';
      await ctx.sync();
    });
    const got = await emu.run(async (ctx) => {
      const second = sheet(ctx).getRange('W9:X12').conditionalFormats.load('items/priority');
      const between = sheet(ctx).getRange('X6:X7').conditionalFormats.getCount();
      const both = sheet(ctx).getRanges('A1, X9, Z1').conditionalFormats.load('items/priority');
      const neither = sheet(ctx).getRanges('X6, X10:X20').conditionalFormats.getCount();
      await ctx.sync();
      const formulas = [second, both].map((c) => c.items.map((cf) => cf.custom.rule.load('formula')));
      await ctx.sync();
      return {
        second: formulas[0]?.map((r) => r.formula),
        priorities: second.items.map((cf) => cf.priority),
        between: between.value,
        both: formulas[1]?.map((r) => r.formula),
        neither: neither.value,
      };
    });
    expect(got).toEqual({ second: ['=$X3>0'], priorities: [0], between: 0, both: ['=$Z$1>0', '=$X3>0'], neither: 0 });
  });

  it('throws from getRange, gives a null object from getRangeOrNullObject, and its areas from getRanges', async () => {
    await addOver('X3:X5, X8:X9', '=$X3>0');
    const error = await officeError(emu.run(async (ctx) => {
      const cfs = sheet(ctx).getRange('X9').conditionalFormats.load('items');
      await ctx.sync();
      cfs.items[0]?.getRange().load('address');
      await ctx.sync();
    }));
    expect(error.code).toBe('InvalidOperation');
    const got = await emu.run(async (ctx) => {
      const cfs = sheet(ctx).getRange('X9').conditionalFormats.load('items');
      await ctx.sync();
      const cf = cfs.items[0];
      if (!cf) throw new Error('no rule');
      const orNull = cf.getRangeOrNullObject().load('address');
      const areas = cf.getRanges().load('address,areaCount');
      await ctx.sync();
      return [orNull.isNullObject, areas.address, areas.areaCount];
    });
    expect(got).toEqual([true, 'S!X3:X5, S!X8:X9', 2]);
  });

  it('loses the area a clearAll of one area\'s range covers, and keeps the others in order', async () => {
    await addOver('X3:X5, X8:X9, X12:X14', '=$X3>0');
    await emu.run(async (ctx) => {
      sheet(ctx).getRange('X8:X9').conditionalFormats.clearAll();
      await ctx.sync();
    });
    expect(rules().map((r) => [r.range, r.formula])).toEqual([['X3:X5 X12:X14', '=$X3>0']]);
  });

  it('reads its formula from the next area once the first is cleared, so that each cell keeps its test', async () => {
    // Excel keeps each cell's test; the formula reads relative to the rule's first cell (office-js issue 5194).
    const formula = '=AND($X3>0,X$1<>"X3",LOG10(X3)>0,\'S\'!X3>S!$B$2,SUM(X3:X4,2:3,C:D)>0)';
    await addOver('X3:X5, X8:X10', formula);
    await emu.run(async (ctx) => {
      sheet(ctx).getRange('A3:Z5').conditionalFormats.clearAll();
      await ctx.sync();
    });
    expect(rules().map((r) => [r.range, r.formula])).toEqual([
      ['X8:X10', '=AND($X8>0,X$1<>"X3",LOG10(X8)>0,\'S\'!X8>S!$B$2,SUM(X8:X9,7:8,C:D)>0)'],
    ]);
  });

  it('is deleted by a clearAll of all its areas, through a RangeAreas or a range over them', async () => {
    await addOver('X3:X5, X8:X9', '=$X3>0');
    await addOver('Y3:Y5, Y8:Y9', '=$Y3>0');
    await emu.run(async (ctx) => {
      sheet(ctx).getRanges('X3:X5, X8:X9').conditionalFormats.clearAll();
      await ctx.sync();
    });
    expect(rules().map((r) => r.range)).toEqual(['Y3:Y5 Y8:Y9']);
    await emu.run(async (ctx) => {
      sheet(ctx).getRange('Y1:Y20').conditionalFormats.clearAll();
      await ctx.sync();
    });
    expect(rules()).toEqual([]);
  });

  it('clears every area of a RangeAreas, trimming an area it cuts across the top, and keeps the rest', async () => {
    await addOver('X3:X5, X8:X12', '=$X3>0');
    await emu.run(async (ctx) => {
      sheet(ctx).getRanges('X3:X5, X8:X9').conditionalFormats.clearAll();
      await ctx.sync();
    });
    expect(rules().map((r) => [r.range, r.formula])).toEqual([['X10:X12', '=$X10>0']]);
  });

  it('stops, as not emulated, where a clear would split one of its areas in two', async () => {
    await addOver('X3:X5, X8:X12', '=$X3>0');
    expect(await failure((ctx) => sheet(ctx).getRange('X10').conditionalFormats.clearAll())).toBeInstanceOf(EmulatorGapError);
    expect(rules().map((r) => r.range)).toEqual(['X3:X5 X8:X12']);
  });

  it('stops, as not emulated, where a clear leaves a relative formula on areas whose first does not start at their top-left', async () => {
    await addOver('W3:X5, X8:X9, W12:W13', '=$X3>0');
    expect(await failure((ctx) => sheet(ctx).getRange('W3:X5').conditionalFormats.clearAll())).toBeInstanceOf(EmulatorGapError);
    expect(rules().map((r) => r.range)).toEqual(['W3:X5 X8:X9 W12:W13']);
  });

  it('stops, as not emulated, where moving its formula to the next area would take a reference off the sheet', async () => {
    await addOver('X3:X5, X1048575:X1048576', '=X1048576>0');
    expect(await failure((ctx) => sheet(ctx).getRange('X3:X5').conditionalFormats.clearAll())).toBeInstanceOf(EmulatorGapError);
    expect(rules().map((r) => [r.range, r.formula])).toEqual([['X3:X5 X1048575:X1048576', '=X1048576>0']]);
  });

  it('keeps its areas when the sync that cleared them fails', async () => {
    await addOver('X3:X5, X8:X9', '=$X3>0');
    const error = await officeError(emu.run(async (ctx) => {
      sheet(ctx).getRange('X3:X5').conditionalFormats.clearAll();
      sheet(ctx).getRange('X8').conditionalFormats.clearAll();
      sheet(ctx).getRange('A1').values = [['x'.repeat(40_000)]];
      await ctx.sync();
    }));
    expect(error.code).toBe('InvalidArgument');
    expect(rules().map((r) => [r.range, r.formula])).toEqual([['X3:X5 X8:X9', '=$X3>0']]);
  });

  it('refuses, as not emulated, overlapping areas, and relative formulas where its first area does not start at the top-left', async () => {
    expect(await failure((ctx) => sheet(ctx).getRanges('X3:X5, X5:X9').conditionalFormats.add('Custom'))).toBeInstanceOf(EmulatorGapError);
    expect(await failure((ctx) => {
      sheet(ctx).getRanges('X8:X9, W3:W5').conditionalFormats.add('Custom').custom.rule.formula = '=X8>0';
    })).toBeInstanceOf(EmulatorGapError);
    await addOver('X8:X9, W3:W5', '=$A$1>0');
    expect(rules().map((r) => [r.range, r.formula])).toEqual([['X8:X9 W3:W5', '=$A$1>0']]);
  });

  it('refuses, as not emulated, a relative formula set through a range that does not start at the rule\'s first cell', async () => {
    // "When you set the formula, it applies the formula relative to the current range" (office-js issue 5194).
    await addOver('X3:X5, X8:X9', '=$X3>0');
    const ids = await emu.run(async (ctx) => {
      const cfs = sheet(ctx).getRange('X8').conditionalFormats.load('items/id');
      await ctx.sync();
      return cfs.items.map((c) => c.id);
    });
    const id = ids[0] ?? '';
    expect(await failure((ctx) => {
      sheet(ctx).getRange('X8').conditionalFormats.getItem(id).custom.rule.formula = '=$X8>1';
    })).toBeInstanceOf(EmulatorGapError);
    await emu.run(async (ctx) => {
      sheet(ctx).getRange('X8').conditionalFormats.getItem(id).custom.rule.formula = '=$A$1>1';
      sheet(ctx).getRange('X3').conditionalFormats.getItem(id).custom.rule.formula = '=$X3>2';
      await ctx.sync();
    });
    expect(rules().map((r) => r.formula)).toEqual(['=$X3>2']);
  });

  it('needs ExcelApi 1.9 for ConditionalFormat.getRanges', async () => {
    const old = emulator('1.8');
    await old.run(async (ctx) => {
      sheet(ctx).getRange('X3:X5').conditionalFormats.add('Custom').custom.rule.formula = '=$X3>0';
      await ctx.sync();
    });
    const error = await officeError(old.run(async (ctx) => {
      const cfs = sheet(ctx).getRange('X3').conditionalFormats.load('items');
      await ctx.sync();
      cfs.items[0]?.getRanges().load('address');
      await ctx.sync();
    }));
    expect(error.code).toBe('ApiNotFound');
  });
});

describe('a conditional format over one range, as before', () => {
  it('shows its range alone, and gives it from getRange, getRangeOrNullObject and getRanges', async () => {
    const got = await emu.run(async (ctx) => {
      const cf = sheet(ctx).getRange('B2:B9').conditionalFormats.add('Custom');
      cf.custom.rule.formula = '=B2<0.9';
      await ctx.sync();
      const range = cf.getRange().load('address');
      const orNull = cf.getRangeOrNullObject().load('address');
      const areas = cf.getRanges().load('address,areaCount');
      await ctx.sync();
      return [range.address, orNull.address, areas.address, areas.areaCount];
    });
    expect(got).toEqual(['S!B2:B9', 'S!B2:B9', 'S!B2:B9', 1]);
    expect(rules()).toEqual([
      { range: 'B2:B9', type: 'Custom', formula: '=B2<0.9', fill: null, fontColor: null, bold: null, priority: 0, stopIfTrue: false },
    ]);
  });

  it('is trimmed by a clearAll across its top, its relative references following its first cell', async () => {
    await emu.run(async (ctx) => {
      sheet(ctx).getRange('B2:B9').conditionalFormats.add('Custom').custom.rule.formula = '=B2<$C$1';
      sheet(ctx).getRange('D2:D9').conditionalFormats.add('Custom').custom.rule.formula = '=$D$2>0';
      await ctx.sync();
      sheet(ctx).getRange('A1:D3').conditionalFormats.clearAll();
      await ctx.sync();
    });
    expect(rules().map((r) => [r.range, r.formula])).toEqual([['D4:D9', '=$D$2>0'], ['B4:B9', '=B4<$C$1']]);
  });

  it('is deleted by a clear of its formats, as before', async () => {
    await emu.run(async (ctx) => {
      sheet(ctx).getRange('B2:B9').conditionalFormats.add('Custom').custom.rule.formula = '=B2>0';
      await ctx.sync();
      sheet(ctx).getRange('A1:C20').clear('Formats');
      await ctx.sync();
    });
    expect(rules()).toEqual([]);
  });
});
