/**
 * Evaluation: every row of every detected table judged against its target, with polarity, variance,
 * trend and findings. Pure: the same snapshot and settings always give the same result.
 */
import { cellAddress, columnIndex } from './address';
import { floatCmp, roundTo } from './compare';
import { DetectedTable, detectTables, Detection, TableColumn } from './detect';
import { Normalisation } from './display';
import { Finding, makeFinding } from './findings';
import { columnRole, firstColumn, interpretedCell, InterpretedTable, interpretTable, measureColumn } from './interpret';
import { absoluteTolerance, describeInterval, equalAsDisplayed, judgeValue, RowVerdict, Status, TargetInterval, Tolerance, Trend, trendOf } from './judge';
import { ARROW_DOWN, ARROW_FLAT, ARROW_UP } from './patterns';
import { comparePeriods, financialYearKey, isWholeYear, Period, periodLength } from './period';
import { ASSUMED_HIGHER, Polarity, PolarityReading, resolvePolarity } from './polarity';
import { SheetSnapshot, WorkbookSnapshot } from './snapshot';
import { named } from './regex';
import { TargetSpec } from './target';
import { Candidate, formatNumber, NumberValue, ParsedCell, Unit } from './value';
import { statusOfWord } from './vocabulary';
import {
  assertNever, Band, BlockRule, BlockValues, BoundSource, BudgetRowShape, evaluateBlock, MarkCell, NoStatusKey, PeriodColumn, PeriodRowShape, RatingsRowShape,
  RISK_BANDS, resumeBlock, RiskRowShape, sharedShapePart, RowCells, RowShape, rowRules, RuleValue, SignedCell, statusOfCode, trendOfCode, ValueTerm, RowBlock,
} from './rules';


/** Per-table choices a user makes in the pane; they survive in the workbook's settings. */
export interface TableOverride {
  readonly sheet: string;
  /** The table's range as detected ("A22:H32"); omitted = every table of the sheet. */
  readonly range?: string;
  readonly exclude?: boolean;
  /** Column letter of the target column, when detection picked the wrong one. */
  readonly targetColumn?: string;
  /** Polarity per 1-based sheet row. */
  readonly rowPolarity?: Readonly<Record<string, Exclude<Polarity, 'unknown'>>>;
}

/** Settings of an evaluation. Defaults: green tolerance 0, amber 5% of the bound. */
export interface EvaluationSettings {
  readonly green: Tolerance;
  readonly amber: Tolerance;
  readonly overrides?: readonly TableOverride[];
  /**
   * True when the user chose the tolerances (command-line flags, the pane's options). Otherwise a key printed on
   * the sheet ("Amber: within 10% of target", a met / not met key) sets them for the tables of that sheet.
   */
  readonly tolerancesChosen?: boolean;
}

/** The settings a scorecard is judged by unless the workbook says otherwise. */
export const DEFAULT_SETTINGS: EvaluationSettings = {
  green: { kind: 'relative', value: 0 },
  amber: { kind: 'relative', value: 0.05 },
};

/** A value taken from a period cell. */
export interface Observation {
  readonly value: NumberValue;
  readonly period: Period | null;
  readonly periodLabel: string;
  readonly row: number;
  readonly col: number;
  readonly cell: string;
}

/** Budget facts of a budget-table row. */
export interface BudgetFacts {
  readonly budget: Observation | null;
  readonly forecast: Observation | null;
  /** Published variance, turned to over-positive (overspend positive). */
  readonly publishedVariance: number | null;
  /** Earlier variance, over-positive. */
  readonly priorVariance: number | null;
  /** Published movement, adverse-positive. */
  readonly movement: number | null;
}

/** One evaluated row. */
export interface EvaluatedRow extends RowVerdict {
  /** 0-based sheet row. */
  readonly row: number;
  readonly measure: string;
  readonly measureCell: string;
  readonly label: string | null;
  readonly polarity: PolarityReading;
  readonly target: {
    readonly spec: TargetSpec | null;
    readonly interval: TargetInterval | null;
    readonly readable: string;
    readonly text: string;
    readonly cell: string | null;
    /** An annual target set against a part of the year: the share it is judged pro rata by. */
    readonly proRata?: { readonly share: number; readonly label: string };
  };
  /** What the publisher printed for this row in its own status column, read as a status. */
  readonly statedStatus?: Status;
  readonly latest: Observation | null;
  readonly previous: Observation | null;
  readonly green: Tolerance;
  readonly amber: Tolerance;
  readonly budget?: BudgetFacts;
  readonly findings: readonly Finding[];
  /**
   * What the engine decided when it read the row, as data: which cells are periods and in what order, which it read
   * as percentages, the target's sides, tolerances, polarity. The sheet's formulas are the rules of this shape.
   */
  readonly shape: RowShape;
  /** The block's cells as the rules compute them over the row's cells: the verdict, and what the sheet shows. */
  readonly block: BlockValues;
  /** The rules of the shape (`rowRules(shape)`), which the plan writes as the block's formulas. */
  readonly rules: RowBlock;
}

/** One evaluated table. */
export interface EvaluatedTable {
  readonly table: DetectedTable;
  readonly rows: readonly EvaluatedRow[];
  /** How the table's published arrows read: ▲ = improving, or ▲ = increasing. */
  readonly arrowConvention?: 'improving' | 'increasing';
  readonly findings: readonly Finding[];
  /** The text cells of the table that the refresh types as numbers, found when its cells were read. */
  readonly normalisations: readonly Normalisation[];
}

/** The evaluation of a workbook. */
export interface Evaluation {
  readonly detection: Detection;
  readonly tables: readonly EvaluatedTable[];
}

const STOPWORDS = new Set(['the', 'of', 'and', 'or', 'a', 'an', 'in', 'at', 'to', 'for', 'by', 'on', 'with', 'all', 'other', 'is', 'are', 'be']);

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[a-z][a-z0-9]+/g) ?? []).filter((w) => !STOPWORDS.has(w));
}

/** Picks the number a cell holding several means: the one labelled like the measure, else the one consistent with the row. */
export function chooseCandidate(candidates: readonly Candidate[], measure: string, references: readonly number[]): Candidate | undefined {
  const measureWords = new Set(wordsOf(measure));
  const scored = candidates.map((c) => {
    const words = wordsOf(c.label ?? '');
    return { c, score: words.length === 0 ? 0 : words.filter((w) => measureWords.has(w)).length / words.length };
  });
  const best = Math.max(...scored.map((s) => s.score));
  const tied = scored.filter((s) => floatCmp(s.score, best) === 0);
  if (tied.length === 1 && best > 0) return tied[0]?.c;
  const pool = best > 0 ? tied : scored;
  if (references.length === 0) return undefined;
  const distance = (v: number): number => Math.min(...references.map((r) => (v === 0 || r === 0 || Math.sign(v) !== Math.sign(r) ? Math.abs(v - r) + 10 : Math.abs(Math.log(Math.abs(v) / Math.abs(r))))));
  return [...pool].sort((a, b) => distance(a.c.value.value) - distance(b.c.value.value))[0]?.c;
}

const MISSING_TARGET: Partial<Record<string, string>> = {
  'not-applicable': 'not applicable', 'to-be-confirmed': 'to be confirmed', 'new-indicator': 'a new indicator', 'data-only': 'data only', 'not-due': 'not due yet',
  'no-target': 'no target set', 'yes-no': 'a yes / no standard with no published Met or Not met',
};

/** Counts and amounts that accumulate over a period: a quarter's figure is not comparable with a year's. */
const ACCUMULATES = /\b(?:received|turned around|achieved|delivered|awarded|paid|spent|income|savings?|generated|raised|collected|referrals? received)\b/i;
const RATE_WORDS = /%|\b(?:rate|average|per|ratio|proportion|percentage|score|index)\b/i;

function accumulates(measure: string, unit: Unit): boolean {
  if (unit === 'percent' || RATE_WORDS.test(measure)) return false;
  return ACCUMULATES.test(measure) || unit === 'currency';
}

function tableOverride(table: DetectedTable, settings: EvaluationSettings): TableOverride | undefined {
  return settings.overrides?.find((o) => o.sheet === table.sheet && (o.range === undefined || o.range === table.range));
}

function fractionFinding(v: NumberValue, cell: string): Finding | undefined {
  if (v.fraction === undefined || v.unit !== 'percent' || v.fraction.denominator === 0) return undefined;
  const computed = v.fraction.numerator / v.fraction.denominator;
  const d = v.decimals + 2;
  if (floatCmp(roundTo(computed, d), roundTo(v.value, d)) === 0) return undefined;
  return makeFinding('fraction-mismatch', cell, {
    printed: formatNumber(v), numerator: v.fraction.numerator, denominator: v.fraction.denominator,
    computed: formatNumber({ value: computed, unit: 'percent', decimals: v.decimals }),
  });
}

interface RowContext {
  /** The table's cells, read once. */
  readonly cells: InterpretedTable;
  readonly table: DetectedTable;
  readonly settings: EvaluationSettings;
  readonly override: TableOverride | undefined;
  /** The measure's column (see `measureColumn`). */
  readonly measureCol: number;
  /** The table's tolerances: the user's, else a key printed on the sheet, else the defaults. */
  readonly green: Tolerance;
  readonly amber: Tolerance;
  /** Measure text to read polarity from, for lettered sub-measures that share a stem. */
  readonly stems: ReadonlyMap<number, string>;
  /** The words the table's published marks are written in. */
  readonly markWords: Omit<MarkCell, 'role'>;
  /** The tables of previous-value ranks the table's rows share, by their positions (see `sharedRanks`). */
  readonly ranks: Map<string, number[][]>;
  /** The period and value columns the table's rows share, by how their cells are read (see `sharedColumns`). */
  readonly columns: Map<string, readonly PeriodColumn[]>;
  /** The cells the table's rows read as typed, by role: as they are, and over 100 (see `cellTerm`). */
  readonly cellTerms: { readonly 1: Map<string, ValueTerm>; readonly 100: Map<string, ValueTerm> };
  /** The tolerance bands the table's rows are judged by, by what they hold and by the tolerance (see `bandOf`). */
  readonly bands: Map<string, Band>;
  readonly bandsOf: Map<Tolerance, Map<Unit, Band>>;
  /** The rules of rows shown at other decimals than their first shape's, by those rules (see `rulesShownAt`). */
  readonly shownAt: Map<readonly BlockRule[], Map<number, RowBlock>>;
}

/** The columns a KPI or series row reads, by what they hold; the same for every row of the table. */
interface KpiColumns {
  /** The target columns (the one the user chose, if they chose one), in the table's order. */
  readonly targets: readonly TableColumn[];
  readonly values: readonly TableColumn[];
  readonly unit: TableColumn | undefined;
  readonly polarity: TableColumn | undefined;
  readonly tolerance: TableColumn | undefined;
  /** The publisher's own status column. */
  readonly status: TableColumn | undefined;
  /**
   * The period columns besides a row's target column, by that column (-1 for none): in the table's order, and in
   * period order (see `periodsBeside`).
   */
  readonly periods: Map<number, PeriodsBeside>;
}

/** The period columns of a row whose target is in a given column. */
interface PeriodsBeside {
  readonly inTable: readonly TableColumn[];
  readonly inOrder: readonly TableColumn[];
  /**
   * The share of the year each position of the row covers (the periods in order, then the value columns), for an
   * annual target judged pro rata; 1 for a whole year (see `partOfYear`).
   */
  readonly shares: readonly number[];
}

function kpiColumnsOf(table: DetectedTable, override: TableOverride | undefined): KpiColumns {
  return {
    targets: override?.targetColumn !== undefined
      ? table.columns.filter((c) => c.col === columnIndex(override.targetColumn as string))
      : table.columns.filter((c) => c.role === 'target'),
    values: table.columns.filter((c) => c.role === 'value'),
    unit: firstColumn(table, 'unit'),
    polarity: firstColumn(table, 'polarity'),
    tolerance: firstColumn(table, 'tolerance'),
    status: firstColumn(table, 'status'),
    periods: new Map(),
  };
}

/** The columns a budget row reads; the same for every row of the table. */
interface BudgetColumns {
  readonly budget: TableColumn | undefined;
  readonly forecast: TableColumn | undefined;
  readonly variance: TableColumn | undefined;
  readonly prior: TableColumn | undefined;
  readonly movement: TableColumn | undefined;
  /** How the variance column signs its figures, read from its header or from the rows' arithmetic. */
  readonly varianceConvention: TableColumn['signConvention'];
}

function budgetColumnsOf(cells: InterpretedTable): BudgetColumns {
  const { table } = cells;
  const budget = firstColumn(table, 'budget');
  const forecast = firstColumn(table, 'forecast');
  const variance = firstColumn(table, 'variance');
  return {
    budget, forecast, variance, prior: firstColumn(table, 'prior-variance'), movement: firstColumn(table, 'movement'),
    varianceConvention: inferVarianceConvention(cells, budget, forecast, variance),
  };
}

/** The columns a risk row reads; the same for every row of the table. */
interface RiskColumns {
  readonly reference: TableColumn | undefined;
  readonly before: TableColumn | undefined;
  readonly after: TableColumn | undefined;
}

function riskColumnsOf(table: DetectedTable): RiskColumns {
  return { reference: firstColumn(table, 'reference'), before: firstColumn(table, 'risk-before'), after: firstColumn(table, 'risk-after') };
}

/** The columns a row of ratings reads; the same for every row of the table. */
interface RatingsColumns {
  readonly reference: TableColumn | undefined;
  /** The dated period columns, oldest first. */
  readonly periods: readonly TableColumn[];
}

function ratingsColumnsOf(table: DetectedTable): RatingsColumns {
  return {
    reference: firstColumn(table, 'reference'),
    periods: table.columns.filter((c) => c.role === 'period' && c.period).sort((a, b) => comparePeriods(a.period as Period, b.period as Period) || a.col - b.col),
  };
}

/** The period columns of a row whose target is in `targetCol`, found once for each target column of the table. */
function periodsBeside(ctx: RowContext, columns: KpiColumns, targetCol: TableColumn | undefined): PeriodsBeside {
  return getOrMake(columns.periods, targetCol?.col ?? -1, () => {
    const inTable = ctx.table.columns.filter((c) => c.role === 'period' && (targetCol === undefined || c.col !== targetCol.col));
    const inOrder = [...inTable].sort((x, y) => byPeriod({ period: x.period ?? null, col: x.col }, { period: y.period ?? null, col: y.col }));
    const shares = [...inOrder, ...columns.values].map((c) => partOfYear(c.period ?? null, c.header)?.share ?? 1);
    return { inTable, inOrder, shares };
  });
}

/** The text a cell of the table shows ('' outside the table's data rows and columns). */
function textIn(t: InterpretedTable, r: number, c: number): string {
  return interpretedCell(t, r, c)?.text ?? '';
}

/** What the rules read in one row of the table, by role. */
function rowCells(t: InterpretedTable, r: number): RowCells {
  return t.rows.get(r)?.ruleCells ?? {};
}

/** What a cell of one of the table's figure columns means (blank outside the table's data rows). */
function meaningIn(t: InterpretedTable, r: number, c: number): ParsedCell {
  return interpretedCell(t, r, c)?.meaning ?? BLANK_CELL;
}

const BLANK_CELL: ParsedCell = { kind: 'missing', reason: 'blank', text: '' };

function intervalOf(spec: TargetSpec | null, polarity: Polarity, baseline: (period: string | null) => Observation | null | 'no-column', cell: string, findings: Finding[]): { interval: TargetInterval | null; readable: string } {
  if (spec === null) return { interval: null, readable: '' };
  switch (spec.kind) {
    case 'bound': {
      const v = spec.value;
      const common = { unit: v.unit, decimals: v.decimals, ...(v.currency !== undefined ? { currency: v.currency } : {}) };
      const f = fractionFinding(v, cell);
      if (f) findings.push(f);
      let side: 'min' | 'max' | undefined;
      let inclusive = true;
      if (spec.comparator === 'ge' || spec.comparator === 'gt') { side = 'min'; inclusive = spec.comparator === 'ge'; }
      else if (spec.comparator === 'le' || spec.comparator === 'lt') { side = 'max'; inclusive = spec.comparator === 'le'; }
      else if (polarity === 'higher') side = 'min';
      else if (polarity === 'lower') side = 'max';
      else if (polarity === 'range') {
        // "Closer to target is better" with one value: the target is a point.
        const point: TargetInterval = { min: v.value, max: v.value, minInclusive: true, maxInclusive: true, ...common };
        return { interval: point, readable: `${formatNumber(v)}${spec.label ? ` (${spec.label})` : ''} exactly` };
      }
      if (side === undefined) {
        findings.push(makeFinding('target-no-direction', cell, { targetText: spec.text }));
        return { interval: null, readable: `${formatNumber(v)} (direction unknown)` };
      }
      const interval: TargetInterval = side === 'min'
        ? { min: v.value, max: null, minInclusive: inclusive, maxInclusive: true, ...common }
        : { min: null, max: v.value, minInclusive: true, maxInclusive: inclusive, ...common };
      return { interval, readable: describeInterval(interval) + (spec.label ? ` (${spec.label})` : '') };
    }
    case 'range': {
      const interval: TargetInterval = { min: spec.min.value, max: spec.max.value, minInclusive: true, maxInclusive: true, unit: spec.max.unit, decimals: Math.max(spec.min.decimals, spec.max.decimals), ...(spec.max.currency ? { currency: spec.max.currency } : {}) };
      return { interval, readable: describeInterval(interval) };
    }
    case 'relative': {
      const direction = spec.direction !== 'better' ? spec.direction : polarity === 'higher' || polarity === 'lower' ? polarity : undefined;
      if (direction === undefined) {
        findings.push(makeFinding('target-no-direction', cell, { targetText: spec.text }));
        return { interval: null, readable: `${spec.text} (direction unknown)` };
      }
      const base = baseline(spec.basePeriod);
      const periodName = spec.basePeriod ?? 'the previous period';
      if (base === null || base === 'no-column') {
        findings.push(makeFinding('baseline-missing', cell, { text: spec.text, period: periodName }));
        return { interval: null, readable: `${spec.text} (no baseline)` };
      }
      const b = base.value.value;
      // "5 points" on a rate is 5 percentage points; on a score it is 5 of the score's own units.
      const delta = spec.changeUnit === 'percent' ? Math.abs(b) * spec.change
        : spec.changeUnit === 'points' && base.value.unit === 'percent' ? spec.change / 100 : spec.change;
      // Rounded to 12 significant digits so that a spreadsheet comparing with the written bound agrees with us.
      const bound = Number((direction === 'lower' ? b - delta : b + delta).toPrecision(12));
      const common = { unit: base.value.unit, decimals: base.value.decimals + (spec.changeUnit === 'percent' && spec.change !== 0 ? 1 : 0), ...(base.value.currency ? { currency: base.value.currency } : {}) };
      const interval: TargetInterval = direction === 'lower'
        ? { min: null, max: bound, minInclusive: true, maxInclusive: !spec.strict, ...common }
        : { min: bound, max: null, minInclusive: !spec.strict, maxInclusive: true, ...common };
      const how = spec.change === 0 ? `${direction === 'lower' ? 'below' : 'above'} ${base.periodLabel}` : `${spec.text} on ${base.periodLabel}`;
      return { interval, readable: `${describeInterval(interval)} (${how})` };
    }
    case 'multi-part':
      findings.push(makeFinding('multi-part-target', cell, { text: spec.text, parts: spec.parts.length }));
      return { interval: null, readable: `${spec.text} (several parts)` };
    case 'unparsed':
      findings.push(makeFinding('unparsed-target', cell, { text: spec.text }));
      return { interval: null, readable: `${spec.text} (not understood)` };
    case 'missing':
      return { interval: null, readable: spec.text };
  }
}

/** What a row's figure cell was read as: a value, a value in a unit the target does not use, or neither. */
interface Observed {
  readonly obs?: Observation;
  readonly mismatch?: Observation;
}

/** A cell read as neither, one object for every such cell. */
const NOT_OBSERVED: Observed = {};

/** The observation of `value` in the cell of column `col` on row `r`. */
function observationAt(col: TableColumn, r: number, cell: string, value: NumberValue): Observation {
  return { period: col.period ?? null, periodLabel: col.period?.label ?? col.header, row: r, col: col.col, cell, value };
}

/** Reads the observation of one period cell, resolving units and several-number cells; records findings. */
function observe(ctx: RowContext, r: number, col: TableColumn, parsed: ParsedCell, measure: string, rowUnit: Unit | undefined, targetSpec: TargetSpec | null, references: number[], findings: Finding[]): Observed {
  const cell = cellAddress(r, col.col);
  const text = textIn(ctx.cells, r, col.col);
  let v: NumberValue | undefined;
  switch (parsed.kind) {
    case 'number':
      v = parsed;
      break;
    case 'several': {
      const chosen = chooseCandidate(parsed.candidates, measure, references);
      if (chosen === undefined) {
        findings.push(makeFinding('unparsed-value', cell, { text }));
        return NOT_OBSERVED;
      }
      v = chosen.value;
      findings.push(makeFinding('extracted-value', cell, { value: formatNumber(v), text, label: chosen.label }));
      break;
    }
    case 'band':
      findings.push(makeFinding('value-is-band', cell, { text }));
      return NOT_OBSERVED;
    case 'text':
      findings.push(makeFinding('unparsed-value', cell, { text }));
      return NOT_OBSERVED;
    case 'missing':
      if (parsed.reason === 'suppressed') findings.push(makeFinding('suppressed-value', cell, { text }));
      return NOT_OBSERVED;
  }
  const ff = fractionFinding(v, cell);
  if (ff) findings.push(ff);
  const hasTarget = targetSpec !== null && (targetSpec.kind === 'bound' || targetSpec.kind === 'range');
  const targetWord = targetSpec?.kind === 'bound' ? targetSpec.value.unitWord : undefined;
  if (v.unitWord !== undefined && v.unitWord !== 'rank' && hasTarget && targetWord !== v.unitWord) {
    findings.push(makeFinding('unit-mismatch', cell, { value: text, targetText: targetSpec?.text ?? '' }));
    return { mismatch: observationAt(col, r, cell, v) };
  }
  if (hasTarget && rowUnit === 'percent' && v.unit === 'plain') {
    const readAs: NumberValue = { ...v, unit: 'percent', value: v.value > 1 ? v.value / 100 : v.value, decimals: v.value > 1 ? v.decimals : Math.max(0, v.decimals - 2) };
    findings.push(makeFinding('unit-assumed', cell, { text, readAs: formatNumber(readAs) }));
    return { obs: observationAt(col, r, cell, readAs) };
  }
  if (hasTarget && rowUnit !== undefined && rowUnit !== 'percent' && v.unit === 'percent') {
    findings.push(makeFinding('unit-mismatch', cell, { value: text, targetText: targetSpec?.text ?? '' }));
    return { mismatch: observationAt(col, r, cell, v) };
  }
  return { obs: observationAt(col, r, cell, v) };
}

/**
 * The newest of a row's period readings, usable or in a unit the target does not use. `readings` (in the table's
 * order) is needed only when some are in such a unit: otherwise the newest is the last of `usable`, sorted.
 */
function newestObserved(usable: readonly Observation[], readings: Iterable<Observed> | undefined): { obs: Observation; mismatch: boolean } | undefined {
  if (readings === undefined) {
    const last = usable[usable.length - 1];
    return last === undefined ? undefined : { obs: last, mismatch: false };
  }
  const all: Array<{ obs: Observation; mismatch: boolean }> = [];
  for (const o of readings) {
    if (o.obs) all.push({ obs: o.obs, mismatch: false });
    if (o.mismatch) all.push({ obs: o.mismatch, mismatch: true });
  }
  all.sort((a, b) => byPeriod(a.obs, b.obs));
  return all[all.length - 1];
}

function byPeriod(a: { period: Period | null; col: number }, b: { period: Period | null; col: number }): number {
  if (a.period && b.period) return comparePeriods(a.period, b.period) || a.col - b.col;
  return a.col - b.col;
}

/**
 * Picks the comparison value, like with like: the newest earlier period of the same length (a year with the year
 * before, a quarter with the quarter before); a year-to-date figure only with the same point a year earlier.
 * Without one of the same length, the newest earlier period, or for a quarter of a KPI table the year before.
 */
function previousOf(latest: Observation, usable: readonly Observation[], kind: DetectedTable['kind']): Observation | null {
  const earlier = usable.filter((o) => o !== latest && byPeriod(o, latest) < 0 && (!o.period || !latest.period || o.period.end < latest.period.end || o.period.start > latest.period.start));
  if (earlier.length === 0) return null;
  const lp = latest.period;
  if (lp) {
    const sameLength = earlier.filter((o) => o.period && periodLength(o.period) === periodLength(lp) && o.period.kind === lp.kind && o.period.end < lp.start);
    if (lp.kind === 'year-to-date') return sameLength.find((o) => o.period && o.period.end === lp.end - 12) ?? null;
    const like = sameLength[sameLength.length - 1];
    if (like) return like;
    if (kind === 'kpi') {
      const years = earlier.filter((o) => o.period && isWholeYear(o.period) && o.period.end < lp.start);
      const lastYear = years[years.length - 1];
      if (lastYear) return lastYear;
    }
  }
  return earlier[earlier.length - 1] ?? null;
}

/** "Satisfaction: a) …" then "b) …": a lettered sub-measure reads with the stem of its first part. */
function measureStems(cells: InterpretedTable, measureCol: number): Map<number, string> {
  const out = new Map<number, string>();
  let stem = '';
  for (const r of cells.table.dataRows) {
    const m = textIn(cells, r, measureCol);
    const first = STEM_OF_FIRST_PART.exec(m)?.groups?.stem;
    if (first !== undefined) stem = first;
    else if (/^\(?[b-h]\)\s/i.test(m) && stem !== '') out.set(r, `${stem}: ${m}`);
    else stem = '';
  }
  return out;
}

/** The stem of a lettered measure's first part: "Satisfaction: a) …". */
const STEM_OF_FIRST_PART = named(String.raw`^(?<stem>.+?)\s*[:\-–]\s*\(?a\)\s`, 'i');

/** The share of the year a part-year period covers, for targets set for the whole year; undefined for a whole year. */
function partOfYear(p: Period | null, header: string): { share: number; label: string } | undefined {
  if (p === null || isWholeYear(p) && p.kind !== 'year-to-date') return undefined;
  const cumulative = p.kind === 'year-to-date' || /\b(?:ytd|year to date|cumulative|to date)\b/i.test(header);
  const monthOfYear = (((p.end - 3) % 12) + 12) % 12 + 1;
  if (p.kind === 'quarter') {
    const q = Math.ceil(monthOfYear / 3);
    return cumulative ? { share: q / 4, label: `Q${q} of 4, to date` } : { share: 1 / 4, label: `Q${q} of 4` };
  }
  if (p.kind === 'month') return cumulative ? { share: monthOfYear / 12, label: `month ${monthOfYear} of 12, to date` } : { share: 1 / 12, label: `one month of 12` };
  if (p.kind === 'half') return cumulative ? { share: monthOfYear / 12, label: `H${monthOfYear / 6} of 2, to date` } : { share: 1 / 2, label: 'half of the year' };
  return undefined;
}


/**
 * How a formula reads a cell as the engine read it: a typed number (divided by 100 where a bare 85 was read as
 * 85%), text read as a number (a reading that stands until a number is typed, or the refresh types it), or a cell
 * the engine found no value in (`value` undefined), read if a number is typed there later.
 */
function termOf(ctx: RowContext, r: number, col: number, value: number | undefined, emptyDivisor: 1 | 100): ValueTerm {
  const role = columnRole(col);
  const cell = interpretedCell(ctx.cells, r, col);
  if (value === undefined) return cellTerm(ctx, role, emptyDivisor);
  if (cell?.value.kind === 'number') {
    const raw = cell.value.value;
    if (raw === value) return cellTerm(ctx, role, 1);
    if (floatCmp(raw / 100, value) === 0) return cellTerm(ctx, role, 100);
    return { kind: 'reading', role, value };
  }
  const n = cell?.exact;
  const divisor = n !== undefined && floatCmp(n.value, value) !== 0 && floatCmp(n.value / 100, value) === 0 ? 100 : 1;
  return { kind: 'reading', role, value, divisor };
}

/**
 * One object for a part of a shape that many of the table's rows hold alike, kept in `store` under `key` and
 * registered as shared (`sharedShapePart`): the key of their rules writes it once, as a short stand-in, instead of
 * once a row. `make` builds it the first time the key is asked for.
 */
function sharedIn<T extends object>(store: Map<string, T>, key: string, make: () => T): T {
  return getOrMake(store, key, () => sharedShapePart(make()));
}

/** What `store` holds under `key`, made (and kept) the first time it is asked for. */
function getOrMake<K, T>(store: Map<K, T>, key: K, make: () => T): T {
  let known = store.get(key);
  if (known === undefined) {
    known = make();
    store.set(key, known);
  }
  return known;
}


/** A cell the rules read as it is typed (over `divisor`), one object for the table's rows. */
function cellTerm(ctx: RowContext, role: string, divisor: 1 | 100): ValueTerm {
  const terms = ctx.cellTerms[divisor];
  return sharedIn(terms, role, () => ({ kind: 'cell', role, divisor }));
}

/** A tolerance in the numbers the rules compare (3 pp on a rate is 0.03), one object for the table's rows. */
function bandOf(ctx: RowContext, t: Tolerance, unit: Unit): Band {
  // Most rows ask for the table's own tolerances: each tolerance's bands are kept with it, found without a key.
  const byUnit = getOrMake(ctx.bandsOf, t, () => new Map<Unit, Band>());
  return getOrMake(byUnit, unit, () => sharedIn(ctx.bands, `${t.kind}:${t.value}:${unit}`, () => (t.kind === 'relative' ? { relative: t.value, absolute: 0 } : { relative: 0, absolute: absoluteTolerance(t, unit) })));
}

/** A side of the target that is not set, one object for every row. */
const NO_BOUND: BoundSource = sharedShapePart({ kind: 'none' });

/**
 * Which earlier positions may be the previous value of each latest position, and in which order of preference
 * (the engine's like-with-like rule): a period of the same length and kind that ended before the latest began;
 * on a KPI table, else a whole year that did; else the newest earlier period. A year-to-date figure is compared
 * only with the same point a year earlier. After a value column, the newest period.
 */
function previousRanksOf(positions: ReadonlyArray<{ readonly period: Period | null; readonly usable: boolean; readonly isValue: boolean }>, kind: DetectedTable['kind']): number[][] {
  return positions.map((latest, k) => positions.map((o, j) => {
    if (!o.usable || o.isValue || j === k) return 0;
    if (latest.isValue) return 1;
    if (j > k) return 0;
    const lp = latest.period;
    const op = o.period;
    if (lp === null || op === null) return 1;
    if (!(op.end < lp.end || op.start > lp.start)) return 0;
    const same = periodLength(op) === periodLength(lp) && op.kind === lp.kind && op.end < lp.start;
    if (lp.kind === 'year-to-date') return same && op.end === lp.end - 12 ? 1 : 0;
    if (same) return 3;
    if (kind === 'kpi' && isWholeYear(op) && op.end < lp.start) return 2;
    return 1;
  }));
}

/**
 * `previousRanksOf` for one row, the same table for every row whose positions are the same columns, equally usable:
 * the rows of a table share it (and the key of their rules writes it once).
 */
function sharedRanks(ctx: RowContext, positions: readonly Position[], kind: DetectedTable['kind']): number[][] {
  let key = '';
  for (const p of positions) key += `${p.col.col}${isUsable(p) ? 'u' : 'x'}${p.isValue ? 'v' : 'p'},`;
  return sharedIn(ctx.ranks, key, () => previousRanksOf(positions.map((p) => ({ period: p.col.period ?? null, usable: isUsable(p), isValue: p.isValue })), kind));
}

/** A position whose cell may hold the previous value: one read as a value, or as nothing (a number typed later). */
function isUsable(p: Position): boolean {
  return p.read.obs !== undefined || p.read.mismatch === undefined;
}

/** A position a KPI or series row's latest value can come from: a period or value column, and its cell's reading. */
interface Position {
  readonly col: TableColumn;
  readonly read: Observed;
  readonly isValue: boolean;
}

/** The period column of the rules at a position, reading its cell by `term`. */
function periodColumnOf(p: Position, term: ValueTerm): PeriodColumn {
  const start = p.col.period?.start ?? null;
  const end = p.col.period?.end ?? null;
  return p.col.period?.kind === 'year-to-date' ? { term, start, end, yearToDate: true } : { term, start, end };
}

/**
 * A row's period (or value) columns, positions `from` to `to` with the terms that read them: the same array for every
 * row of the table whose columns are read alike, so that the key of their rules is written once for them (and the
 * columns are made once). Columns holding a reading stay the row's own.
 */
function sharedColumns(ctx: RowContext, positions: readonly Position[], from: number, to: number, termAt: (p: Position) => ValueTerm): readonly PeriodColumn[] {
  const terms: ValueTerm[] = [];
  let key: string | undefined = '';
  for (let i = from; i < to; i++) {
    const term = termAt(positions[i] as Position);
    terms.push(term);
    switch (term.kind) {
      case 'cell': if (key !== undefined) key += `${term.role}/${term.divisor},`; break;
      case 'mismatch': if (key !== undefined) key += `${term.role}!${term.typed ? 1 : 0},`; break;
      case 'reading': key = undefined; break;
      default: return assertNever(term);
    }
  }
  const made = (): PeriodColumn[] => terms.map((term, k) => periodColumnOf(positions[from + k] as Position, term));
  return key === undefined ? made() : sharedIn(ctx.columns, key, made);
}

/** The published marks of a table (R / A / G, Met / Not met) as the exact words each status is written in. */
function markWordsOf(cells: InterpretedTable): Omit<MarkCell, 'role'> {
  const { table } = cells;
  const words: Record<'green' | 'amber' | 'red', Map<string, string>> = { green: new Map(), amber: new Map(), red: new Map() };
  const cols = table.columns.filter((c) => c.role === 'period' || c.role === 'value');
  for (const r of table.dataRows) {
    for (const c of cols) {
      const value = interpretedCell(cells, r, c.col)?.value;
      if (value?.kind !== 'text') continue;
      const raw = value.value;
      const status = statusOfWord(raw);
      if (status === undefined || status === 'none') continue;
      const list = words[status];
      if (!list.has(raw.toLowerCase()) && list.size < MAX_MARK_WORDS) list.set(raw.toLowerCase(), raw);
    }
  }
  return { green: [...words.green.values()], amber: [...words.amber.values()], red: [...words.red.values()] };
}

/** Most words per status a mark formula tests for. */
const MAX_MARK_WORDS = 6;

function markCellOf(ctx: RowContext, col: TableColumn): MarkCell {
  return { role: columnRole(col.col), ...ctx.markWords };
}

/** The status a block's status code stands for. */
function statusOf(block: BlockValues, noStatus: NoStatusKey): Status {
  const code = block.statusCode?.kind === 'number' ? block.statusCode.value : 0;
  const key = statusOfCode(code, noStatus);
  return key === 'green' || key === 'amber' || key === 'red' ? key : 'none';
}

/** The variance in the engine's numbers (the block shows points on a rate) and the variance %. */
function varianceOf(block: BlockValues, scale: number): { variance: number | null; variancePct: number | null } {
  const v = block.variance;
  const p = block.variancePct;
  return {
    variance: v?.kind === 'number' ? (scale === 1 ? v.value : Number((v.value / scale).toPrecision(15))) : null,
    variancePct: p?.kind === 'number' ? p.value : null,
  };
}

/** The trend a block's trend code stands for. */
function trendOfBlock(block: BlockValues): Trend {
  const key = trendOfCode(block.trendCode?.kind === 'number' ? block.trendCode.value : 0);
  return key === undefined ? 'none' : key === 'notComparable' ? 'not-comparable' : key;
}

function evaluateKpiRow(ctx: RowContext, columns: KpiColumns, r: number): EvaluatedRow {
  const { cells, table, override } = ctx;
  const findings: Finding[] = [];
  const measureC = ctx.measureCol;
  const measure = textIn(cells, r, measureC);
  const wording = ctx.stems.get(r) ?? measure;
  const targetCols = columns.targets;
  // Of several target columns ("FY23 Target", "Desired Level"), the first one with a value is the row's target;
  // targets set per period ("Q1 Target", "Q2 Target") go with the newest period that has a value.
  const targetCol = targetForNewestPeriod(cells, r, targetCols) ?? targetCols.find((c) => textIn(cells, r, c.col) !== '') ?? targetCols[0];
  const perPeriodTarget = targetCol?.period !== undefined && !isWholeYear(targetCol.period) && targetCols.filter((c) => c.period !== undefined).length > 1;
  const targetRead = targetCol ? interpretedCell(cells, r, targetCol.col) : undefined;
  let targetText = targetRead?.text ?? '';
  let targetCell = targetCol ? cellAddress(r, targetCol.col) : null;
  let spec = targetCol ? targetRead?.target ?? null : null;
  // A typed target keeps the unit and precision of its number format.
  if (spec?.kind === 'bound' && targetRead?.value.kind === 'number' && targetRead.meaning?.kind === 'number') spec = { ...spec, value: targetRead.meaning };
  if (targetCol === undefined) {
    const n = interpretedCell(cells, r, measureC)?.targetInMeasure;
    if (n !== undefined) {
      spec = { kind: 'bound', value: n, comparator: 'none', text: measure };
      targetText = measure;
      targetCell = cellAddress(r, measureC);
      findings.push(makeFinding('target-in-measure', targetCell, { text: measure, readAs: formatNumber(n) }));
    }
  }
  const otherTargets = targetCols.filter((c) => c !== targetCol).map((c) => interpretedCell(cells, r, c.col)?.target ?? null).filter((t): t is TargetSpec => t !== null);

  const { inTable: periodCols, inOrder: sortedPeriods, shares } = periodsBeside(ctx, columns, targetCol);
  const valueCols = columns.values;
  // A Unit column ("%", "£", "days") says what the row's bare figures are.
  const unitCol = columns.unit;
  const unitText = unitCol ? textIn(cells, r, unitCol.col) : '';
  const withUnit = (p: ParsedCell): ParsedCell => (p.kind === 'number' ? applyUnitColumn(p, unitText) : p);
  const parsedCells = periodCols.map((c) => ({ col: c, parsed: withUnit(meaningIn(cells, r, c.col)) }));
  const parsedValues = valueCols.map((c) => ({ col: c, parsed: withUnit(meaningIn(cells, r, c.col)) }));
  if (spec?.kind === 'bound' && unitText !== '') spec = { ...spec, value: applyUnitColumn(spec.value, unitText) };
  else if (spec?.kind === 'range' && unitText !== '') spec = { ...spec, min: applyUnitColumn(spec.min, unitText), max: applyUnitColumn(spec.max, unitText) };

  // A bare target ("85") over values that are all percentages means 85%: read it so, and say so.
  const rowParsed = parsedValues.length === 0 ? parsedCells : [...parsedCells, ...parsedValues];
  // How many of the row's figures are in each unit, and whether every figure without a unit word is a percentage.
  const unitCounts = new Map<Unit, number>();
  let bareFigures = 0;
  let barePercentages = 0;
  for (const { parsed } of rowParsed) {
    if (parsed.kind !== 'number') continue;
    unitCounts.set(parsed.unit, (unitCounts.get(parsed.unit) ?? 0) + 1);
    if (parsed.unitWord !== undefined) continue;
    bareFigures++;
    if (parsed.unit === 'percent') barePercentages++;
  }
  if (spec !== null && targetCell !== null && bareFigures > 0 && barePercentages === bareFigures) {
    const asPercent = (v: NumberValue): NumberValue => ({ ...v, unit: 'percent', value: v.value > 1 ? v.value / 100 : v.value, decimals: v.value > 1 ? v.decimals : Math.max(0, v.decimals - 2) });
    const plain = (v: NumberValue): boolean => v.unit === 'plain' && v.unitWord === undefined;
    if (spec.kind === 'bound' && plain(spec.value)) {
      spec = { ...spec, value: asPercent(spec.value) };
      findings.push(makeFinding('unit-assumed', targetCell, { text: targetText, readAs: formatNumber(spec.value) }));
    } else if (spec.kind === 'range' && plain(spec.min) && plain(spec.max)) {
      spec = { ...spec, min: asPercent(spec.min), max: asPercent(spec.max) };
      findings.push(makeFinding('unit-assumed', targetCell, { text: targetText, readAs: `${formatNumber(spec.min)} – ${formatNumber(spec.max)}` }));
    }
  }
  // The row's unit: the target's, else the unit most of its figures are in (the first seen of equals).
  let mostUsed: Unit | undefined;
  unitCounts.forEach((n, u) => { if (mostUsed === undefined || n > (unitCounts.get(mostUsed) ?? 0)) mostUsed = u; });
  const rowUnit: Unit | undefined = spec?.kind === 'bound' ? spec.value.unit : spec?.kind === 'range' ? spec.max.unit : mostUsed;
  const references: number[] = [];
  if (spec?.kind === 'bound') references.push(spec.value.value);
  for (const p of rowParsed) if (p.parsed.kind === 'number') references.push(p.parsed.value);

  const usable: Observation[] = [];
  let mismatched = false;
  // Each cell is observed once (its findings said once); the rules' positions below reuse the readings.
  const observed = new Map<number, Observed>();
  for (const { col, parsed } of parsedCells) {
    const o = observe(ctx, r, col, parsed, measure, rowUnit, spec, references, findings);
    observed.set(col.col, o);
    if (o.obs) usable.push(o.obs);
    if (o.mismatch) mismatched = true;
  }
  usable.sort(byPeriod);
  const newestPeriod = newestObserved(usable, mismatched ? observed.values() : undefined);
  // A value column ("Result", or one column per entity) holds the reported value; periods beside it are earlier.
  let valueObs: Observed | undefined;
  for (const { col, parsed } of parsedValues) {
    if (parsed.kind === 'missing' && parsed.reason === 'blank') continue;
    valueObs = observe(ctx, r, col, parsed, measure, rowUnit, spec, references, findings);
    observed.set(col.col, valueObs);
    break;
  }
  const newest = valueObs?.obs ? { obs: valueObs.obs, mismatch: false } : valueObs?.mismatch ? { obs: valueObs.mismatch, mismatch: true } : newestPeriod;
  const latest = newest && !newest.mismatch ? newest.obs : null;
  const previous = valueObs !== undefined ? usable[usable.length - 1] ?? null : newest ? previousOf(newest.obs, usable, table.kind) : null;

  const baseline = (period: string | null): Observation | null | 'no-column' => {
    if (period === null) {
      if (previous) return previous;
      const years = usable.filter((o) => o.period && isWholeYear(o.period));
      return years[years.length - 1] ?? null;
    }
    const key = financialYearKey(period);
    const cols = periodCols.filter((c) => (key !== undefined && financialYearKey(c.header) === key) || c.header.includes(period));
    if (cols.length === 0) return 'no-column';
    return usable.find((o) => cols.some((c) => c.col === o.col)) ?? null;
  };

  const polarityCol = columns.polarity;
  const columnText = polarityCol ? textIn(cells, r, polarityCol.col) : undefined;
  const rowOverride = override?.rowPolarity?.[String(r + 1)];
  const baselineForPolarity = spec?.kind === 'bound' && spec.comparator === 'none' && previous ? { target: spec.value.value, baseline: previous.value.value } : undefined;
  let polarity: PolarityReading = rowOverride
    ? { polarity: rowOverride, source: 'column', reason: 'set for this row in the Scorecard pane' }
    : resolvePolarity({ columnText: columnText === '' ? undefined : columnText, target: spec, otherTargets, isBudget: false, measure: wording, targetVsBaseline: baselineForPolarity });
  if (polarity.source === 'column' && spec !== null && targetCell !== null) {
    const fromTarget = resolvePolarity({ target: spec, isBudget: false, measure: '' });
    if (fromTarget.source === 'target' && fromTarget.polarity !== polarity.polarity && fromTarget.polarity !== 'range' && polarity.polarity !== 'range') {
      findings.push(makeFinding('polarity-conflict', targetCell, { column: columnText ?? polarity.polarity, target: spec.text }));
    }
  }
  // Nothing says which way is better, but a target and a value ask for a judgement: assume higher, and say so.
  const directionless = spec !== null && ((spec.kind === 'bound' && spec.comparator === 'none') || (spec.kind === 'relative' && spec.direction === 'better'));
  let assumed = false;
  if (polarity.polarity === 'unknown' && directionless && latest !== null && targetCell !== null) {
    polarity = ASSUMED_HIGHER;
    assumed = true;
    findings.push(makeFinding('polarity-assumed', targetCell, { targetText: targetText }));
  }
  if (polarity.polarity === 'unknown' && spec === null && latest === null) polarity = { ...polarity, reason: 'no target and no values' };

  const intervalPolarity = polarity.polarity === 'range' && polarity.source !== 'target' && spec?.kind === 'bound' && spec.comparator !== 'none'
    ? (spec.comparator === 'ge' || spec.comparator === 'gt' ? 'higher' : 'lower') : polarity.polarity;
  const read = intervalOf(spec, intervalPolarity, baseline, targetCell ?? cellAddress(r, measureC), findings);
  const interval = read.interval;
  const readable = assumed ? `${read.readable} (assumed)` : read.readable;
  const toleranceCol = columns.tolerance;
  const amber = (toleranceCol ? interpretedCell(cells, r, toleranceCol.col)?.tolerance : undefined) ?? ctx.amber;
  const green = ctx.green;

  // The positions a latest value can come from: the period columns in period order, then the value columns.
  const valueReads = parsedValues.map(({ col, parsed }) => ({
    col, read: parsed.kind === 'missing' && parsed.reason === 'blank' ? NOT_OBSERVED : observed.get(col.col) ?? observe(ctx, r, col, parsed, measure, rowUnit, spec, references, []),
  }));
  // A typed number read as another (85 read as 85%): a number typed later in an empty cell is read the same way.
  const isBare = (o: Observed): boolean => {
    const raw = o.obs ? interpretedCell(cells, r, o.obs.col)?.value : undefined;
    return o.obs !== undefined && raw?.kind === 'number' && floatCmp(raw.value, o.obs.value.value) !== 0;
  };
  let bare = valueReads.some((v) => isBare(v.read));
  observed.forEach((o) => { if (!bare && isBare(o)) bare = true; });
  const emptyDivisor: 1 | 100 = bare ? 100 : 1;
  const termAt = ({ col, read }: Position): ValueTerm => {
    if (read.mismatch) return { kind: 'mismatch', role: columnRole(col.col), typed: interpretedCell(cells, r, col.col)?.value.kind === 'number' };
    return termOf(ctx, r, col.col, read.obs?.value.value, emptyDivisor);
  };
  const positions: Position[] = [
    ...sortedPeriods.map((col) => ({ col, read: observed.get(col.col) ?? NOT_OBSERVED, isValue: false })),
    ...valueReads.map((v) => ({ col: v.col, read: v.read, isValue: true })),
  ];
  const unitForRules = interval?.unit ?? rowUnit ?? 'plain';

  // The target's sides: a typed target (or one the refresh will type) stays live; text with a comparator, a range
  // or a target relative to a baseline is a constant of the rule (editing that text needs a refresh).
  // (A row with a target column has its target there: only a row without one takes a target from its measure.)
  const liveTarget = spec?.kind === 'bound' && spec.comparator === 'none' && targetCol !== undefined
    ? termOf(ctx, r, targetCol.col, spec.value.value, 1) : undefined;
  const sideOf = (v: number | null): BoundSource => {
    if (v === null) return NO_BOUND;
    if (liveTarget !== undefined && liveTarget.kind !== 'mismatch' && spec?.kind === 'bound' && floatCmp(v, spec.value.value) === 0) return { kind: 'cell', term: liveTarget };
    return { kind: 'constant', value: v };
  };
  // An annual target set against part of the year, for a measure that accumulates, is judged pro rata: the share
  // of the year each position covers, chosen by the latest position.
  const proRataRow = !perPeriodTarget && interval !== null && (spec?.kind === 'bound' || spec?.kind === 'range') && accumulates(measure, unitForRules) && shares.some((x) => x !== 1);
  const bound = (v: number | null): BoundSource => {
    const side = sideOf(v);
    return proRataRow && side.kind !== 'none' && side.kind !== 'proRata' ? { kind: 'proRata', annual: side, shares } : side;
  };
  const isYesNo = spec?.kind === 'missing' && spec.reason === 'yes-no';
  const markCols = isYesNo ? [...valueCols, ...[...periodCols].reverse()] : [];
  const noStatus: NoStatusKey = table.kind === 'timeseries' || (spec === null && targetCell === null) ? 'dataOnly'
    : spec === null || spec.kind === 'missing' ? 'noTarget'
      : spec.kind === 'multi-part' || spec.kind === 'unparsed' ? 'targetUnclear'
        : spec.kind === 'relative' ? (findings.some((f) => f.code === 'baseline-missing') ? 'noBaseline' : 'noDirection')
          : 'noDirection';
  // A part the row does not have is left undefined, which its key and the plan's JSON leave out as if absent.
  const baseShape: PeriodRowShape = {
    kind: table.kind === 'timeseries' ? 'series' : 'kpi',
    periods: sharedColumns(ctx, positions, 0, sortedPeriods.length, termAt),
    values: valueReads.length > 0 ? sharedColumns(ctx, positions, sortedPeriods.length, positions.length, termAt) : undefined,
    previousRanks: sharedRanks(ctx, positions, table.kind),
    marks: markCols.length > 0 ? markCols.map((c) => markCellOf(ctx, c)) : undefined,
    polarity: polarity.polarity,
    displayDecimals: 0,
    accumulates: accumulates(measure, unitForRules),
    min: bound(interval?.min ?? null), max: bound(interval?.max ?? null),
    minInclusive: interval?.minInclusive ?? true, maxInclusive: interval?.maxInclusive ?? true,
    green: bandOf(ctx, green, unitForRules), amber: bandOf(ctx, amber, unitForRules),
    noStatus, scale: unitForRules === 'percent' ? 100 : 1,
  };
  const ruleCells = rowCells(cells, r);
  const obsAt = (index: RuleValue | undefined): Observation | null => {
    const k = index?.kind === 'number' ? index.value : 0;
    return positions[k - 1]?.read.obs ?? null;
  };
  // Stable means equal as displayed: at the decimals of the two values compared, which the rules find first.
  const decimalsOf = (a: Observation | null, b: Observation | null): number => Math.max(a?.value.decimals ?? 0, b?.value.decimals ?? 0) + (a?.value.unit === 'percent' ? 2 : 0);
  let rules = rowRules(baseShape);
  const found = evaluateBlock(rules, ruleCells, 'previousIndex');
  const d = decimalsOf(obsAt(found.latestIndex), obsAt(found.previousIndex));
  const shape: PeriodRowShape = d === baseShape.displayDecimals ? baseShape : { ...baseShape, displayDecimals: d };
  if (shape !== baseShape) rules = rulesShownAt(ctx, rules, shape);
  // Where the shape stands, its rules are the ones already part-evaluated: the rest of them follow on.
  const block = shape === baseShape ? resumeBlock(rules, ruleCells, found) : evaluateBlock(rules, ruleCells);
  const finalLatest = obsAt(block.latestIndex);
  const finalPrevious = obsAt(block.previousIndex);
  const latestPosition = positions[(block.latestIndex?.kind === 'number' ? block.latestIndex.value : 0) - 1];
  const newestIsMismatch = latestPosition?.read.mismatch !== undefined;
  const status = statusOf(block, noStatus);
  const { variance, variancePct } = varianceOf(block, shape.scale);
  const trend = trendOfBlock(block);
  const part = proRataRow && latestPosition ? partOfYear(latestPosition.col.period ?? null, latestPosition.col.header) : undefined;
  const proRata = part !== undefined && finalLatest !== null ? part : undefined;
  const judged = proRata && interval ? { ...interval, min: interval.min === null ? null : Number((interval.min * proRata.share).toPrecision(12)), max: interval.max === null ? null : Number((interval.max * proRata.share).toPrecision(12)) } : interval;

  let statusReason: string;
  if (newestIsMismatch) {
    statusReason = `No status: ${latestPosition?.read.mismatch?.periodLabel ?? ''} value is in a unit the target does not use`;
  } else if (isYesNo && status !== 'none') {
    const mark = publishedMark(cells, r, markCols);
    statusReason = mark ? `${status === 'green' ? 'Green' : status === 'amber' ? 'Amber' : 'Red'}: "${mark.text}" in ${mark.col.period?.label ?? mark.col.header} against the standard "${spec?.text ?? ''}"` : `${status}`;
  } else if (judged === null || spec === null) {
    statusReason = spec === null
      ? (targetCol ? 'No status: no target set' : 'No status: data only (no target)')
      : spec.kind === 'multi-part' ? 'No status: the target has several parts'
        : spec.kind === 'relative' ? (findings.some((f) => f.code === 'baseline-missing') ? 'No status: the target\'s baseline has no value' : 'No status: "better" needs to know which way is better (polarity unknown)')
          : spec.kind === 'bound' ? 'No status: the target has no direction (polarity unknown)'
            : spec.kind === 'missing' ? `No status: the target is "${spec.text}" (${MISSING_TARGET[spec.reason] ?? 'not set'})` : `No status: target "${spec.text}" not understood`;
  } else if (finalLatest === null) {
    statusReason = 'No status: no value reported';
  } else {
    const j = judgeValue(finalLatest.value, judged, green, amber);
    statusReason = proRata && interval ? `${j.reason} (${proRata.label}: pro rata ${describeInterval(judged)} of ${describeInterval(interval)})` : j.reason;
  }

  let trendReason = finalLatest && finalLatest.period?.kind === 'year-to-date' ? 'No trend: no figure for the same point a year earlier' : 'No trend: fewer than two values';
  if (finalLatest && finalPrevious) {
    trendReason = trendOf({
      latest: finalLatest.value, previous: finalPrevious.value, latestPeriod: finalLatest.period, previousPeriod: finalPrevious.period,
      polarity: polarity.polarity, interval, accumulates: shape.accumulates,
    }).reason;
    if (equalAsDisplayed(finalLatest.value, finalPrevious.value) && movesNormally(usable, finalLatest)) {
      findings.push(makeFinding('unchanged-value', finalLatest.cell, { value: formatNumber(finalLatest.value), since: finalPrevious.periodLabel }));
    }
  } else if (trend === 'not-comparable') {
    trendReason = 'No trend: a year-to-date figure with no figure for the same point a year earlier';
  }

  const statusCol = columns.status;
  const stated = statusCol ? statusOfWord(textIn(cells, r, statusCol.col)) : undefined;
  if (stated !== undefined && statusCol && stated !== 'none' && status !== 'none' && stated !== status) {
    findings.push(makeFinding('status-conflict', cellAddress(r, statusCol.col), { published: textIn(cells, r, statusCol.col), ours: status === 'green' ? 'Green' : status === 'amber' ? 'Amber' : 'Red', reason: statusReason.replace(/^\w+: /, '') }));
  }

  return {
    row: r, measure, measureCell: cellAddress(r, measureC), label: spec?.kind === 'bound' || spec?.kind === 'range' ? spec.label ?? null : null,
    polarity, target: { spec, interval, readable, text: targetText, cell: targetCell, proRata },
    latest: finalLatest, previous: finalPrevious, variance, variancePct, status, statusReason, trend, trendReason, green, amber, findings,
    statedStatus: stated,
    shape, block, rules,
  };
}

/**
 * `rowRules(shape)` for a shape that differs from the one `base` was made for only in its display decimals: found once
 * for the table for each set of rules and decimals, without writing the key of a second shape for every row. Rules
 * are shared by shapes alike but for their readings, which the row's own travel beside (as `base`'s do).
 */
function rulesShownAt(ctx: RowContext, base: RowBlock, shape: PeriodRowShape): RowBlock {
  const byDecimals = getOrMake(ctx.shownAt, base.rules, () => new Map<number, RowBlock>());
  const known = getOrMake(byDecimals, shape.displayDecimals, () => rowRules(shape));
  return base.readings === undefined ? known : { ...known, readings: base.readings };
}

/** The newest published Met / Not met (Y / N, Achieved) among the row's value and period cells. */
function publishedMark(cells: InterpretedTable, r: number, cols: readonly TableColumn[]): { status: Status; text: string; col: TableColumn } | undefined {
  for (const col of cols) {
    const text = textIn(cells, r, col.col);
    const s = statusOfWord(text);
    if (s !== undefined && s !== 'none') return { status: s, text, col };
  }
  return undefined;
}

/** Applies a Unit column's word to a bare figure: "%" makes 85 read as 85%, "£" a sum of money, "days" a unit word. */
function applyUnitColumn(v: NumberValue, unit: string): NumberValue {
  const u = unit.trim().toLowerCase();
  if (v.unit !== 'plain' || u === '') return v;
  if (/^(?:%|percent(?:age)?|per ?cent|rate \(%\))$/.test(u)) return { ...v, unit: 'percent', value: Number((v.value / 100).toPrecision(12)) };
  const money = /^([£$€])/.exec(u);
  if (money?.[1] !== undefined) return { ...v, unit: 'currency', currency: money[1] };
  if (/^[a-z]+$/.test(u) && v.unitWord === undefined) return { ...v, unitWord: u };
  return v;
}

/** With targets set per period, the target of the newest period whose value cell holds a number (or the last before it). */
function targetForNewestPeriod(cells: InterpretedTable, r: number, targetCols: readonly TableColumn[]): TableColumn | undefined {
  const dated = targetCols.filter((c) => c.period !== undefined && textIn(cells, r, c.col) !== '');
  if (dated.length < 2) return undefined;
  const reported = cells.table.columns.filter((c) => c.role === 'period' && c.period !== undefined && meaningIn(cells, r, c.col).kind === 'number')
    .sort((a, b) => comparePeriods(b.period as Period, a.period as Period));
  const newest = reported[0]?.period;
  if (newest === undefined) return undefined;
  const upTo = dated.filter((c) => (c.period as Period).end <= newest.end).sort((a, b) => comparePeriods(b.period as Period, a.period as Period));
  return upTo[0];
}

/** A measure that normally moves: its earlier values differ from one another, or it is printed with decimals. */
function movesNormally(usable: readonly Observation[], latest: Observation): boolean {
  const values = usable.map((o) => o.value.value);
  const distinct = new Set(values.map((v) => v.toPrecision(10))).size;
  return distinct > 1 || (latest.value.unit === 'percent' ? latest.value.decimals > 0 : latest.value.decimals > 0);
}

function signed(value: number | undefined, convention: TableColumn['signConvention']): number | null {
  if (value === undefined) return null;
  return convention === 'under-positive' ? -value : value;
}

function numberAt(cells: InterpretedTable, r: number, col: TableColumn | undefined, nilDash = false): { value: NumberValue; cell: string } | undefined {
  if (!col) return undefined;
  const p = meaningIn(cells, r, col.col);
  if (p.kind === 'number') return { value: p, cell: cellAddress(r, col.col) };
  // In a budget table a dash is a nil figure ("-" under Budget on an adjustment line).
  if (nilDash && p.kind === 'missing' && p.reason === 'no-data' && /^[-–—]$/.test(p.text)) return { value: { kind: 'number', value: 0, unit: 'plain', decimals: 0 }, cell: cellAddress(r, col.col) };
  return undefined;
}

/**
 * How a variance column with a silent header signs its figures, read from the rows' arithmetic: do most rows agree
 * with forecast − budget (overspend positive) or with budget − forecast? Undefined when the rows cannot tell.
 */
function inferVarianceConvention(cells: InterpretedTable, budgetCol: TableColumn | undefined, forecastCol: TableColumn | undefined, varianceCol: TableColumn | undefined): TableColumn['signConvention'] {
  const { table } = cells;
  if (!varianceCol) return undefined;
  if (varianceCol.signConvention !== undefined) return varianceCol.signConvention;
  let over = 0;
  let under = 0;
  for (const r of table.dataRows) {
    const b = numberAt(cells, r, budgetCol, true);
    const f = numberAt(cells, r, forecastCol, true);
    const v = numberAt(cells, r, varianceCol, true);
    if (!b || !f || !v || floatCmp(f.value.value, b.value.value) === 0) continue;
    const unit = 10 ** -v.value.decimals + 1e-9;
    if (Math.abs(v.value.value - (f.value.value - b.value.value)) <= unit) over++;
    else if (Math.abs(v.value.value + (f.value.value - b.value.value)) <= unit) under++;
  }
  return under > over ? 'under-positive' : over > 0 ? 'over-positive' : undefined;
}

function evaluateBudgetRow(ctx: RowContext, columns: BudgetColumns, r: number): EvaluatedRow {
  const { cells, table } = ctx;
  const findings: Finding[] = [];
  const measureC = ctx.measureCol;
  const measure = textIn(cells, r, measureC);
  const { budget: budgetCol, forecast: forecastCol, variance: varianceCol, prior: priorCol, movement: movementCol } = columns;
  const anyFigure = [budgetCol, forecastCol, varianceCol].some((c) => numberAt(cells, r, c) !== undefined);
  const budget = numberAt(cells, r, budgetCol, anyFigure);
  const forecast = numberAt(cells, r, forecastCol, anyFigure);
  // A blank variance beside a forecast equal to its budget is nil, as printed.
  const published = numberAt(cells, r, varianceCol, anyFigure);
  const prior = numberAt(cells, r, priorCol);
  const movement = numberAt(cells, r, movementCol);
  const obs = (n: { value: NumberValue; cell: string } | undefined, col: TableColumn | undefined): Observation | null =>
    n && col ? { value: n.value, period: col.period ?? null, periodLabel: col.header, row: r, col: col.col, cell: n.cell } : null;
  const budgetObs = obs(budget, budgetCol);
  const forecastObs = obs(forecast, forecastCol);
  const convention = columns.varianceConvention;
  const publishedVariance = signed(published?.value.value, convention);
  const priorVariance = signed(prior?.value.value, priorCol?.signConvention);
  const movementValue = signed(movement?.value.value, movementCol?.signConvention);
  const polarity: PolarityReading = { polarity: 'lower', source: 'budget', reason: 'spend against budget: lower is better' };
  const unitOf = (v: NumberValue): number => 10 ** -v.decimals;

  let computedVariance: number | null = null;
  if (budget && forecast) {
    computedVariance = Number((forecast.value.value - budget.value.value).toPrecision(12));
    if (publishedVariance !== null && published && Math.abs(publishedVariance - computedVariance) > unitOf(published.value) + 1e-9) {
      findings.push(makeFinding('variance-mismatch', published.cell, { published: formatNumber(published.value), computed: formatNumber({ ...forecast.value, value: computedVariance }), forecast: formatNumber(forecast.value), budget: formatNumber(budget.value) }));
    }
  }
  const currentVariance = computedVariance ?? publishedVariance;
  if (movement && movementValue !== null && currentVariance !== null && priorVariance !== null) {
    const computed = currentVariance - priorVariance;
    if (Math.abs(movementValue - computed) > unitOf(movement.value) + 1e-9) {
      findings.push(makeFinding('movement-mismatch', movement.cell, { published: formatNumber(movement.value), computed: formatNumber({ ...movement.value, value: computed }) }));
    }
  }

  const interval: TargetInterval | null = budget
    ? { min: null, max: budget.value.value, minInclusive: true, maxInclusive: true, unit: budget.value.unit, decimals: budget.value.decimals, ...(budget.value.currency ? { currency: budget.value.currency } : {}) }
    : null;
  const term = (n: { value: NumberValue; cell: string } | undefined, col: TableColumn | undefined): ValueTerm | null =>
    col === undefined ? null : termOf(ctx, r, col.col, n?.value.value, 1);
  const signedTerm = (n: { value: NumberValue; cell: string } | undefined, col: TableColumn | undefined, c: TableColumn['signConvention']): SignedCell | null => {
    const t = term(n, col);
    return t === null ? null : { term: t, sign: c === 'under-positive' ? -1 : 1 };
  };
  const unit = budget?.value.unit ?? forecast?.value.unit ?? 'plain';
  const shape: BudgetRowShape = {
    kind: 'budget', budget: term(budget, budgetCol), forecast: term(forecast, forecastCol),
    publishedVariance: signedTerm(published, varianceCol, convention),
    priorVariance: signedTerm(prior, priorCol, priorCol?.signConvention),
    movement: signedTerm(movement, movementCol, movementCol?.signConvention),
    green: bandOf(ctx, ctx.green, unit), amber: bandOf(ctx, ctx.amber, unit),
    decimals: budget?.value.decimals ?? forecast?.value.decimals ?? 0, scale: 1,
    ...(table.varianceOnly === true ? { varianceOnly: true } : {}),
  };
  const rules = rowRules(shape);
  const block = evaluateBlock(rules, rowCells(cells, r));
  const status = statusOf(block, 'noBudget');
  const verdict = varianceOf(block, 1);
  const variance = verdict.variance;
  const variancePct = verdict.variancePct;
  let statusReason = budget ? 'No status: no forecast' : table.varianceOnly && published ? 'No status: the table prints variances only, with no budget to judge them against' : 'No status: no budget';
  if (budget && forecast && interval) statusReason = judgeValue(forecast.value, interval, ctx.green, ctx.amber, 'budget').reason;

  const trend = trendOfBlock(block);
  let trendReason = 'No trend: no earlier variance or movement';
  const change = block.change?.kind === 'number' ? roundTo(block.change.value, shape.decimals) : null;
  if (change !== null && trend !== 'none') {
    const c = floatCmp(change, 0);
    trendReason = c === 0 ? 'The variance has not moved' : `The variance moved ${c < 0 ? 'towards underspend' : 'towards overspend'} by ${formatNumber({ value: Math.abs(change), unit: budget?.value.unit ?? 'plain', decimals: budget?.value.decimals ?? 0 })}`;
  }

  return {
    row: r, measure, measureCell: cellAddress(r, measureC), label: null, polarity,
    target: { spec: null, interval, readable: interval ? describeInterval(interval) : '', text: budget ? textIn(cells, r, budgetCol?.col ?? 0) : '', cell: budget?.cell ?? null },
    latest: forecastObs, previous: null, variance, variancePct, status, statusReason, trend, trendReason,
    green: ctx.green, amber: ctx.amber,
    budget: { budget: budgetObs, forecast: forecastObs, publishedVariance, priorVariance, movement: movementValue },
    findings, shape, block, rules,
  };
}

function evaluateRiskRow(ctx: RowContext, columns: RiskColumns, r: number): EvaluatedRow {
  const { cells } = ctx;
  const measureC = ctx.measureCol;
  const { reference: refCol, before: beforeCol, after: afterCol } = columns;
  const before = numberAt(cells, r, beforeCol);
  const after = numberAt(cells, r, afterCol);
  const toObs = (n: { value: NumberValue; cell: string } | undefined, col: TableColumn | undefined): Observation | null =>
    n && col ? { value: n.value, period: null, periodLabel: col.header, row: r, col: col.col, cell: n.cell } : null;
  const shape: RiskRowShape = {
    kind: 'risk', after: afterCol ? termOf(ctx, r, afterCol.col, after?.value.value, 1) : null,
    before: beforeCol ? termOf(ctx, r, beforeCol.col, before?.value.value, 1) : null,
    displayDecimals: Math.max(after?.value.decimals ?? 0, before?.value.decimals ?? 0),
  };
  const rules = rowRules(shape);
  const block = evaluateBlock(rules, rowCells(cells, r));
  const latest = toObs(after, afterCol) ?? toObs(before, beforeCol);
  const previous = after ? toObs(before, beforeCol) : null;
  const status = statusOf(block, 'dataOnly');
  let statusReason = 'No status: no rating';
  if (latest && status !== 'none') {
    const band = status === 'red' ? `${RISK_BANDS.red}–${RISK_BANDS.top}` : status === 'amber' ? `${RISK_BANDS.amber}–${RISK_BANDS.red - 1}` : `1–${RISK_BANDS.amber - 1}`;
    statusReason = `${status[0]?.toUpperCase()}${status.slice(1)}: rating ${formatNumber(latest.value)} is in the ${band} band`;
  }
  const trend = trendOfBlock(block);
  let trendReason = 'No trend: one rating only';
  if (latest && previous) {
    const t = trendOf({ latest: latest.value, previous: previous.value, latestPeriod: null, previousPeriod: null, polarity: 'lower', interval: null, accumulates: false });
    trendReason = `Rating before → after controls: ${t.reason}`;
  }
  const ref = refCol ? textIn(cells, r, refCol.col) : '';
  return {
    row: r, measure: textIn(cells, r, measureC), measureCell: cellAddress(r, measureC), label: ref === '' ? null : ref,
    polarity: { polarity: 'lower', source: 'column', reason: 'a risk rating: lower is better' },
    target: { spec: null, interval: null, readable: '', text: '', cell: null },
    latest, previous, variance: null, variancePct: null, status, statusReason, trend, trendReason,
    green: ctx.green, amber: ctx.amber, findings: [], shape, block, rules,
  };
}

const RATING_WORD: Record<'green' | 'amber' | 'red', string> = { green: 'Green', amber: 'Amber', red: 'Red' };

/**
 * A row of published ratings per period (a RAG history): the rating in the newest period is the status, and the
 * rating before it gives the trend. A row not rated in the newest period has no current status.
 */
function evaluateRatingsRow(ctx: RowContext, columns: RatingsColumns, r: number): EvaluatedRow {
  const { cells } = ctx;
  const measureC = ctx.measureCol;
  const { reference: refCol, periods } = columns;
  const ratings = periods.map((c) => {
    const text = textIn(cells, r, c.col);
    return { c, text, rating: statusOfWord(text) };
  });
  const newest = ratings[ratings.length - 1];
  const rated = ratings.filter((x) => x.rating !== undefined && x.rating !== 'none');
  const shape: RatingsRowShape = { kind: 'ratings', periods: periods.map((c) => markCellOf(ctx, c)) };
  const rules = rowRules(shape);
  const block = evaluateBlock(rules, rowCells(cells, r));
  const status = statusOf(block, 'dataOnly');
  const trend = trendOfBlock(block);
  let statusReason = 'No status: no rating';
  let trendReason = 'No trend: fewer than two ratings';
  const current = newest && newest.rating !== undefined && newest.rating !== 'none' ? newest : undefined;
  if (current && current.rating !== undefined && current.rating !== 'none') {
    statusReason = `${RATING_WORD[current.rating]}: rated ${current.text} in ${current.c.period?.label ?? current.c.header}`;
    const before = rated[rated.length - 2];
    if (before && before.rating !== undefined && before.rating !== 'none') {
      trendReason = `${before.text} in ${before.c.period?.label ?? before.c.header} → ${current.text} in ${current.c.period?.label ?? current.c.header}`;
    }
  } else if (newest) {
    const last = rated[rated.length - 1];
    statusReason = last
      ? `No status: not rated in ${newest.c.period?.label ?? newest.c.header}${newest.text !== '' ? ` ("${newest.text}")` : ''}; last rated ${last.text} in ${last.c.period?.label ?? last.c.header}`
      : `No status: not rated in ${newest.c.period?.label ?? newest.c.header}`;
  }
  const ref = refCol ? textIn(cells, r, refCol.col) : '';
  return {
    row: r, measure: textIn(cells, r, measureC), measureCell: cellAddress(r, measureC), label: ref === '' ? null : ref,
    polarity: { polarity: 'lower', source: 'column', reason: 'a rating: green is better than amber, amber than red' },
    target: { spec: null, interval: null, readable: '', text: '', cell: null },
    latest: null, previous: null, variance: null, variancePct: null, status, statusReason, trend, trendReason,
    green: ctx.green, amber: ctx.amber, findings: [], shape, block, rules,
  };
}

function arrowOf(text: string): 'up' | 'down' | 'flat' | undefined {
  const t = text.trim();
  if (ARROW_UP.test(t)) return 'up';
  if (ARROW_DOWN.test(t)) return 'down';
  if (ARROW_FLAT.test(t)) return 'flat';
  return undefined;
}

/** Reads the table's arrow convention by majority and flags rows whose published arrow disagrees. */
function checkDirections(cells: InterpretedTable, rows: EvaluatedRow[]): { convention?: 'improving' | 'increasing'; rows: EvaluatedRow[] } {
  const { table } = cells;
  const col = firstColumn(table, 'direction');
  if (!col) return { rows };
  const read = rows.map((row) => {
    const text = textIn(cells, row.row, col.col);
    const arrow = arrowOf(text);
    const moved = row.latest && row.previous ? floatCmp(row.latest.value.value, row.previous.value.value) : undefined;
    return { row, text, arrow, moved };
  });
  const agrees = (r: (typeof read)[number], convention: 'improving' | 'increasing'): boolean | undefined => {
    if (r.arrow === undefined || r.moved === undefined) return undefined;
    if (convention === 'increasing') return r.arrow === 'up' ? r.moved > 0 : r.arrow === 'down' ? r.moved < 0 : r.moved === 0;
    const t = r.row.trend;
    if (t !== 'improving' && t !== 'worsening' && t !== 'stable') return undefined;
    return r.arrow === 'up' ? t === 'improving' : r.arrow === 'down' ? t === 'worsening' : t === 'stable';
  };
  const votes = (c: 'improving' | 'increasing'): number => read.filter((r) => agrees(r, c) === true).length;
  const convention = votes('increasing') > votes('improving') ? 'increasing' : 'improving';
  const out = read.map((r) => {
    if (agrees(r, convention) !== false || !r.row.latest || !r.row.previous || r.arrow === undefined) return r.row;
    const says = convention === 'improving'
      ? r.arrow === 'up' ? 'improving' : r.arrow === 'down' ? 'worsening' : 'no change'
      : r.arrow === 'up' ? 'increasing' : r.arrow === 'down' ? 'decreasing' : 'no change';
    const actual = convention === 'improving'
      ? r.row.trend === 'improving' ? 'better' : r.row.trend === 'worsening' ? 'worse' : 'unchanged'
      : (r.moved ?? 0) > 0 ? 'an increase' : (r.moved ?? 0) < 0 ? 'a decrease' : 'unchanged';
    const note = r.row.polarity.polarity === 'lower' ? ' (lower is better)' : r.row.polarity.polarity === 'higher' ? ' (higher is better)' : '';
    const f = makeFinding('direction-conflict', cellAddress(r.row.row, col.col), {
      arrow: r.text, says, from: formatNumber(r.row.previous.value), to: formatNumber(r.row.latest.value), actual, polarityNote: note,
    });
    return { ...r.row, findings: [...r.row.findings, f] };
  });
  return { convention, rows: out };
}

/**
 * Finds subtotal rows of a budget table (a row equal to the sum of the lines above it since the last
 * subtotal, on the budget column) and checks every other figure column adds up the same way.
 */
function checkSubtotals(cells: InterpretedTable, rows: EvaluatedRow[]): EvaluatedRow[] {
  const { table } = cells;
  const budgetCol = firstColumn(table, 'budget');
  if (!budgetCol) return rows;
  const figureCols = table.columns.filter((c) => ['budget', 'forecast', 'variance', 'prior-variance', 'movement'].includes(c.role));
  const valueAt = (r: number, c: TableColumn): NumberValue | undefined => numberAt(cells, r, c)?.value;
  // The open lines since the last subtotal, with running sums of their budgets: a row is a subtotal when it equals
  // the sum of the last k ≥ 2 open lines (the fewest that fit), found through the sums in one look-up.
  const open: number[] = [];
  let prefix: number[] = [0];
  let byPrefix = new Map<number, number[]>();
  const keyOf = (x: number): number => Math.round(x * 1e6);
  const remember = (at: number): void => {
    const k = keyOf(prefix[at] as number);
    byPrefix.set(k, [...(byPrefix.get(k) ?? []), at]);
  };
  const rebuild = (): void => {
    prefix = [0];
    byPrefix = new Map();
    remember(0);
    for (const i of open) { prefix.push((prefix[prefix.length - 1] as number) + (valueAt(rows[i]?.row ?? -1, budgetCol)?.value ?? 0)); remember(prefix.length - 1); }
  };
  rebuild();
  const extra = new Map<number, Finding[]>();
  rows.forEach((row, index) => {
    const b = valueAt(row.row, budgetCol);
    if (b === undefined) return;
    const end = open.length;
    const total = prefix[end] as number;
    const starts = (byPrefix.get(keyOf(total - b.value)) ?? []).filter((j) => j <= end - 2 && floatCmp(total - (prefix[j] as number), b.value) === 0);
    const matched = starts.length === 0 ? 0 : end - Math.max(...starts);
    if (matched === 0) {
      open.push(index);
      prefix.push(total + b.value);
      remember(prefix.length - 1);
      return;
    }
    const lines = open.splice(open.length - matched, matched);
    const names = lines.map((i) => rows[i]?.measure ?? '');
    const lineText = `${names.length} lines (${names[0]} … ${names[names.length - 1]})`;
    for (const c of figureCols) {
      if (c === budgetCol) continue;
      const printed = valueAt(row.row, c);
      if (printed === undefined) continue;
      const sum = lines.reduce((s, i) => s + (valueAt(rows[i]?.row ?? -1, c)?.value ?? 0), 0);
      if (Math.abs(sum - printed.value) > lines.length * 10 ** -printed.decimals * 0.5 + 1e-9) {
        const f = makeFinding('subtotal-mismatch', cellAddress(row.row, c.col), { column: c.header, printed: formatNumber(printed), sum: formatNumber({ ...printed, value: sum }), lines: lineText });
        extra.set(index, [...(extra.get(index) ?? []), f]);
      }
    }
    open.push(index);
    rebuild();
  });
  return rows.map((row, i) => (extra.has(i) ? { ...row, findings: [...row.findings, ...(extra.get(i) ?? [])] } : row));
}

/** Evaluates the rows of the context's table by its kind, with the columns they read found once for the table. */
function rowEvaluator(ctx: RowContext): (r: number) => EvaluatedRow {
  const { cells, table } = ctx;
  switch (table.kind) {
    case 'budget': {
      const columns = budgetColumnsOf(cells);
      return (r) => evaluateBudgetRow(ctx, columns, r);
    }
    case 'risk': {
      const columns = riskColumnsOf(table);
      return (r) => evaluateRiskRow(ctx, columns, r);
    }
    case 'ratings': {
      const columns = ratingsColumnsOf(table);
      return (r) => evaluateRatingsRow(ctx, columns, r);
    }
    case 'kpi': case 'timeseries': {
      const columns = kpiColumnsOf(table, ctx.override);
      return (r) => evaluateKpiRow(ctx, columns, r);
    }
    default: return assertNever(table.kind);
  }
}

/** Evaluates one detected table: reads its cells once (`interpretTable`), then judges its rows. */
export function evaluateTable(printed: SheetSnapshot, table: DetectedTable, settings: EvaluationSettings = DEFAULT_SETTINGS): EvaluatedTable {
  const targetColumn = tableOverride(table, settings)?.targetColumn;
  return evaluateInterpretedTable(interpretTable(printed, table, targetColumn !== undefined ? { targetColumns: [columnIndex(targetColumn)] } : {}), settings);
}

/**
 * Evaluates a table whose cells have been read, from those readings alone. The table is read with the target column
 * the settings pick for it, if they pick one (as `evaluateTable` does).
 */
export function evaluateInterpretedTable(cells: InterpretedTable, settings: EvaluationSettings = DEFAULT_SETTINGS): EvaluatedTable {
  const { table } = cells;
  const key = settings.tolerancesChosen === true ? undefined : cells.toleranceKey;
  const measureCol = measureColumn(table);
  const override = tableOverride(table, settings);
  const ctx: RowContext = {
    cells, table, settings, override, measureCol,
    green: settings.green, amber: key?.amber ?? settings.amber,
    stems: measureStems(cells, measureCol),
    markWords: markWordsOf(cells),
    ranks: new Map(),
    columns: new Map(),
    cellTerms: { 1: new Map(), 100: new Map() },
    bands: new Map(),
    bandsOf: new Map(),
    shownAt: new Map(),
  };
  const evaluateRow = rowEvaluator(ctx);
  let rows: EvaluatedRow[] = table.dataRows.map(evaluateRow);
  let convention: 'improving' | 'increasing' | undefined;
  if (table.kind === 'kpi' || table.kind === 'timeseries') ({ convention, rows } = checkDirections(cells, rows));
  if (table.kind === 'budget') rows = checkSubtotals(cells, rows);
  const findings = key && (table.kind === 'kpi' || table.kind === 'timeseries')
    ? [...table.findings, makeFinding('tolerance-from-sheet', key.cell, { key: key.text, tolerance: key.amber.value === 0 ? 'none (met / not met)' : key.amber.kind === 'relative' ? `${roundTo(key.amber.value * 100, 2)}% of the target` : `${key.amber.value} units` })]
    : table.findings;
  return { table, rows, ...(convention ? { arrowConvention: convention } : {}), findings, normalisations: cells.normalisations };
}

/** Detects and evaluates every scorecard table in a workbook. */
export function evaluateWorkbook(workbook: WorkbookSnapshot, settings: EvaluationSettings = DEFAULT_SETTINGS): Evaluation {
  const detection = detectTables(workbook);
  const excluded = (t: DetectedTable): boolean => settings.overrides?.some((o) => o.exclude === true && o.sheet === t.sheet && (o.range === undefined || o.range === t.range)) ?? false;
  const tables = detection.tables.filter((t) => !excluded(t)).map((t) => {
    const sheet = workbook.sheets.find((s) => s.name === t.sheet) as SheetSnapshot;
    return evaluateTable(sheet, t, settings);
  });
  return { detection, tables };
}

