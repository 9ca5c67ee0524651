/**
 * The emulator refuses what real Excel refuses: references to sheets whose names read as references unless quoted,
 * formulas past Excel's limits, and it models what the adapter must cope with (text-formatted cells, priority of
 * conditional formats within a collection, manual calculation, merged areas, hidden sheets, response size).
 * Each rule cites, beside its code in test/support/excel-emulator.ts, the documentation it follows.
 */
import { createExcelEmulator, ExcelEmulator, functionNesting } from './support/excel-emulator';
import { officeError } from './support/office-error';

function sheetsNamed(...names: string[]): ExcelEmulator {
  return createExcelEmulator({ sheets: names.map((name) => ({ name, cells: { A1: { value: 1 } } })) });
}

describe('references to sheets whose names read as references', () => {
  it.each(['Q1', 'FY24', 'KPI1', 'R1C1', 'R', 'C', 'RC', 'My Sheet', '2024'])('refuses a name on sheet %s unquoted, and accepts it quoted', async (sheet) => {
    const emu = sheetsNamed(sheet);
    const error = await officeError(emu.run(async (ctx) => {
      ctx.workbook.names.add('Unquoted', `=${sheet}!$A$1`);
      await ctx.sync();
    }));
    expect(error.code).toBe('InvalidArgument');
    await emu.run(async (ctx) => {
      ctx.workbook.names.add('Quoted', `='${sheet}'!$A$1`);
      await ctx.sync();
    });
    expect(emu.dump().names.map((n) => n.reference)).toEqual([`='${sheet}'!$A$1`]);
  });

  it.each(['Data', 'Sheet1', 'KPIS2024', 'Q1_2024', 'Report.v2'])('accepts a name on sheet %s unquoted', async (sheet) => {
    const emu = sheetsNamed(sheet);
    await emu.run(async (ctx) => {
      ctx.workbook.names.add('Plain', `=${sheet}!$A$1:$B$2`);
      await ctx.sync();
    });
    expect(emu.dump().names.map((n) => n.reference)).toEqual([`=${sheet}!$A$1:$B$2`]);
  });
});

describe('names holding array constants', () => {
  it('accepts rows of words and reports the name as an Array, whose value it does not emulate', async () => {
    const emu = sheetsNamed('Data');
    const type = await emu.run(async (ctx) => {
      ctx.workbook.names.add('Words', '={"● Green","say ""no""";"■ Red",""}');
      const item = ctx.workbook.names.getItem('Words').load('type');
      await ctx.sync();
      return item.type;
    });
    expect(type).toBe('Array');
    expect(emu.dump().names.map((n) => n.reference)).toEqual(['={"● Green","say ""no""";"■ Red",""}']);
  });

  it.each([
    ['rows of different lengths', '={"a","b";"c"}'],
    ['a reference inside', '={"a",A1}'],
    ['a formula inside', '={1+2}'],
    ['an unclosed array', '={"a","b"'],
    ['an unclosed text', '={"a}'],
    [`a text longer than 255 characters`, `={"${'x'.repeat(256)}"}`],
  ])('refuses an array constant with %s', async (_what, reference) => {
    const emu = sheetsNamed('Data');
    const error = await officeError(emu.run(async (ctx) => {
      ctx.workbook.names.add('Words', reference);
      await ctx.sync();
    }));
    expect(error.code).toBe('InvalidArgument');
  });
});

describe('cells formatted as Text', () => {
  it('keeps a formula written to a cell formatted "@" as text, and takes it as a formula once the format is General', async () => {
    const emu = createExcelEmulator({ sheets: [{ name: 'S', cells: { A1: { value: null, numberFormat: '@' }, A2: { value: null, numberFormat: '@' } } }] });
    await emu.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('S').getRange('A1').formulas = [['=1+2']];
      const a2 = ctx.workbook.worksheets.getItem('S').getRange('A2');
      a2.numberFormat = [['General']];
      a2.formulas = [['=1+2']];
      await ctx.sync();
    });
    const cells = emu.dump().sheets[0]?.cells;
    expect(cells?.A1).toMatchObject({ value: '=1+2', formula: null, numberFormat: '@' });
    expect(cells?.A2).toMatchObject({ formula: '=1+2', numberFormat: 'General' });
  });
});

describe('formula limits', () => {
  /** A formula of `depth` nested functions: =ABS(ABS(…(1)…)). */
  const nested = (depth: number): string => `=${'ABS('.repeat(depth)}1${')'.repeat(depth)}`;

  it.each([
    ['=1+2', 0], ['=SUM(A1:A3)', 1], ['=IF(A1>0,SUM(B1,MAX(C1,2)),"(x)")', 3], ['=((1+2))*ABS(-1)', 1],
    [`='Q(1)'!A1+LEN("a(b(c")`, 1], [nested(64), 64], [nested(65), 65],
  ])('counts the function nesting of %s as %d', (formula, depth) => {
    expect(functionNesting(formula)).toBe(depth);
  });

  async function write(formula: string, where: 'cell' | 'rule'): Promise<void> {
    const emu = createExcelEmulator({ sheets: [{ name: 'S', cells: { A1: { value: 1 } } }] });
    await emu.run(async (ctx) => {
      const range = ctx.workbook.worksheets.getItem('S').getRange('B1');
      if (where === 'cell') range.formulas = [[formula]];
      else range.conditionalFormats.add('Custom').custom.rule.formula = formula;
      await ctx.sync();
    });
  }

  it.each(['cell', 'rule'] as const)('accepts 64 nested functions in a %s formula and refuses 65', async (where) => {
    await expect(write(nested(64), where)).resolves.toBeUndefined();
    expect((await officeError(write(nested(65), where))).code).toBe('InvalidArgument');
  });

  it.each(['cell', 'rule'] as const)('accepts a %s formula of 8,192 characters and refuses one of 8,193', async (where) => {
    const of = (length: number): string => `=1${'+1'.repeat((length - 2) / 2)}`;
    expect(of(8192)).toHaveLength(8192);
    await expect(write(of(8192), where)).resolves.toBeUndefined();
    expect((await officeError(write(`${of(8192)}1`, where))).code).toBe('InvalidArgument');
  });
});

describe('calculation mode', () => {
  it('leaves written cells waiting for a calculation in Manual mode, until application.calculate', async () => {
    const emu = createExcelEmulator({ sheets: [{ name: 'S', cells: { A1: { value: 1 } } }], calculationMode: 'Manual' });
    const mode = await emu.run(async (ctx) => {
      const app = ctx.workbook.application.load('calculationMode');
      ctx.workbook.worksheets.getItem('S').getRange('B1').formulas = [['=A1*2']];
      await ctx.sync();
      return app.calculationMode;
    });
    expect(mode).toBe('Manual');
    expect(emu.calculationPending).toBe(true);
    await emu.run(async (ctx) => {
      ctx.workbook.application.calculate('Recalculate');
      await ctx.sync();
    });
    expect(emu.calculationPending).toBe(false);
  });

  it('never leaves anything waiting in Automatic mode', async () => {
    const emu = createExcelEmulator({ sheets: [{ name: 'S', cells: { A1: { value: 1 } } }] });
    await emu.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('S').getRange('B1').formulas = [['=A1*2']];
      await ctx.sync();
    });
    expect(emu.calculationPending).toBe(false);
  });
});

describe('conditional format priority', () => {
  it('counts priority within the range\'s own collection, and a rule object stands for another rule once its priority changed', async () => {
    const emu = createExcelEmulator({ sheets: [{ name: 'S', cells: { A1: { value: 1 } } }] });
    await emu.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItem('S');
      const elsewhere = sheet.getRange('D1:D3').conditionalFormats.add('Custom');
      elsewhere.custom.rule.formula = '=D1>0';
      const first = sheet.getRange('A1:A3').conditionalFormats.add('Custom');
      first.custom.rule.formula = '=A1>1';
      const second = sheet.getRange('A1:A3').conditionalFormats.add('Custom');
      second.custom.rule.formula = '=A1>2';
      await ctx.sync();
      // The rule on D1:D3 is not in A1:A3's collection: the newest rule there is first.
      second.load('priority');
      first.load('priority');
      await ctx.sync();
      expect([second.priority, first.priority]).toEqual([0, 1]);
      second.priority = 5;
      // The object now stands for the rule at its old place (the one first added to A1:A3).
      second.stopIfTrue = true;
      await ctx.sync();
    });
    const rules = emu.dump().sheets[0]?.conditionalFormats.filter((cf) => cf.range === 'A1:A3') ?? [];
    expect(rules.map((cf) => [cf.formula, cf.stopIfTrue])).toEqual([['=A1>1', true], ['=A1>2', false]]);
  });
});

describe('merged areas', () => {
  const merged = (apiVersion?: string): ExcelEmulator => createExcelEmulator(
    { sheets: [{ name: 'S', cells: { A1: { value: 'Title' }, C3: { value: null, fill: '#FFFF00' } }, merges: ['A1:F1', 'C3:D4'] }] },
    apiVersion === undefined ? {} : { apiVersion },
  );

  it('lists the merged areas whose top-left cell lies in the range, and gives a null object where there are none', async () => {
    const emu = merged();
    const [whole, corner, none] = await emu.run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItem('S');
      const a = sheet.getRange().getMergedAreasOrNullObject().load('address,areaCount');
      const b = sheet.getRange('B1:D3').getMergedAreasOrNullObject().load('address');
      const c = sheet.getRange('D4:H9').getMergedAreasOrNullObject().load('address');
      await ctx.sync();
      return [a.isNullObject ? null : [a.address, a.areaCount], b.isNullObject ? null : b.address, c.isNullObject];
    });
    expect(whole).toEqual(['S!A1:F1, S!C3:D4', 2]);
    expect(corner).toBe('S!C3:D4');
    expect(none).toBe(true);
  });

  it('needs ExcelApi 1.13', async () => {
    const error = await officeError(merged('1.12').run(async (ctx) => {
      ctx.workbook.worksheets.getItem('S').getRange().getMergedAreasOrNullObject().load('address');
      await ctx.sync();
    }));
    expect(error.code).toBe('ApiNotFound');
  });

  it('keeps what is written to the top-left cell of a merged area and drops what is written to the cells it covers', async () => {
    const emu = merged();
    await emu.run(async (ctx) => {
      ctx.workbook.worksheets.getItem('S').getRange('B3:D4').formulas = [['=1', '=2', '=3'], ['=4', '=5', '=6']];
      await ctx.sync();
    });
    const cells = emu.dump().sheets[0]?.cells ?? {};
    expect(Object.entries(cells).filter(([, c]) => c.formula !== null).map(([a, c]) => `${a}${c.formula}`)).toEqual(['B3=1', 'C3=2', 'B4=4']);
  });
});
