/**
 * ExcelJS keeps a defined name only when it names cells: a name holding a constant or a formula (an array constant
 * such as the scorecard's status words, {"● Green",…}; a user's TaxRate = 0.2) is dropped as the file is read and
 * never written. This module, imported wherever the command line reads or writes a workbook, keeps such names as
 * their text: read from the file, held beside the names of cells, and written back as they were.
 */
// Names of cells are kept as their ranges (name-ranges.ts): its `model` setter is the one this module's setter calls.
import './name-ranges';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const DefinedNamesXform = require('exceljs/lib/xlsx/xform/book/defined-name-xform') as { prototype: ParsingXform };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DefinedNames = require('exceljs/lib/doc/defined-names') as { prototype: object };

interface NameModel {
  name: string;
  ranges: string[];
  localSheetId?: number;
}

interface ParsingXform {
  parseClose(this: ParsingXform, name: string): boolean;
  model?: NameModel;
  _parsedText?: string[];
}

/** What ExcelJS accepts as a name of cells (the part after the sheet): $A$1 or $A$1:$B$2. */
const CELLS = /[$](\w+)[$](\d+)(:[$](\w+)[$](\d+))?/;
const FORMULA_NAMES = Symbol('defined names holding constants or formulas');

type Holder = { [FORMULA_NAMES]?: NameModel[] };

/** True when ExcelJS would keep the name as cells. */
function namesCells(n: NameModel): boolean {
  return n.ranges.some((r) => CELLS.test(r.split('!').pop() ?? ''));
}

/** True for a name ExcelJS would drop: one text that is not cells (a constant or a formula), outside print settings. */
export function isFormulaName(n: NameModel): boolean {
  return !n.name.startsWith('_xlnm.') && n.ranges.length === 1 && (n.ranges[0] ?? '') !== '' && !namesCells(n);
}

const parseClose = DefinedNamesXform.prototype.parseClose;
if (!(parseClose as { keepsFormulas?: boolean }).keepsFormulas) {
  const keeping = function (this: ParsingXform, name: string): boolean {
    const text = (this._parsedText ?? []).join('');
    const result = parseClose.call(this, name);
    // ExcelJS splits the text at commas and keeps what looks like a range: a constant comes out as pieces or nothing.
    if (this.model !== undefined && !namesCells(this.model) && text.trim() !== '' && !this.model.name.startsWith('_xlnm.')) {
      this.model = { ...this.model, ranges: [text] };
    }
    return result;
  };
  DefinedNamesXform.prototype.parseClose = Object.assign(keeping, { keepsFormulas: true });

  const model = Object.getOwnPropertyDescriptor(DefinedNames.prototype, 'model');
  if (model?.get !== undefined && model.set !== undefined) {
    const { get, set } = model;
    Object.defineProperty(DefinedNames.prototype, 'model', {
      configurable: true,
      get(this: Holder): NameModel[] {
        return [...(get.call(this) as NameModel[]), ...(this[FORMULA_NAMES] ?? [])];
      },
      set(this: Holder, value: NameModel[]) {
        this[FORMULA_NAMES] = value.filter(isFormulaName).map((n) => ({ ...n, ranges: [...n.ranges] }));
        set.call(this, value.filter((n) => !isFormulaName(n)));
      },
    });
  }
}
