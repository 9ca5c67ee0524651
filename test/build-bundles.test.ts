/**
 * What `npm run build` ships runs in the webviews Office uses: every script parses as ES2017 (Edge Legacy, the webview
 * of Office 2019 and of Microsoft 365 without WebView2), uses no DOM member Edge Legacy lacks, and each page loads an
 * ES5 script first that tells Internet Explorer 11 users what they need. Builds once, for production, into a
 * temporary directory.
 */
import * as acorn from 'acorn';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildProduction } from './support/browser/build';
import { installMissingBuiltins } from '../src/ui/builtins';

let outDir: string;
let buildOutput: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'scorecard-build-'));
  buildOutput = await buildProduction(outDir);
}, 240_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

function scripts(): string[] {
  return readdirSync(outDir).filter((f) => f.endsWith('.js'));
}

function read(file: string): string {
  return readFileSync(join(outDir, file), 'utf8');
}

/** A regular expression literal of a script, where it is. */
interface RegexLiteral {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The regular expression literals of `source` (tokenised with the newest grammar, so that every one is found). */
function regexLiterals(source: string): RegexLiteral[] {
  const out: RegexLiteral[] = [];
  for (const token of acorn.tokenizer(source, { ecmaVersion: 'latest' })) {
    if (token.type.label === 'regexp') out.push({ start: token.start, end: token.end, text: source.slice(token.start, token.end) });
  }
  return out;
}

/** Whether `literal` is a regular expression ES2017 accepts (named groups, lookbehind, `s` and `\p{}` are ES2018). */
function isEs2017Regex(literal: string): boolean {
  try {
    acorn.parse(literal, { ecmaVersion: 2017 });
    return true;
  } catch {
    return false;
  }
}

/** Parses `source` as an ES2017 script; returns the parser's complaint, or undefined. */
function es2017SyntaxError(source: string): string | undefined {
  try {
    acorn.parse(source, { ecmaVersion: 2017, sourceType: 'script' });
    return undefined;
  } catch (error) {
    const at = (error as { pos?: number }).pos ?? 0;
    return `${(error as Error).message}: …${source.slice(Math.max(0, at - 60), at + 60)}…`;
  }
}

describe('the built scripts', () => {
  it('builds the pages\' scripts under content-hashed names, and each page loads the files it names', () => {
    const bundles = scripts().filter((f) => f !== 'unsupported-webview.js');
    for (const entry of ['taskpane', 'commands', 'message']) {
      expect(bundles.some((f) => new RegExp(`^${entry}\\.[0-9a-f]{12}\\.js$`).test(f))).toBe(true);
    }
    expect(bundles.every((f) => /\.[0-9a-f]{12}\.js$/.test(f))).toBe(true);
    for (const page of ['taskpane.html', 'commands.html', 'message.html']) {
      const html = read(page);
      // The pages are minified: attribute values may be quoted or not.
      const sources = [...html.matchAll(/<script[^>]*\bsrc=(?:"([^"]+)"|([^\s>]+))/g)].map((m) => m[1] ?? m[2] ?? '');
      const local = sources.filter((s) => !s.startsWith('https://'));
      expect(local.length).toBeGreaterThanOrEqual(2);
      for (const src of local) expect(readdirSync(outDir)).toContain(src.replace(/\?.*$/, ''));
      // The ES5 script comes before the bundle, with a version that changes with its content.
      expect(local[0]).toMatch(/^unsupported-webview\.js\?v=[0-9a-f]{12}$/);
      if (html.includes('taskpane.css')) expect(html).toMatch(/href="?taskpane\.css\?v=[0-9a-f]{12}"?/);
    }
  });

  it('has only ES2017 syntax in every script (regular expressions are checked on their own, below)', () => {
    const problems: string[] = [];
    for (const file of scripts()) {
      let source = read(file);
      // Each regular expression is replaced by one of the same length that every grammar accepts.
      for (const r of regexLiterals(source).reverse()) source = `${source.slice(0, r.start)}/${'x'.repeat(r.end - r.start - 2)}/${source.slice(r.end)}`;
      const error = es2017SyntaxError(source);
      if (error !== undefined) problems.push(`${file}: ${error}`);
    }
    expect(problems).toEqual([]);
  });

  it('has only ES2017 regular expressions (no named groups, lookbehind, dotAll or \\p{…}, which Edge Legacy cannot parse)', () => {
    const problems = scripts().flatMap((file) => regexLiterals(read(file)).filter((r) => !isEs2017Regex(r.text)).map((r) => `${file}: ${r.text}`));
    expect(problems).toEqual([]);
  });

  it('calls no DOM member that Edge Legacy lacks', () => {
    const missing = ['replaceChildren', 'CSS.escape', 'HTMLDetailsElement', 'structuredClone', 'queueMicrotask', 'replaceAll'];
    const found = scripts().flatMap((file) => missing.filter((name) => read(file).includes(name)).map((name) => `${file}: ${name}`));
    expect(found).toEqual([]);
  });

  it('writes the script for Internet Explorer 11 in ES5', () => {
    expect(() => acorn.parse(read('unsupported-webview.js'), { ecmaVersion: 5, sourceType: 'script' })).not.toThrow();
  });

  it('warns when the manifest points at the placeholder production address', () => {
    expect(buildOutput).toMatch(/placeholder address https:\/\/scorecard-refresh\.example\.org\//);
    expect(read('manifest.xml')).toContain('https://scorecard-refresh.example.org/');
  });
});

describe('built-ins Edge Legacy lacks', () => {
  it('installs flatMap, Object.fromEntries and String.prototype.matchAll where they are missing, behaving as the standard ones', () => {
    const saved = {
      flatMap: Object.getOwnPropertyDescriptor(Array.prototype, 'flatMap'),
      fromEntries: Object.getOwnPropertyDescriptor(Object, 'fromEntries'),
      matchAll: Object.getOwnPropertyDescriptor(String.prototype, 'matchAll'),
    };
    const standard = {
      flatMap: [1, 2, 3].flatMap((n) => (n === 2 ? [] : [n, [n]])),
      fromEntries: Object.fromEntries([['a', 1], ['b', 2]]),
      matchAll: [...'a1b22c333'.matchAll(/(\d)+/g)].map((m) => [m[0], m[1], m.index]),
    };
    const proto = Array.prototype as unknown as Record<string, unknown>;
    const obj = Object as unknown as Record<string, unknown>;
    const str = String.prototype as unknown as Record<string, unknown>;
    delete proto.flatMap;
    delete obj.fromEntries;
    delete str.matchAll;
    try {
      expect(installMissingBuiltins()).toEqual(['Array.prototype.flatMap', 'Object.fromEntries', 'String.prototype.matchAll']);
      expect([1, 2, 3].flatMap((n) => (n === 2 ? [] : [n, [n]]))).toEqual(standard.flatMap);
      expect(Object.fromEntries([['a', 1], ['b', 2]])).toEqual(standard.fromEntries);
      expect([...'a1b22c333'.matchAll(/(\d)+/g)].map((m) => [m[0], m[1], m.index])).toEqual(standard.matchAll);
      expect(() => 'x'.matchAll(/x/ as RegExp)).toThrow(TypeError);
      expect(installMissingBuiltins()).toEqual([]);
    } finally {
      if (saved.flatMap) Object.defineProperty(Array.prototype, 'flatMap', saved.flatMap);
      if (saved.fromEntries) Object.defineProperty(Object, 'fromEntries', saved.fromEntries);
      if (saved.matchAll) Object.defineProperty(String.prototype, 'matchAll', saved.matchAll);
    }
  });
});
