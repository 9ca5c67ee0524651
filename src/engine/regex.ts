/**
 * Named groups for every webview Office uses. Patterns are written with `(?<name>…)`, which reads well; engines that
 * cannot parse named groups (Edge Legacy, the webview of Office 2019 and of Microsoft 365 without WebView2) get the
 * same pattern with plain groups and a RegExp whose `exec` fills `groups` by name. Engines that can get a native one.
 */

/** A pattern compiled by `named`, which keeps its names so that it can be re-made with other flags. */
export interface NamedRegExp extends RegExp {
  readonly namedSource: string;
}

/** True when this engine parses named groups (tested on a string: a literal would not parse where it fails). */
const NATIVE_NAMED_GROUPS = ((): boolean => {
  try {
    return new RegExp('(?<a>x)').exec('x')?.groups?.a === 'x';
  } catch {
    return false;
  }
})();

/** Rewrites `(?<name>…)` as `(…)`; returns the plain source and the name of each capturing group (or null). */
export function withoutNames(source: string): { readonly source: string; readonly names: ReadonlyArray<string | null> } {
  const names: Array<string | null> = [];
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === '\\') { out += ch + (source[i + 1] ?? ''); i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; out += ch; continue; }
    if (ch === '[') { inClass = true; out += ch; continue; }
    if (ch === '(') {
      const named = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(source.slice(i));
      if (named?.[1] !== undefined) { names.push(named[1]); out += '('; i += named[0].length - 1; continue; }
      if (source[i + 1] !== '?') names.push(null);
    }
    out += ch;
  }
  return { source: out, names };
}

/** Compiles a pattern written with named groups; `match.groups` works in every engine. */
export function named(source: string, flags = ''): NamedRegExp {
  if (NATIVE_NAMED_GROUPS) return Object.assign(new RegExp(source, flags), { namedSource: source });
  return namedWithPlainGroups(source, flags);
}

/** The form used where the engine has no named groups: plain groups, and `exec` filling `groups` by name. */
export function namedWithPlainGroups(source: string, flags = ''): NamedRegExp {
  const plain = withoutNames(source);
  class Named extends RegExp {
    readonly namedSource = source;
    override exec(text: string): RegExpExecArray | null {
      const m = super.exec(text);
      if (m !== null) {
        const groups: Record<string, string> = {};
        plain.names.forEach((name, i) => { if (name !== null && m[i + 1] !== undefined) groups[name] = m[i + 1] as string; });
        m.groups = groups;
      }
      return m;
    }
  }
  return new Named(plain.source, flags);
}

/** The same named pattern with other flags ("g" to walk every match). */
export function reflag(pattern: RegExp, flags: string): RegExp {
  const source = (pattern as Partial<NamedRegExp>).namedSource;
  return source !== undefined ? named(source, flags) : new RegExp(pattern.source, flags);
}
