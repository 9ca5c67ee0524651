import { CellSnapshot, displayText, LEDGER_HEADER, LEDGER_SHEET, ledgerEntries, LedgerEntry, ledgerRows, planRemoval, SheetSnapshot } from '../../src/engine';

/** The ledger sheet as a refresh reads it back: every field a text cell. */
function ledgerSheet(rows: ReadonlyArray<readonly string[]>): SheetSnapshot {
  const cell = (text: string): CellSnapshot => ({ value: text, numberFormat: 'General', text: displayText(text, 'General') });
  return { name: LEDGER_SHEET, rows: [[...LEDGER_HEADER], ...rows].map((row) => row.map(cell)) };
}

const entry = (sheet: string, cell: string, text: string, numberFormat = 'General'): LedgerEntry => ({ sheet, cell, text, numberFormat });

describe('the ledger of tidied cells', () => {
  it('keeps a run of cells down a column in one row, gaps of a few rows included, and a lone cell in a row of its own', () => {
    const entries = [
      entry('KPIs', 'C4', '88.0%'), entry('KPIs', 'C3', '91.2%'), entry('KPIs', 'C5', '(284)'), entry('KPIs', 'C7', '12.5%', '0.0%'),
      entry('KPIs', 'C20', '3,100'), entry('KPIs', 'E9', '£240k'), entry('Budget', 'D2', '1,200'), entry('Budget', 'D3', '"quoted", and\nsplit'),
    ];
    expect(ledgerRows(entries)).toEqual([
      ['Budget', 'D2:D3', '["1,200","\\"quoted\\", and\\nsplit"]', '"General"'],
      // C6 was not tidied: null. Past six rows of gap, C20 takes a row of its own.
      ['KPIs', 'C3:C7', '["91.2%","88.0%","(284)",null,"12.5%"]', '["General","General","General",null,"0.0%"]'],
      ['KPIs', 'C20', '3,100', 'General'],
      ['KPIs', 'E9', '£240k', 'General'],
    ]);
  });

  it('reads back every entry it wrote, whatever the texts and formats hold', () => {
    const entries = [
      entry('Team 1', 'B2', '[note] 12', '[Red]0.0'), entry('Team 1', 'B3', '=not a formula', '@'), entry('Team 1', 'B4', '13 ¹', '[Red]0.0'),
      entry('Team 1', 'B6', '7'), entry('Team 1', 'B9', '8 %', '0%'), entry("O'Brien's", 'AA10', '£1.2m', '"£"#,##0.0,,"m"'), entry("O'Brien's", 'AA11', '£0.9m', '"£"#,##0.0,,"m"'),
    ];
    const back = ledgerEntries(ledgerSheet(ledgerRows(entries)));
    const key = (e: LedgerEntry): string => `${e.sheet}!${e.cell}`;
    expect([...back].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...entries].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('cuts a run whose texts would pass what one cell holds', () => {
    const long = 'x'.repeat(990);
    const entries = Array.from({ length: 100 }, (_, i) => entry('Notes', `F${i + 1}`, `${i}${long}`));
    const rows = ledgerRows(entries);
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect((row[2] ?? '').length).toBeLessThanOrEqual(32_767);
    expect(ledgerEntries(ledgerSheet(rows))).toHaveLength(100);
  });

  it('still reads the rows of one cell each that earlier versions wrote', () => {
    expect(ledgerEntries(ledgerSheet([['KPIs', 'C26', '88.0%', 'General'], ['KPIs', 'D61', '(284)', '']]))).toEqual([
      entry('KPIs', 'C26', '88.0%'), entry('KPIs', 'D61', '(284)'),
    ]);
  });

  it('passes over a row edited by hand into something it cannot read, and reads the others', () => {
    const rows = [
      ['KPIs', 'C3:C4', '["91.2%"]', '"General"'], // one text for two cells
      ['KPIs', 'D3:D4', 'not a list', '"General"'],
      ['KPIs', 'E3:F4', '["1","2"]', '"General"'], // not one column
      ['KPIs', 'G3:G4', '["1","2"]', '"General"'],
    ];
    expect(ledgerEntries(ledgerSheet(rows))).toEqual([entry('KPIs', 'G3', '1'), entry('KPIs', 'G4', '2')]);
  });

  it('gives removal the original text of every cell of a run that still holds what the refresh typed', () => {
    const typed = (value: number, numberFormat: string): CellSnapshot => ({ value, numberFormat, text: displayText(value, numberFormat) });
    const kpis: SheetSnapshot = { name: 'KPIs', rows: [[], [], [undefined, undefined, typed(0.912, '0.0%')], [undefined, undefined, typed(0.5, '0.0%')], [undefined, undefined, typed(-284, '0;(0)')]] };
    const plan = planRemoval({ sheets: [kpis, ledgerSheet(ledgerRows([entry('KPIs', 'C3', '91.2%'), entry('KPIs', 'C4', '88.0%'), entry('KPIs', 'C5', '(284)')]))] });
    // C4 was edited since (0.5 is not 88.0%): it stays as the user left it.
    expect(plan.restore.map((e) => `${e.cell}=${e.text}`)).toEqual(['C3=91.2%', 'C5=(284)']);
  });
});
