/**
 * The few ES2019–ES2020 built-ins the add-in uses that Edge Legacy (the web view of Office 2019 and of Microsoft 365
 * without WebView2) lacks: `Array.prototype.flatMap`, `Object.fromEntries` and `String.prototype.matchAll`. Each is
 * installed only where it is missing, before any other module of a bundle runs (see the entries in
 * webpack.config.js). Syntax is taken care of by compiling to ES2017.
 */

type FlatMapCallback = (value: unknown, index: number, array: unknown[]) => unknown;

function flatMap(this: unknown[], callback: FlatMapCallback, thisArg?: unknown): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < this.length; i++) {
    const mapped = callback.call(thisArg, this[i], i, this);
    if (Array.isArray(mapped)) for (const item of mapped) out.push(item);
    else out.push(mapped);
  }
  return out;
}

function fromEntries(entries: Iterable<readonly [PropertyKey, unknown]>): Record<PropertyKey, unknown> {
  const out: Record<PropertyKey, unknown> = {};
  for (const [key, value] of entries) out[key] = value;
  return out;
}

function matchAll(this: string, pattern: RegExp): IterableIterator<RegExpExecArray> {
  if (!pattern.global) throw new TypeError('String.prototype.matchAll called with a non-global RegExp argument');
  const copy = new RegExp(pattern.source, pattern.flags);
  copy.lastIndex = pattern.lastIndex;
  const text = String(this);
  const matches: RegExpExecArray[] = [];
  for (let m = copy.exec(text); m !== null; m = copy.exec(text)) {
    matches.push(m);
    // An empty match would find itself forever.
    if (m[0] === '') copy.lastIndex += 1;
  }
  return matches[Symbol.iterator]();
}

function define(target: object, name: string, value: unknown): void {
  if (name in target) return;
  Object.defineProperty(target, name, { value, configurable: true, writable: true, enumerable: false });
}

/** Installs each missing built-in; returns the names of those it installed. */
export function installMissingBuiltins(): string[] {
  const installed: string[] = [];
  const add = (target: object, owner: string, name: string, value: unknown): void => {
    if (name in target) return;
    define(target, name, value);
    installed.push(`${owner}.${name}`);
  };
  add(Array.prototype, 'Array.prototype', 'flatMap', flatMap);
  add(Object, 'Object', 'fromEntries', fromEntries);
  add(String.prototype, 'String.prototype', 'matchAll', matchAll);
  return installed;
}

installMissingBuiltins();
