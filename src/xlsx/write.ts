/**
 * Writes an ExcelJS workbook to an .xlsx file: the same parts as ExcelJS's own `xlsx.writeFile`, from its own xforms in
 * its order, so that every part reads the same, with less held at once and less time spent packing.
 *
 * ExcelJS's writer builds the model of every sheet's rows twice over (`workbook.model` makes `worksheets` and again
 * `sheets`, which the writer then drops), prepares them all, renders each sheet into one string of XML pieces (a piece
 * per attribute and tag), keeps every part's text until the end and then packs them with a JavaScript deflate. On the
 * 10,000-row generated workbook, whose refresh writes 19 MB of sheet XML, that is about 400 MB above what the workbook
 * itself holds, and the slowest part of a refresh's writing. Here the sheets are done one at a time: its rows' model
 * is built, prepared and rendered, its XML joined in chunks as it is rendered and handed to a Node zlib stream (which
 * holds the chunks and packs them in its own threads as the event loop turns: the sheets render in one pass, so the
 * packing mostly follows them), and let go before the next sheet; the package is written once, when all is packed.
 * A sheet's rows are rendered a string a row (`RowStrings`), and cells without a style of their own are numbered
 * without writing their style's XML again (`withEmptyStylesKept`): the same text, in about a quarter less time.
 */
import type * as ExcelJS from 'exceljs';
import { promises as fs } from 'fs';
import { createDeflateRaw, crc32, deflateRaw } from 'zlib';

/* eslint-disable @typescript-eslint/no-require-imports */
const Workbook = require('exceljs/lib/doc/workbook') as { prototype: object };
const Worksheet = require('exceljs/lib/doc/worksheet') as { prototype: object };
const XmlStream = require('exceljs/lib/utils/xml-stream') as new () => XmlStreamLike;
const StylesXform = require('exceljs/lib/xlsx/xform/style/styles-xform') as new (initialise: boolean) => object;
const SharedStringsXform = require('exceljs/lib/xlsx/xform/strings/shared-strings-xform') as new () => { count: number };
const WorkbookXform = require('exceljs/lib/xlsx/xform/book/workbook-xform') as new () => { prepare(model: BookModel): void };
const WorksheetXform = require('exceljs/lib/xlsx/xform/sheet/worksheet-xform') as new () => SheetXform;
const RelationshipsXform = require('exceljs/lib/xlsx/xform/core/relationships-xform') as new () => { render(xml: XmlStreamLike, model: unknown): void };
const CommentsXform = require('exceljs/lib/xlsx/xform/comment/comments-xform') as new () => { render(xml: XmlStreamLike, model: unknown): void };
const VmlNotesXform = require('exceljs/lib/xlsx/xform/comment/vml-notes-xform') as new () => { render(xml: XmlStreamLike, model: unknown): void };
const { xmlEncode } = require('exceljs/lib/utils/utils') as { xmlEncode(text: string): string };
/* eslint-enable @typescript-eslint/no-require-imports */

interface XmlStreamLike {
  _xml: string[];
  _rollbacks: unknown[];
  openNode(name: string, attributes?: unknown): void;
  writeXml(xml: string): void;
  readonly xml: string;
}

interface SheetModel {
  id: number;
  rows: unknown[];
  tables: Array<{ target?: string; id?: number }>;
  rels?: unknown[];
  comments: unknown[];
}

interface SheetXform {
  prepare(model: SheetModel, options: unknown): void;
  render(xml: XmlStreamLike, model: SheetModel): void;
  /** The rows' list; its `childXform` renders each row (ExcelJS's RowXform). */
  map: { sheetData: { childXform: RowRenderer } };
}

/** What renders a row of a sheet's model into the sheet's XML. */
interface RowRenderer {
  render(xml: XmlStreamLike, row: RowModel, index?: number): void;
}

/** A row of a sheet's model as ExcelJS prepares it (worksheet.model's rows, after WorksheetXform.prepare). */
interface RowModel {
  number: number;
  height?: number;
  hidden?: boolean;
  min?: number;
  max?: number;
  styleId?: number;
  outlineLevel?: number;
  collapsed?: boolean;
  cells: CellModel[];
}

/** A cell of a row's model, after CellXform.prepare. */
interface CellModel {
  address: string;
  type: number;
  styleId?: number;
  value?: unknown;
  ssId?: number;
  formula?: string;
  result?: unknown;
  shareType?: string;
  si?: number;
  ref?: string;
  range?: { range: string };
}

/** ExcelJS's Enums.ValueType, the cell types the fast path writes. */
const NULL = 0;
const NUMBER = 2;
const STRING = 3;
const FORMULA = 6;
const RICH_TEXT = 8;
const BOOLEAN = 9;
const ERROR = 10;

/** ` name="value"` as ExcelJS's XmlStream writes an attribute. */
function attribute(name: string, value: unknown): string {
  return ` ${name}="${xmlEncode(String(value))}"`;
}

/** A leaf element with text, as XmlStream.leafNode writes it: `<v>12</v>`. */
function leaf(name: string, text: unknown): string {
  return `<${name}>${xmlEncode(String(text))}</${name}>`;
}

/**
 * A formula cell's attributes and children as CellXform.renderFormula writes them, or undefined for a result it
 * writes otherwise (a date) or refuses: that row is left to ExcelJS.
 */
function formulaXml(cell: CellModel): { t: string; inner: string } | undefined {
  const sharedRef = cell.ref || cell.range?.range;
  if (cell.formula === null || (cell.shareType === 'shared' && sharedRef === undefined)) return undefined;
  let attrs = '';
  if (cell.shareType === 'shared') attrs = `${attribute('t', 'shared')}${attribute('ref', sharedRef)}${cell.si === undefined ? '' : attribute('si', cell.si)}`;
  else if (cell.shareType === 'array') attrs = `${attribute('t', 'array')}${cell.ref === undefined ? '' : attribute('ref', cell.ref)}`;
  else if (cell.si !== undefined) attrs = `${attribute('t', 'shared')}${attribute('si', cell.si)}`;
  const f = cell.formula === undefined ? `<f${attrs}/>` : `<f${attrs}>${xmlEncode(String(cell.formula))}</f>`;
  const result = cell.result;
  if (result === null || result === undefined) return { t: '', inner: f };
  if (typeof result === 'string' || result instanceof String) return { t: attribute('t', 'str'), inner: f + leaf('v', result) };
  if (typeof result === 'number') return { t: '', inner: f + leaf('v', result) };
  if (typeof result === 'boolean') return { t: attribute('t', 'b'), inner: f + leaf('v', result ? 1 : 0) };
  if (typeof result === 'object' && !(result instanceof Date)) {
    const r = result as { text?: unknown; hyperlink?: unknown; formula?: unknown; error?: unknown };
    if (!(r.text && r.hyperlink) && !r.formula && r.error) return { t: attribute('t', 'e'), inner: f + leaf('v', r.error) };
  }
  return undefined;
}

/** A cell as CellXform.render writes it ('' for an empty cell without a style); undefined for a kind left to ExcelJS. */
function cellXml(cell: CellModel): string | undefined {
  if (cell.type === NULL && !cell.styleId) return '';
  const open = `<c${attribute('r', cell.address)}${cell.styleId ? attribute('s', cell.styleId) : ''}`;
  switch (cell.type) {
    case NULL: return `${open}/>`;
    case NUMBER: return `${open}>${leaf('v', cell.value)}</c>`;
    case BOOLEAN: return `${open}${attribute('t', 'b')}>${leaf('v', cell.value ? '1' : '0')}</c>`;
    case ERROR: return `${open}${attribute('t', 'e')}>${leaf('v', (cell.value as { error: unknown }).error)}</c>`;
    case STRING: case RICH_TEXT: return cell.ssId === undefined ? undefined : `${open}${attribute('t', 's')}>${leaf('v', cell.ssId)}</c>`;
    case FORMULA: {
      const f = formulaXml(cell);
      return f === undefined ? undefined : `${open}${f.t}>${f.inner}</c>`;
    }
    default: return undefined;
  }
}

/**
 * Renders rows as ExcelJS's RowXform does, character for character, but as one string a row rather than a piece per
 * tag and attribute: on a refreshed 10,000-row workbook that was most of the time spent writing its sheets. A row
 * holding a cell of a kind written otherwise (a date, a link, rich text, a merged cell) is left to ExcelJS's RowXform.
 */
class RowStrings implements RowRenderer {
  constructor(private readonly exceljs: RowRenderer) {}

  render(xml: XmlStreamLike, row: RowModel, index?: number): void {
    let inner = '';
    for (const cell of row.cells) {
      const text = cellXml(cell);
      if (text === undefined) {
        this.exceljs.render(xml, row, index);
        return;
      }
      inner += text;
    }
    let open = `<row${attribute('r', row.number)}`;
    if (row.height) open += `${attribute('ht', row.height)}${attribute('customHeight', '1')}`;
    if (row.hidden) open += attribute('hidden', '1');
    if (row.min !== undefined && row.max !== undefined && row.min > 0 && row.max > 0 && row.min <= row.max) open += attribute('spans', `${row.min}:${row.max}`);
    if (row.styleId) open += `${attribute('s', row.styleId)}${attribute('customFormat', '1')}`;
    open += attribute('x14ac:dyDescent', '0.25');
    if (row.outlineLevel) open += attribute('outlineLevel', row.outlineLevel);
    if (row.collapsed) open += attribute('collapsed', '1');
    xml.writeXml(inner === '' ? `${open}/>` : `${open}>${inner}</row>`);
  }
}

interface BookModel {
  creator?: string;
  lastModifiedBy?: string;
  created?: Date;
  modified?: Date;
  properties: { date1904?: boolean };
  worksheets: SheetModel[];
  media: unknown[];
  useSharedStrings?: boolean;
  useStyles?: boolean;
  sharedStrings?: { count: number };
  styles?: object;
  drawings?: unknown[];
  commentRefs?: unknown[];
  tables?: unknown[];
}

/** The parts of ExcelJS's XLSX writer used here: each renders one part (or a few) and appends it to `zip`. */
interface XlsxParts {
  addContentTypes(zip: Package, model: BookModel): Promise<void>;
  addOfficeRels(zip: Package, model: BookModel): Promise<void>;
  addWorkbookRels(zip: Package, model: BookModel): Promise<void>;
  addSharedStrings(zip: Package, model: BookModel): Promise<void>;
  addDrawings(zip: Package, model: BookModel): void;
  addTables(zip: Package, model: BookModel): void;
  addThemes(zip: Package, model: BookModel): Promise<void>;
  addStyles(zip: Package, model: BookModel): Promise<void>;
  addMedia(zip: Package, model: BookModel): Promise<void>;
  addApp(zip: Package, model: BookModel): Promise<void>;
  addCore(zip: Package, model: BookModel): Promise<void>;
  addWorkbook(zip: Package, model: BookModel): Promise<void>;
}

/** XML pieces joined into a chunk (and encoded) once this many have gathered, outside any rollback ExcelJS may make. */
const PIECES_PER_CHUNK = 1 << 16;
/** Or once the whole rows among them come to this many characters. */
const CHARACTERS_PER_CHUNK = 1 << 20;

/**
 * An ExcelJS XmlStream that hands its text to a deflate stream in chunks as it grows, rather than holding every piece
 * to the end: the part is packed from its chunks, never joined whole.
 */
class ChunkedXmlStream extends XmlStream {
  private readonly deflate = createDeflateRaw();
  private readonly packed: Promise<Buffer>;
  private size = 0;
  private crc = 0;
  /** Characters of whole rows gathered since the last chunk. */
  private pending = 0;

  constructor() {
    super();
    const out: Buffer[] = [];
    this.deflate.on('data', (chunk: Buffer) => out.push(chunk));
    this.packed = new Promise((resolve, reject) => {
      this.deflate.on('end', () => resolve(Buffer.concat(out)));
      this.deflate.on('error', reject);
    });
  }

  override openNode(name: string, attributes?: unknown): void {
    this.flushIfFull();
    super.openNode(name, attributes);
  }

  /** A row written whole (RowStrings): counted by its characters too, as it is one piece however long. */
  override writeXml(xml: string): void {
    this.flushIfFull();
    this.pending += xml.length;
    super.writeXml(xml);
  }

  private flushIfFull(): void {
    if ((this._xml.length >= PIECES_PER_CHUNK || this.pending >= CHARACTERS_PER_CHUNK) && this._rollbacks.length === 0) this.flush();
  }

  private flush(): void {
    this.push(this._xml.join(''));
    this._xml = [];
    this.pending = 0;
  }

  private push(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.size += bytes.length;
    this.crc = crc32(bytes, this.crc);
    this.deflate.write(bytes);
  }

  /** The part, whole: its text ends with the open nodes closed, as ExcelJS's `xml` does. */
  entry(name: string): Entry {
    this.push(this.xml);
    this.deflate.end();
    return { name, size: this.size, crc: this.crc, packed: this.packed };
  }
}

/** One part of the package, its bytes being deflated. */
interface Entry {
  readonly name: string;
  readonly size: number;
  readonly crc: number;
  readonly packed: Promise<Buffer>;
}

function pack(data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => deflateRaw(data, (error, out) => (error ? reject(error) : resolve(out))));
}

/** A zip package being filled; stands in for ExcelJS's ZipWriter (`append`) as its parts are rendered. */
class Package {
  private readonly entries: Entry[] = [];

  /** A part packed as it was written. */
  add(entry: Entry): void {
    this.entries.push(entry);
  }

  append(data: string | Buffer | Uint8Array, options: { name: string; base64?: boolean }): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, options.base64 ? 'base64' : 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.entries.push({ name: options.name, size: bytes.length, crc: crc32(bytes), packed: pack(bytes) });
  }

  /** The parts appended from `from` on, moved to the front (in their order). */
  moveToFront(from: number): void {
    this.entries.unshift(...this.entries.splice(from));
  }

  get length(): number {
    return this.entries.length;
  }

  /** The whole package: local headers and data, the central directory, its end record (ECMA-376 Part 2 uses PKZIP). */
  async bytes(now: Date): Promise<Buffer> {
    const time = (now.getHours() << 11) | (now.getMinutes() << 5) | (now.getSeconds() >> 1);
    const date = ((now.getFullYear() - 1980) << 9) | ((now.getMonth() + 1) << 5) | now.getDate();
    const parts: Buffer[] = [];
    const directory: Buffer[] = [];
    let offset = 0;
    for (const entry of this.entries) {
      const data = await entry.packed;
      const name = Buffer.from(entry.name, 'utf8');
      if (data.length > 0xffffffff || entry.size > 0xffffffff || offset > 0xffffffff) throw new Error('The workbook is too large for a zip package without ZIP64');
      // The fields a local header and its central directory entry share, from "version needed" to the name's length.
      const common = (header: Buffer, at: number): void => {
        header.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
        header.writeUInt16LE(0x0800, at + 2); // names in UTF-8
        header.writeUInt16LE(8, at + 4); // deflate
        header.writeUInt16LE(time, at + 6);
        header.writeUInt16LE(date, at + 8);
        header.writeUInt32LE(entry.crc, at + 10);
        header.writeUInt32LE(data.length, at + 14);
        header.writeUInt32LE(entry.size, at + 18);
        header.writeUInt16LE(name.length, at + 22);
      };
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      common(local, 4);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0
      common(central, 6);
      central.writeUInt32LE(offset, 42);
      parts.push(local, name, data);
      directory.push(central, name);
      offset += local.length + name.length + data.length;
    }
    const directorySize = directory.reduce((n, b) => n + b.length, 0);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(directorySize, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...parts, ...directory, end]);
  }
}

/** ExcelJS's StylesXform: the style a cell's model gives is numbered (and, the first time, added) by `addStyleModel`. */
interface Styles {
  addStyleModel(model: object | undefined, cellType?: number): number;
  /** The style objects it has seen, with their numbers. */
  readonly weakMap: WeakMap<object, number>;
}

function isEmpty(o: object): boolean {
  for (const key in o) if (Object.prototype.hasOwnProperty.call(o, key)) return false;
  return true;
}

/**
 * `styles`, numbering a cell without a style of its own (an empty style object, which ExcelJS gives each such cell
 * afresh) by what it numbered the first such cell of the same type, rather than writing out and looking up its XML
 * again: ExcelJS numbers a style by its XML, and an empty style's XML depends on the cell's type alone. The object is
 * remembered as ExcelJS remembers it (a style object seen before keeps its first number, whatever the cell's type);
 * other styles are numbered by ExcelJS itself.
 */
function withEmptyStylesKept(styles: Styles): Styles {
  const add = styles.addStyleModel.bind(styles);
  const seen = styles.weakMap;
  const empty = new Map<number | undefined, number>();
  styles.addStyleModel = (model, cellType) => {
    if (!model || seen.has(model) || !isEmpty(model)) return add(model, cellType);
    const known = empty.get(cellType);
    if (known === undefined) {
      const id = add(model, cellType);
      empty.set(cellType, id);
      return id;
    }
    seen.set(model, known);
    return known;
  };
  return styles;
}

/** The model ExcelJS's `model` getter gives for `target`, as if `hidden` were empty (no sheets / no rows). */
function modelWithout<T>(proto: object, target: object, hidden: string): T {
  const get = Object.getOwnPropertyDescriptor(proto, 'model')?.get;
  if (get === undefined) throw new Error('ExcelJS has no model getter here');
  return get.call(Object.create(target, { [hidden]: { value: [] } })) as T;
}

/** Writes the workbook as an .xlsx package to `path`. */
export async function writeXlsxFile(wb: ExcelJS.Workbook, path: string): Promise<void> {
  await fs.writeFile(path, await xlsxBytes(wb));
}

/** The workbook as the bytes of an .xlsx package. */
export async function xlsxBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  const xlsx = wb.xlsx as unknown as XlsxParts;
  const sheets = wb.worksheets;
  // The workbook's model without its sheets, then each sheet's without its rows: the rows' model is made one sheet
  // at a time below.
  const model = modelWithout<BookModel>(Workbook.prototype, wb, 'worksheets');
  model.worksheets = sheets.map((ws) => modelWithout<SheetModel>(Worksheet.prototype, ws, '_rows'));

  // As ExcelJS's prepareModel (xlsx.js), with its default options.
  model.creator = model.creator || 'ExcelJS';
  model.lastModifiedBy = model.lastModifiedBy || 'ExcelJS';
  model.created = model.created || new Date();
  model.modified = model.modified || new Date();
  model.useSharedStrings = true;
  model.useStyles = true;
  const sharedStrings = (model.sharedStrings = new SharedStringsXform());
  const styles = (model.styles = withEmptyStylesKept(new StylesXform(true) as Styles));
  new WorkbookXform().prepare(model);
  const sheetOptions = {
    sharedStrings, styles, date1904: model.properties.date1904, drawingsCount: 0, media: model.media,
    drawings: (model.drawings = []), commentRefs: (model.commentRefs = []),
  };
  const tables: unknown[] = (model.tables = []);
  const prepareXform = new WorksheetXform();
  const renderXform = new WorksheetXform();
  const rows = renderXform.map.sheetData;
  rows.childXform = new RowStrings(rows.childXform);
  const relationships = new RelationshipsXform();
  const comments = new CommentsXform();
  const notes = new VmlNotesXform();

  const zip = new Package();
  // As ExcelJS's addWorksheets, a sheet at a time, each prepared (which numbers its strings and styles) just before
  // it is rendered: in sheet order, as ExcelJS prepares them.
  sheets.forEach((ws, i) => {
    const sheet = (ws as unknown as { model: SheetModel }).model;
    model.worksheets[i] = sheet;
    for (const table of sheet.tables) {
      tables.push(table);
      table.target = `table${tables.length}.xml`;
      table.id = tables.length;
    }
    prepareXform.prepare(sheet, sheetOptions);
    const xml = new ChunkedXmlStream();
    renderXform.render(xml, sheet);
    zip.add(xml.entry(`xl/worksheets/sheet${sheet.id}.xml`));
    if (sheet.rels && sheet.rels.length) {
      const rels = new XmlStream();
      relationships.render(rels, sheet.rels);
      zip.append(rels.xml, { name: `xl/worksheets/_rels/sheet${sheet.id}.xml.rels` });
    }
    if (sheet.comments.length > 0) {
      const text = new XmlStream();
      comments.render(text, sheet);
      zip.append(text.xml, { name: `xl/comments${sheet.id}.xml` });
      const vml = new XmlStream();
      notes.render(vml, sheet);
      zip.append(vml.xml, { name: `xl/drawings/vmlDrawing${sheet.id}.vml` });
    }
    // Its cells are written: only what the parts after it read of the sheet is kept.
    sheet.rows = [];
  });
  // The parts ExcelJS writes before the sheets need the sheets prepared (strings counted, drawings and comments named).
  const sheetParts = zip.length;
  await xlsx.addContentTypes(zip, model);
  await xlsx.addOfficeRels(zip, model);
  await xlsx.addWorkbookRels(zip, model);
  zip.moveToFront(sheetParts);
  // The rest in ExcelJS's order (xlsx.js write).
  await xlsx.addSharedStrings(zip, model);
  xlsx.addDrawings(zip, model);
  xlsx.addTables(zip, model);
  await Promise.all([xlsx.addThemes(zip, model), xlsx.addStyles(zip, model)]);
  await xlsx.addMedia(zip, model);
  await Promise.all([xlsx.addApp(zip, model), xlsx.addCore(zip, model)]);
  await xlsx.addWorkbook(zip, model);
  return zip.bytes(new Date());
}
