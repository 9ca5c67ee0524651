/**
 * Findings: problems and facts worth a performance lead's attention, as data. The wording of every
 * finding lives here, in one place.
 */
import { singleSpaced } from './vocabulary';

/** Every finding code the engine raises. */
export type FindingCode =
  | 'extracted-value'
  | 'direction-conflict'
  | 'fraction-mismatch'
  | 'unit-mismatch'
  | 'unit-assumed'
  | 'multi-part-target'
  | 'baseline-missing'
  | 'unparsed-target'
  | 'unparsed-value'
  | 'value-is-band'
  | 'suppressed-value'
  | 'polarity-conflict'
  | 'target-no-direction'
  | 'variance-mismatch'
  | 'movement-mismatch'
  | 'subtotal-mismatch'
  | 'header-shifted'
  | 'polarity-assumed'
  | 'status-conflict'
  | 'unchanged-value'
  | 'target-in-measure'
  | 'tolerance-from-sheet';

/** How much a finding matters: a warning asks for a check; info explains how a cell was read. */
export type Severity = 'warning' | 'info';

/** A finding attached to a cell. */
export interface Finding {
  readonly code: FindingCode;
  readonly cell: string;
  readonly severity: Severity;
  readonly message: string;
}

const SEVERITY: Record<FindingCode, Severity> = {
  'extracted-value': 'info',
  'direction-conflict': 'warning',
  'fraction-mismatch': 'warning',
  'unit-mismatch': 'warning',
  'unit-assumed': 'info',
  'multi-part-target': 'warning',
  'baseline-missing': 'warning',
  'unparsed-target': 'warning',
  'unparsed-value': 'warning',
  'value-is-band': 'info',
  'suppressed-value': 'info',
  'polarity-conflict': 'warning',
  'target-no-direction': 'info',
  'variance-mismatch': 'warning',
  'movement-mismatch': 'warning',
  'subtotal-mismatch': 'warning',
  'header-shifted': 'info',
  'polarity-assumed': 'info',
  'status-conflict': 'warning',
  'unchanged-value': 'info',
  'target-in-measure': 'info',
  'tolerance-from-sheet': 'info',
};

/** The facts each finding's sentence is built from. */
export interface FindingDetails {
  'extracted-value': { value: string; text: string; label: string | null };
  'direction-conflict': { arrow: string; says: string; from: string; to: string; actual: string; polarityNote: string };
  'fraction-mismatch': { printed: string; numerator: number; denominator: number; computed: string };
  'unit-mismatch': { value: string; targetText: string };
  'unit-assumed': { text: string; readAs: string };
  'multi-part-target': { text: string; parts: number };
  'baseline-missing': { text: string; period: string };
  'unparsed-target': { text: string };
  'unparsed-value': { text: string };
  'value-is-band': { text: string };
  'suppressed-value': { text: string };
  'polarity-conflict': { column: string; target: string };
  'target-no-direction': { targetText: string };
  'variance-mismatch': { published: string; computed: string; forecast: string; budget: string };
  'movement-mismatch': { published: string; computed: string };
  'subtotal-mismatch': { column: string; printed: string; sum: string; lines: string };
  'header-shifted': { header: string; from: string; to: string };
  'polarity-assumed': { targetText: string };
  'status-conflict': { published: string; ours: string; reason: string };
  'unchanged-value': { value: string; since: string };
  'target-in-measure': { text: string; readAs: string };
  'tolerance-from-sheet': { key: string; tolerance: string };
}

function shorten(text: string, max = 60): string {
  const t = singleSpaced(text).trim();
  return t.length <= max ? t : `… ${t.slice(t.length - max + 2)}`;
}

const MESSAGES: { [K in FindingCode]: (d: FindingDetails[K]) => string } = {
  'extracted-value': (d) => `Value ${d.value} taken from "${shorten(d.text)}"${d.label ? ` (labelled "${d.label}")` : ''}`,
  'direction-conflict': (d) => `Direction ${d.arrow} says ${d.says}; ${d.from} → ${d.to} is ${d.actual}${d.polarityNote}`,
  'fraction-mismatch': (d) => `${d.printed} does not match ${d.numerator}/${d.denominator} = ${d.computed}`,
  'unit-mismatch': (d) => `"${d.value}" cannot be compared with the target "${d.targetText}": different units`,
  'unit-assumed': (d) => `"${d.text}" read as ${d.readAs}, the unit of this row's target`,
  'multi-part-target': (d) => `Target "${d.text}" has ${d.parts} parts; no single target was assumed`,
  'baseline-missing': (d) => `Target "${d.text}" is relative to ${d.period}, which has no value`,
  'unparsed-target': (d) => `Target "${shorten(d.text)}" was not understood`,
  'unparsed-value': (d) => `"${shorten(d.text)}" is not a number; not used`,
  'value-is-band': (d) => `"${d.text}" is a band, not a single value; not used`,
  'suppressed-value': (d) => `"${d.text}" is a suppressed small number; not used`,
  'polarity-conflict': (d) => `The Polarity column says ${d.column} but the target "${d.target}" says otherwise; the column was followed`,
  'target-no-direction': (d) => `Target "${d.targetText}" has no comparator and nothing says whether higher or lower is better`,
  'variance-mismatch': (d) => `Published variance ${d.published} ≠ forecast − budget = ${d.forecast} − ${d.budget} = ${d.computed}`,
  'movement-mismatch': (d) => `Published movement ${d.published} ≠ change in variance ${d.computed}`,
  'subtotal-mismatch': (d) => `${d.column} ${d.printed} ≠ sum of ${d.lines} = ${d.sum}`,
  'header-shifted': (d) => `Header "${d.header}" stands over ${d.from} but its values are in ${d.to}`,
  'polarity-assumed': (d) => `Nothing says whether higher or lower is better for target "${shorten(d.targetText)}": higher is better was assumed; set the Polarity to confirm`,
  'status-conflict': (d) => `Published status "${shorten(d.published, 40)}" disagrees with the figures: ${d.ours} (${d.reason})`,
  'unchanged-value': (d) => `${d.value} is unchanged since ${d.since}: not yet updated?`,
  'target-in-measure': (d) => `Target read from the measure "${shorten(d.text)}" as ${d.readAs}`,
  'tolerance-from-sheet': (d) => `The key on the sheet ("${shorten(d.key)}") sets the amber band to ${d.tolerance}`,
};

/** Builds a finding with its standard sentence. */
export function makeFinding<K extends FindingCode>(code: K, cell: string, details: FindingDetails[K]): Finding {
  return { code, cell, severity: SEVERITY[code], message: MESSAGES[code](details) };
}
