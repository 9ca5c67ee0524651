/**
 * Conditional formats shared by the tables stacked in the same columns of a sheet. Every table's block gets the same
 * rules (the same tests of its code columns, the same colours), so one rule over the areas of all those blocks does
 * the work of one rule per block: a sheet of fifty tables has a dozen rules in Excel's rules manager, not six hundred,
 * and a refresh sends a twentieth of the bytes for them.
 *
 * A rule's formula is written against the top-left cell of its range (Excel JavaScript API reference,
 * ConditionalFormatCollection.add, ExcelApi 1.6; the OOXML `sqref` of a rule likewise). The areas of a shared rule are
 * listed top first and all span the same columns, so that cell is the first area's top-left and the top-left of the
 * areas' bounding box alike: a formula whose references are relative in the row reads each area's own rows.
 */
import { cellAddress, parseCellAddress } from './address';
import { moveFormulaRows } from './formula-rows';
import type { ConditionalRule, SheetRect } from './plan';

/**
 * The longest address a shared rule is given. Excel documents no limit for `Worksheet.getRanges`; addresses of some
 * 8,200 characters have been refused (office-js issue 5198), and 255 characters is the length Excel keeps of a
 * reference elsewhere (Range.Address). Past this, the areas go to another rule of the same test.
 */
export const MAX_RULE_ADDRESS = 255;

/** The areas of an A1 range of one or more areas ("A1:B2 D4", "A1:B2,D4"); undefined for whole columns or rows. */
export function rangeRects(sheet: string, range: string): SheetRect[] | undefined {
  const rects: SheetRect[] = [];
  for (const area of range.split(/[ ,]+/).filter((a) => a !== '')) {
    const [from = '', to = from] = area.split(':');
    if (!/^\$?[A-Za-z]{1,3}\$?\d+$/.test(from) || !/^\$?[A-Za-z]{1,3}\$?\d+$/.test(to)) return undefined;
    const p = parseCellAddress(from);
    const q = parseCellAddress(to);
    rects.push({ sheet, top: Math.min(p.row, q.row), left: Math.min(p.col, q.col), bottom: Math.max(p.row, q.row), right: Math.max(p.col, q.col) });
  }
  return rects;
}

/** The areas of a range, joined as a rule's range is written: one space between them (as in an OOXML `sqref`). */
export function areasAddress(areas: readonly SheetRect[]): string {
  return areas.map((a) => (a.top === a.bottom && a.left === a.right ? cellAddress(a.top, a.left) : `${cellAddress(a.top, a.left)}:${cellAddress(a.bottom, a.right)}`)).join(' ');
}

/** A rule's formula moved by `delta` rows (its tests read cells of their own row: `$X3`). */
function movedTest(formula: string, delta: number): string {
  const moved = moveFormulaRows(formula, delta);
  if (moved === null) throw new Error(`A planned rule's formula would leave the sheet: ${formula}`);
  return moved;
}

function areasOf(rule: ConditionalRule): SheetRect[] {
  const areas = rangeRects(rule.sheet, rule.range);
  if (areas === undefined || areas.length === 0) throw new Error(`A planned rule has no areas: ${rule.range}`);
  return areas;
}

/** The rule over some of its areas (listed top first), its formula read from the first of them; null when none. */
export function ruleOver(rule: ConditionalRule, keep: (area: SheetRect) => boolean): ConditionalRule | null {
  const areas = areasOf(rule);
  const kept = areas.filter(keep);
  const first = kept[0];
  if (first === undefined) return null;
  if (kept.length === areas.length) return rule;
  return { ...rule, range: areasAddress(kept), formula: movedTest(rule.formula, first.top - (areas[0] as SheetRect).top) };
}

/** The rule as one rule per area, each formula read from its own area (for hosts that cannot add a rule to several). */
export function splitRule(rule: ConditionalRule): ConditionalRule[] {
  const areas = areasOf(rule);
  if (areas.length === 1) return [rule];
  const top = (areas[0] as SheetRect).top;
  return areas.map((a) => ({ ...rule, range: areasAddress([a]), formula: movedTest(rule.formula, a.top - top) }));
}

/**
 * Merges rules that test alike in the same columns of a sheet into one rule over their areas (each of the given rules
 * has one area). Rules keep the order of their first member; priorities are numbered again in that order.
 */
export function shareStackedRules(rules: readonly ConditionalRule[]): ConditionalRule[] {
  const groups = new Map<string, Array<{ rule: ConditionalRule; area: SheetRect }>>();
  for (const rule of rules) {
    const areas = areasOf(rule);
    if (areas.length !== 1) throw new Error(`Only rules of one area are shared: ${rule.range}`);
    const area = areas[0] as SheetRect;
    const key = [rule.sheet, area.left, area.right, movedTest(rule.formula, -area.top), rule.fill, rule.fontColor, rule.stopIfTrue].join('\u0000');
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push({ rule, area });
  }
  const ordered = [...groups.values()].sort((a, b) => (a[0] as { rule: ConditionalRule }).rule.priority - (b[0] as { rule: ConditionalRule }).rule.priority);
  const out: ConditionalRule[] = [];
  for (const group of ordered) {
    const members = [...group].sort((a, b) => a.area.top - b.area.top);
    let chunk: typeof members = [];
    const flush = (): void => {
      const first = chunk[0];
      if (first === undefined) return;
      // The first area's own rule reads the first area's rows.
      out.push({ ...first.rule, range: areasAddress(chunk.map((m) => m.area)), priority: out.length + 1 });
      chunk = [];
    };
    // The address grows by each area's own address and a space.
    let length = 0;
    for (const m of members) {
      const own = areasAddress([m.area]).length;
      if (chunk.length > 0 && length + 1 + own > MAX_RULE_ADDRESS) {
        flush();
        length = 0;
      }
      length += (chunk.length > 0 ? 1 : 0) + own;
      chunk.push(m);
    }
    flush();
  }
  return out;
}
