/**
 * What a kind of table declares so that detection can recognise it: the roles of its columns, how its headers
 * re-read a column, and the test that tells a table of the kind from the rest. Detection (detect.ts) finds the
 * tables of a sheet and reads their columns; it takes every role set below as the union over the kinds, runs each
 * kind's column hints at their step, and asks the kinds, in the order of `TABLE_KINDS`, which one a table is.
 */
import type { PeriodKind } from '../../period';
import type { ColumnRole, SignConvention } from '../../vocabulary';

/** A column of a table as a kind's hints see it. */
export interface ColumnEvidence {
  readonly col: number;
  /** The header as read, all header rows joined. */
  readonly header: string;
  readonly role: ColumnRole;
  /** A column in a to-date group is context, not judged. */
  readonly group?: 'to-date';
}

/** What a kind's column hints may read of the table beyond its columns. */
export interface ColumnContext {
  /** The kinds a header of the table names (see `KindDetection.namedBy`). */
  readonly named: ReadonlySet<string>;
  /** Calendar year in which the table's financial year starts, when known. */
  readonly reportingYear: number | undefined;
  /** The share of a column's filled data cells that hold figures (0 when none is filled). */
  readonly figureShare: (col: number) => number;
}

/** What detection has read of a table when it asks the kinds which one it is. */
export interface TableEvidence {
  /** Every header of the table, joined by spaces, in lower case. */
  readonly headerText: string;
  /** True when a column outside a to-date group has the role. */
  readonly has: (role: ColumnRole) => boolean;
  /** The kind of each period column's period, in column order. */
  readonly periods: readonly (PeriodKind | undefined)[];
  /** The share of filled period cells that hold figures. */
  readonly figureShare: number;
  /** The share of filled period cells that hold a published rating (R / A / G). */
  readonly ratingShare: number;
}

/** A table recognised as a kind: how sure detection is, and for a budget whether it prints only its variances. */
export interface Recognition {
  readonly varianceOnly?: true;
  /** 0–1. */
  readonly confidence: number;
}

/** How a kind reads a list of labels and one column of figures that has no header, by the title above it. */
export interface HeaderlessReading {
  /** The role of the figures' column; its header is the title. */
  readonly role: ColumnRole;
  readonly signConvention?: SignConvention;
  readonly recognition: Recognition;
}

/** A kind of table's detection hints. Every hint but `recognise` is optional: a kind declares only what it reads. */
export interface KindDetection<K extends string> {
  readonly kind: K;
  /**
   * Words that open a header cell of this kind's tables: a row holding one is a header, never a row of data.
   * Case-insensitive (flag `i` alone) and without capturing groups: detection tests the kinds' words as one pattern.
   */
  readonly headerWords?: RegExp;
  /** Roles a header states firmly enough that the values beneath cannot overrule them. */
  readonly headerRoles?: readonly ColumnRole[];
  /** Roles whose columns must hold figures: a header naming one over words ("Budget Holder") heads some other column. */
  readonly figureRoles?: readonly ColumnRole[];
  /** Roles whose headers carry a sign convention ("Over/(Under)spend"). */
  readonly signedRoles?: readonly ColumnRole[];
  /** Roles that, read from a column's values under a period header, make it a period column of this kind. */
  readonly periodCellRoles?: readonly ColumnRole[];
  /** Roles whose header names this kind of table, whatever its columns turn out to be. */
  readonly namedBy?: readonly ColumnRole[];
  /** A column's role once its header is read, or undefined to keep the role detection read. */
  readonly roleOfColumn?: (column: ColumnEvidence, context: ColumnContext) => ColumnRole | undefined;
  /** Every column's role, once the columns' figures are checked: what the kind re-reads across its columns. */
  readonly reviseRoles?: (columns: readonly ColumnEvidence[], context: ColumnContext) => readonly ColumnRole[];
  /** Every column's role, once the measure, periods and narratives are placed: the kind's last word on its columns. */
  readonly completeRoles?: (columns: readonly ColumnEvidence[], context: ColumnContext) => readonly ColumnRole[];
  /** Reads a headerless list of labels and one column of figures by its title, or undefined when it is not this kind's. */
  readonly readHeaderless?: (title: string) => HeaderlessReading | undefined;
  /** Returns the recognition when the table is of this kind, else undefined. */
  readonly recognise: (table: TableEvidence) => Recognition | undefined;
}

/**
 * True when the table's period columns hold text rather than figures or ratings: a plan or timetable, which no
 * kind that judges figures per period takes.
 */
export function isTimetable(table: TableEvidence): boolean {
  return table.periods.length > 0 && table.figureShare + table.ratingShare < 0.3;
}

/** True when a column outside a to-date group has the role. */
export function hasRole(columns: readonly ColumnEvidence[], role: ColumnRole): boolean {
  return columns.some((k) => k.role === role && k.group === undefined);
}
