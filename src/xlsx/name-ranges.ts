/**
 * ExcelJS keeps each defined name as a matrix holding an object for every cell it names, and rebuilds the name's
 * ranges from those cells (a mark-and-sweep over all of them) each time the names are read. A refresh names every
 * block and every block column: on 10,000 rows that is 240,000 cell objects (52 MB) and 1.7 s for each reading of
 * `definedNames.model`, which a refresh reads five times (snapshot, removal of old names, new names, the summary's
 * name, the file's workbook part).
 *
 * This module, imported wherever the command line reads or writes a workbook, keeps a name set through
 * `definedNames.model` with a single rectangle (the form every name a file or a refresh gives has) as that rectangle:
 * it reads back as exactly the range ExcelJS would rebuild from its cells. The name becomes a matrix of cells, as
 * before, as soon as anything asks ExcelJS about cells (a cell's names, rows or columns spliced, a name added cell by
 * cell); names of several ranges are kept as ExcelJS keeps them.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const DefinedNames = require('exceljs/lib/doc/defined-names') as { prototype: NamesInternals };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const CellMatrix = require('exceljs/lib/utils/cell-matrix') as new () => Matrix;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ExcelRange = require('exceljs/lib/doc/range') as new (top: number, left: number, bottom: number, right: number, sheetName?: string) => { $shortRange: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const colCache = require('exceljs/lib/utils/col-cache') as { decodeEx(reference: string): Decoded };

interface Matrix {
  addCell(reference: string): void;
}

interface Decoded {
  readonly sheetName?: string;
  readonly top?: number;
  readonly left?: number;
  readonly bottom?: number;
  readonly right?: number;
  readonly row?: number;
  readonly col?: number;
}

interface NameModel {
  name: string;
  ranges: string[];
}

interface NamesInternals {
  matrixMap: Record<string, Matrix | NamedRect>;
  getMatrix(name: string): Matrix;
  getRanges(name: string, matrix?: Matrix | NamedRect): { name: string; ranges: string[] };
  forEach(callback: (name: string, cell: unknown) => void): void;
  getNamesEx(address: unknown): string[];
  removeAllNames(location: unknown): void;
  spliceRows(sheetName: string, start: number, numDelete: number, numInsert: number): void;
  spliceColumns(sheetName: string, start: number, numDelete: number, numInsert: number): void;
}

/** A name held as the one range it was given, and the range ExcelJS would read back for it. */
class NamedRect {
  constructor(readonly reference: string, readonly range: string) {}

  /** The name as ExcelJS holds it: a matrix of its cells. */
  toMatrix(): Matrix {
    const matrix = new CellMatrix();
    matrix.addCell(this.reference);
    return matrix;
  }
}

/** What ExcelJS takes for a name of cells (the part after the sheet): $A$1 or $A$1:$B$2. */
const CELLS = /[$](\w+)[$](\d+)(:[$](\w+)[$](\d+))?/;
/** A single rectangle, whole: an optional sheet, then $A$1 or $A$1:$B$2. */
const RECT = /^(?:(?:'(?:[^']|'')*'|[^'!\s]+)!)?\$[A-Z]{1,3}\$[1-9]\d*(?::\$[A-Z]{1,3}\$[1-9]\d*)?$/;

/** The name held as a rectangle, or undefined when ExcelJS's cells are needed to read it the same. */
function rectOf(reference: string): NamedRect | undefined {
  if (!RECT.test(reference)) return undefined;
  const d = colCache.decodeEx(reference);
  if (d.top !== undefined && d.left !== undefined && d.bottom !== undefined && d.right !== undefined) {
    return new NamedRect(reference, new ExcelRange(d.top, d.left, d.bottom, d.right, d.sheetName).$shortRange);
  }
  if (d.row !== undefined && d.col !== undefined) return new NamedRect(reference, new ExcelRange(d.row, d.col, d.row, d.col, d.sheetName).$shortRange);
  return undefined;
}

/** Turns every name held as a rectangle into ExcelJS's matrix of cells, in place (the order of the names stays). */
function materialise(names: NamesInternals): void {
  for (const [name, held] of Object.entries(names.matrixMap)) if (held instanceof NamedRect) names.matrixMap[name] = held.toMatrix();
}

const RANGES = Symbol('names kept as ranges');
const proto = DefinedNames.prototype as NamesInternals & { [RANGES]?: true };
if (!proto[RANGES]) {
  proto[RANGES] = true;
  const model = Object.getOwnPropertyDescriptor(proto, 'model');
  const { getMatrix, getRanges, forEach, getNamesEx, removeAllNames, spliceRows, spliceColumns } = proto;
  if (model?.get !== undefined) {
    Object.defineProperty(proto, 'model', {
      configurable: true,
      get: model.get,
      // As ExcelJS's setter, which makes a matrix per name and adds each range that names cells to it.
      set(this: NamesInternals, value: NameModel[]) {
        const matrixMap: Record<string, Matrix | NamedRect> = (this.matrixMap = {});
        for (const n of value) {
          const ranges = n.ranges.filter((r) => CELLS.test(r.split('!').pop() ?? ''));
          const rect = ranges.length === 1 ? rectOf(ranges[0] as string) : undefined;
          if (rect !== undefined) matrixMap[n.name] = rect;
          else {
            const matrix = new CellMatrix();
            for (const r of ranges) matrix.addCell(r);
            matrixMap[n.name] = matrix;
          }
        }
      },
    });
  }
  proto.getRanges = function (this: NamesInternals, name: string, matrix?: Matrix | NamedRect) {
    const held = matrix ?? this.matrixMap[name];
    return held instanceof NamedRect ? { name, ranges: [held.range] } : getRanges.call(this, name, held);
  };
  proto.getMatrix = function (this: NamesInternals, name: string) {
    const held = this.matrixMap[name];
    if (held instanceof NamedRect) this.matrixMap[name] = held.toMatrix();
    return getMatrix.call(this, name);
  };
  proto.forEach = function (this: NamesInternals, callback) {
    materialise(this);
    forEach.call(this, callback);
  };
  proto.getNamesEx = function (this: NamesInternals, address) {
    materialise(this);
    return getNamesEx.call(this, address);
  };
  proto.removeAllNames = function (this: NamesInternals, location) {
    materialise(this);
    removeAllNames.call(this, location);
  };
  proto.spliceRows = function (this: NamesInternals, sheetName, start, numDelete, numInsert) {
    materialise(this);
    spliceRows.call(this, sheetName, start, numDelete, numInsert);
  };
  proto.spliceColumns = function (this: NamesInternals, sheetName, start, numDelete, numInsert) {
    materialise(this);
    spliceColumns.call(this, sheetName, start, numDelete, numInsert);
  };
}
