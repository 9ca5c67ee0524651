/**
 * Every kind of table, in the order detection asks them: the first whose `recognise` takes a table names its kind.
 * Risk registers and budgets come first (their columns are named outright), then grids of ratings, then monthly
 * series before KPI tables (a series is periods of figures with no target, which a KPI table would also take).
 */
import type { ColumnRole } from '../../vocabulary';
import { budgetDetection } from './budget';
import { KindDetection } from './detection';
import { kpiDetection, seriesDetection } from './period';
import { ratingsDetection } from './ratings';
import { riskDetection } from './risk';

export type {
  ColumnContext, ColumnEvidence, HeaderlessReading, KindDetection, Recognition, TableEvidence,
} from './detection';
export { hasRole, isTimetable } from './detection';

/** The kinds of table detection recognises, in the order it tries them. */
export const TABLE_KINDS = [riskDetection, budgetDetection, ratingsDetection, seriesDetection, kpiDetection] as const;

/** What a scorecard table is. `ratings` is a grid of published ratings per period (a RAG history). */
export type TableKind = (typeof TABLE_KINDS)[number]['kind'];

/** Every role the kinds declare under one hint (`headerRoles`, `figureRoles`, …), as one set. */
export function rolesOfKinds(hint: 'headerRoles' | 'figureRoles' | 'signedRoles' | 'periodCellRoles'): ReadonlySet<ColumnRole> {
  return new Set(TABLE_KINDS.flatMap((k: KindDetection<string>) => k[hint] ?? []));
}
