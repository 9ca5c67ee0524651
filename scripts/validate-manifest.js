#!/usr/bin/env node
// Validates an Office add-in manifest offline: against the published XML schemas (OfficeAppManifestV1_1.xsd and
// the files it imports, run through xmllint compiled to WebAssembly), then for what the schemas cannot say:
// every resid names a defined resource of the right kind, every icon file exists under assets/ with the pixel
// size the manifest claims, and every URL is https.
//
//   node scripts/validate-manifest.js [manifest.xml]
//
// The schemas are read from ../../shared/manifest-schemas (relative to this script) unless MANIFEST_SCHEMAS names
// another directory. Icons are looked up by file name in the assets/ directory beside the manifest.
'use strict';

const fs = require('fs');
const path = require('path');
const { URL } = require('url');

const MAIN_SCHEMA = 'OfficeAppManifestV1_1.xsd';
const DEFAULT_SCHEMA_DIR = path.resolve(__dirname, '../../shared/manifest-schemas');

const NS = {
  app: 'http://schemas.microsoft.com/office/appforoffice/1.1',
  bt: 'http://schemas.microsoft.com/office/officeappbasictypes/1.0',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xml: 'http://www.w3.org/XML/1998/namespace',
};

// Where a resource of each kind is defined: <bt:Images><bt:Image id=…/>, <bt:Urls><bt:Url id=…/>, and so on.
const RESOURCE_KINDS = [
  { kind: 'image', container: 'Images', item: 'Image' },
  { kind: 'url', container: 'Urls', item: 'Url' },
  { kind: 'short string', container: 'ShortStrings', item: 'String' },
  { kind: 'long string', container: 'LongStrings', item: 'String' },
];

// The kind of resource a resid must name, by the local name of the element that carries it (the schemas type
// these as ImageResourceReference, URLResourceReference, ShortResourceReference and LongResourceReference).
const RESID_KIND_BY_ELEMENT = {
  Image: 'image',
  SourceLocation: 'url',
  FunctionFile: 'url',
  LearnMoreUrl: 'url',
  Label: 'short string',
  Title: 'short string',
  Description: 'long string',
};

// Pixel sizes of a task-pane add-in's own icons: IconUrl "Task pane 32 x 32", HighResolutionIconUrl "For content and
// task pane apps, the image resolution must be 64 x 64 pixels" (https://learn.microsoft.com/javascript/api/manifest/iconurl,
// https://learn.microsoft.com/javascript/api/manifest/highresolutioniconurl). 64 and 128 are a mail add-in's sizes.
const APP_ICON_SIZES = { IconUrl: 32, HighResolutionIconUrl: 64 };

// Elements whose DefaultValue (and per-locale Override Value) is a URL, and elements whose text is one.
const URL_VALUE_ELEMENTS = new Set(['IconUrl', 'HighResolutionIconUrl', 'SupportUrl', 'SourceLocation']);
const URL_TEXT_ELEMENTS = new Set(['AppDomain']);

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Thrown when the XML cannot be read as elements (it is not well-formed). */
class ManifestSyntaxError extends Error {
  constructor(message, line) {
    super(`line ${line}: ${message}`);
    this.name = 'ManifestSyntaxError';
    this.line = line;
  }
}

/** Thrown when the schema directory is missing or incomplete. */
class SchemaDirectoryError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SchemaDirectoryError';
  }
}

/** Returns the text with the five predefined XML entities and character references replaced. */
function decodeEntities(text) {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (whole, name) => {
    switch (name) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
      default:
        return String.fromCodePoint(name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    }
  });
}

function splitQName(qname) {
  const colon = qname.indexOf(':');
  return colon < 0 ? { prefix: '', local: qname } : { prefix: qname.slice(0, colon), local: qname.slice(colon + 1) };
}

/**
 * Parses XML into a tree of elements, each `{name, ns, local, attributes, children, text, line, parent}` where
 * attributes are `{name, ns, local, value}` with namespaces resolved. Enough XML for a manifest: comments,
 * processing instructions, CDATA and a DOCTYPE without an internal subset are skipped. Throws ManifestSyntaxError
 * when tags do not nest.
 */
function parseXml(xml) {
  const lineStarts = [0];
  for (let i = 0; i < xml.length; i++) if (xml[i] === '\n') lineStarts.push(i + 1);
  const lineAt = (offset) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const document = { children: [], namespaces: { xml: NS.xml }, parent: null };
  let current = document;
  let root = null;
  let pos = 0;
  const appendText = (text) => {
    if (current !== document) current.text += text;
  };

  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    if (lt < 0) {
      appendText(decodeEntities(xml.slice(pos)));
      break;
    }
    appendText(decodeEntities(xml.slice(pos, lt)));
    const skipTo = (terminator, what) => {
      const end = xml.indexOf(terminator, lt);
      if (end < 0) throw new ManifestSyntaxError(`unterminated ${what}`, lineAt(lt));
      return end + terminator.length;
    };
    if (xml.startsWith('<!--', lt)) {
      pos = skipTo('-->', 'comment');
    } else if (xml.startsWith('<![CDATA[', lt)) {
      pos = skipTo(']]>', 'CDATA section');
      appendText(xml.slice(lt + 9, pos - 3));
    } else if (xml.startsWith('<?', lt)) {
      pos = skipTo('?>', 'processing instruction');
    } else if (xml.startsWith('<!', lt)) {
      pos = skipTo('>', 'declaration');
    } else if (xml.startsWith('</', lt)) {
      const match = /^<\/([^\s>]+)\s*>/.exec(xml.slice(lt, lt + 300));
      if (!match) throw new ManifestSyntaxError('malformed end tag', lineAt(lt));
      if (current === document || match[1] !== current.name) {
        const expected = current === document ? 'no open element' : `</${current.name}>`;
        throw new ManifestSyntaxError(`</${match[1]}> does not match ${expected}`, lineAt(lt));
      }
      current = current.parent;
      pos = lt + match[0].length;
    } else {
      const tag = /^<([^\s/>=]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(xml.slice(lt));
      if (!tag) throw new ManifestSyntaxError('malformed start tag', lineAt(lt));
      const rawAttributes = [];
      const attributePattern = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
      let a;
      while ((a = attributePattern.exec(tag[2])) !== null) {
        rawAttributes.push({ name: a[1], value: decodeEntities(a[2] !== undefined ? a[2] : a[3]) });
      }
      const namespaces = Object.create(current.namespaces);
      for (const { name, value } of rawAttributes) {
        if (name === 'xmlns') namespaces[''] = value;
        else if (name.startsWith('xmlns:')) namespaces[name.slice(6)] = value;
      }
      const line = lineAt(lt);
      const { prefix, local } = splitQName(tag[1]);
      if (prefix && namespaces[prefix] === undefined) {
        throw new ManifestSyntaxError(`undeclared namespace prefix "${prefix}" on <${tag[1]}>`, line);
      }
      const element = {
        name: tag[1],
        ns: namespaces[prefix] || '',
        local,
        attributes: rawAttributes
          .filter(({ name }) => name !== 'xmlns' && !name.startsWith('xmlns:'))
          .map(({ name, value }) => {
            const q = splitQName(name);
            return { name, ns: q.prefix ? namespaces[q.prefix] || '' : '', local: q.local, value };
          }),
        namespaces,
        children: [],
        text: '',
        line,
        parent: current,
      };
      if (current === document) {
        if (root) throw new ManifestSyntaxError(`second root element <${tag[1]}>`, line);
        root = element;
      }
      current.children.push(element);
      if (!tag[3]) current = element;
      pos = lt + tag[0].length;
    }
  }
  if (current !== document) throw new ManifestSyntaxError(`<${current.name}> is never closed`, current.line);
  if (!root) throw new ManifestSyntaxError('no root element', 1);
  return root;
}

/** Returns the value of the element's attribute with this local name (and namespace, '' for none), or undefined. */
function attributeOf(element, local, ns = '') {
  const found = element.attributes.find((a) => a.local === local && a.ns === ns);
  return found ? found.value : undefined;
}

/** Returns every element of the tree, depth first, the root included. */
function allElements(root) {
  const out = [];
  const walk = (element) => {
    out.push(element);
    element.children.forEach(walk);
  };
  walk(root);
  return out;
}

/** Returns the local part of an xsi:type value ("ov:Button" → "Button"). */
function xsiTypeOf(element) {
  const type = attributeOf(element, 'type', NS.xsi);
  return type === undefined ? undefined : splitQName(type).local;
}

/** Returns a short rendering of an element for messages: its name and identifying attributes. */
function describeElement(element) {
  const shown = ['id', 'resid', 'size', 'Name']
    .map((name) => [name, attributeOf(element, name)])
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${value}"`)
    .join('');
  return `<${element.name}${shown}>`;
}

/** Reads the width and height from a PNG file's IHDR chunk; returns null if the file is not a PNG. */
function readPngSize(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const header = new Uint8Array(24);
    const read = fs.readSync(fd, header, 0, 24, 0);
    if (read < 24 || !PNG_SIGNATURE.every((byte, i) => header[i] === byte)) return null;
    const chunkType = String.fromCharCode(header[12], header[13], header[14], header[15]);
    if (chunkType !== 'IHDR') return null;
    const view = new DataView(header.buffer);
    return { width: view.getUint32(16), height: view.getUint32(20) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Returns the schema directory in use: $MANIFEST_SCHEMAS, or shared/manifest-schemas beside the project. */
function resolveSchemaDir() {
  return process.env.MANIFEST_SCHEMAS ? path.resolve(process.env.MANIFEST_SCHEMAS) : DEFAULT_SCHEMA_DIR;
}

/** Runs xmllint (WebAssembly) against the main schema with the other schema files preloaded; returns problems. */
async function checkSchema(xml, fileName, schemaDir) {
  const mainSchema = path.join(schemaDir, MAIN_SCHEMA);
  if (!fs.existsSync(mainSchema)) {
    throw new SchemaDirectoryError(
      `cannot validate: ${mainSchema} not found. The manifest schemas live in ../shared/manifest-schemas ` +
        '(beside this project); set MANIFEST_SCHEMAS to use another directory.');
  }
  const { validateXML } = require('xmllint-wasm');
  const preload = fs
    .readdirSync(schemaDir)
    .filter((name) => name.endsWith('.xsd') && name !== MAIN_SCHEMA)
    .map((name) => ({ fileName: name, contents: fs.readFileSync(path.join(schemaDir, name), 'utf8') }));
  const result = await validateXML({
    xml: [{ fileName, contents: xml }],
    schema: [{ fileName: MAIN_SCHEMA, contents: fs.readFileSync(mainSchema, 'utf8') }],
    preload,
  });
  if (result.valid) return [];
  const problems = result.errors.map((error) => {
    const message = error.message.replace(/^.*?Schemas validity error\s*:\s*/, 'schema: ').trim();
    return error.loc && error.loc.lineNumber ? `line ${error.loc.lineNumber}: ${message}` : message;
  });
  return problems.length > 0 ? problems : [`${fileName} does not validate against ${MAIN_SCHEMA}`];
}

/**
 * Returns the schema message with "{namespace}Name" written as the manifest writes it ("Name", "bt:Name"), using
 * the prefixes declared on the root element.
 */
function shortenNamespaces(message, root) {
  return message.replace(/\{([^{}\s]+)\}/g, (whole, uri) => {
    if (root.namespaces[''] === uri) return '';
    const prefix = Object.keys(root.namespaces).find((p) => p !== '' && root.namespaces[p] === uri);
    return prefix === undefined ? whole : `${prefix}:`;
  });
}

/** Collects resource definitions by kind: Map(kind → Map(id → element)); reports duplicate ids. */
function collectResources(elements, problems) {
  const resources = new Map(RESOURCE_KINDS.map(({ kind }) => [kind, new Map()]));
  for (const element of elements) {
    if (element.ns !== NS.bt || !element.parent || element.parent.ns !== NS.bt) continue;
    const spec = RESOURCE_KINDS.find((k) => k.container === element.parent.local && k.item === element.local);
    if (!spec) continue;
    const id = attributeOf(element, 'id');
    if (id === undefined) continue; // the schema reports a missing id
    const defined = resources.get(spec.kind);
    if (defined.has(id)) {
      problems.push(`line ${element.line}: ${spec.kind} resource id "${id}" is defined twice ` +
        `(first on line ${defined.get(id).line})`);
    } else {
      defined.set(id, element);
    }
  }
  return resources;
}

/** Checks that each resid names a resource of the kind its element needs. */
function checkResids(elements, resources, problems) {
  for (const element of elements) {
    const resid = attributeOf(element, 'resid');
    if (resid === undefined) continue;
    const wanted = RESID_KIND_BY_ELEMENT[element.local];
    if (wanted ? resources.get(wanted).has(resid) : [...resources.values()].some((m) => m.has(resid))) continue;
    const definedAs = RESOURCE_KINDS.filter(({ kind }) => resources.get(kind).has(resid)).map(({ kind }) => kind);
    if (definedAs.length > 0) {
      problems.push(`line ${element.line}: ${describeElement(element)} needs a ${wanted} resource, ` +
        `but resid "${resid}" is a ${definedAs.join(' and a ')} resource`);
    } else {
      const kind = wanted ? `${wanted} resource` : 'resource';
      problems.push(`line ${element.line}: ${describeElement(element)}: no ${kind} has id "${resid}"`);
    }
  }
}

/** Returns the URLs an element holds: its DefaultValue and the Value of each per-locale Override. */
function urlValuesOf(element) {
  const values = [];
  const defaultValue = attributeOf(element, 'DefaultValue');
  if (defaultValue !== undefined) values.push({ url: defaultValue, line: element.line });
  for (const child of element.children) {
    const value = child.local === 'Override' ? attributeOf(child, 'Value') : undefined;
    if (value !== undefined) values.push({ url: value, line: child.line });
  }
  return values;
}

/** Returns whether the element's DefaultValue (and its Overrides' Value) is a URL. */
function isUrlHolder(element) {
  if (URL_VALUE_ELEMENTS.has(element.local) && attributeOf(element, 'resid') === undefined) return true;
  return element.ns === NS.bt && element.parent && element.parent.ns === NS.bt &&
    ((element.parent.local === 'Urls' && element.local === 'Url') ||
      (element.parent.local === 'Images' && element.local === 'Image'));
}

/** Checks that every URL in the manifest is an https URL. */
function checkHttps(elements, problems) {
  const looksLikeUrl = (value) => /^\s*[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value);
  const isHttpsUrl = (value) => {
    try {
      return new URL(value).protocol === 'https:';
    } catch {
      return false;
    }
  };
  const report = (value, line, element) => {
    problems.push(`line ${line}: URL "${value}" in ${describeElement(element)} is not https`);
  };
  for (const element of elements) {
    const holder = isUrlHolder(element);
    const urlValues = holder ? urlValuesOf(element) : [];
    for (const { url, line } of urlValues) if (!isHttpsUrl(url)) report(url, line, element);
    if (URL_TEXT_ELEMENTS.has(element.local) && !isHttpsUrl(element.text.trim())) {
      report(element.text.trim(), element.line, element);
    }
    // Anything else that looks like a URL. Namespace declarations are not kept as attributes, so their http
    // namespace names never reach this.
    const isOverrideOfHolder = element.local === 'Override' && element.parent && isUrlHolder(element.parent);
    for (const attribute of element.attributes) {
      const alreadyChecked =
        (holder && attribute.local === 'DefaultValue') || (isOverrideOfHolder && attribute.local === 'Value');
      if (!alreadyChecked && looksLikeUrl(attribute.value) && !isHttpsUrl(attribute.value)) {
        report(attribute.value, element.line, element);
      }
    }
    const text = element.children.length === 0 ? element.text.trim() : '';
    if (!URL_TEXT_ELEMENTS.has(element.local) && looksLikeUrl(text) && !isHttpsUrl(text)) {
      report(text, element.line, element);
    }
  }
}

/** Checks one icon URL: its file (by name) exists in assetsDir and is a PNG of size × size pixels. */
function checkIconFile(url, size, assetsDir, context, problems) {
  let fileName;
  try {
    fileName = path.posix.basename(new URL(url).pathname);
  } catch {
    fileName = path.posix.basename(url);
  }
  const file = path.join(assetsDir, fileName);
  const relative = path.relative(process.cwd(), file);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
  if (!fileName || !fs.existsSync(file)) {
    problems.push(`${context}: icon ${url} has no file ${shown}`);
    return;
  }
  const dimensions = readPngSize(file);
  if (!dimensions) {
    problems.push(`${context}: icon ${shown} is not a PNG file`);
  } else if (dimensions.width !== size || dimensions.height !== size) {
    problems.push(`${context}: icon ${shown} is ${dimensions.width}×${dimensions.height} px, not ${size}×${size}`);
  }
}

/** Checks every icon the manifest names against its file under assetsDir. */
function checkIcons(elements, resources, assetsDir, problems) {
  const images = resources.get('image');
  // Each image resource is checked once per size it is used at, naming every line that uses it so.
  const uses = new Map();
  for (const element of elements) {
    if (APP_ICON_SIZES[element.local] !== undefined && element.ns === NS.app) {
      for (const { url, line } of urlValuesOf(element)) {
        checkIconFile(url, APP_ICON_SIZES[element.local], assetsDir, `line ${line}: <${element.name}>`, problems);
      }
    }
    if (element.ns === NS.bt && element.local === 'Image' && attributeOf(element, 'resid') !== undefined) {
      const resid = attributeOf(element, 'resid');
      const size = Number(attributeOf(element, 'size'));
      if (!images.has(resid) || !Number.isInteger(size)) continue; // reported by checkResids or the schema
      const key = `${resid}\u0000${size}`;
      if (!uses.has(key)) uses.set(key, { resid, size, lines: [] });
      uses.get(key).lines.push(element.line);
    }
  }
  for (const { resid, size, lines } of uses.values()) {
    for (const { url, line } of urlValuesOf(images.get(resid))) {
      const usedOn = `line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`;
      const context = `line ${line}: image "${resid}" (used at size ${size} on ${usedOn})`;
      checkIconFile(url, size, assetsDir, context, problems);
    }
  }
}

/** Checks that a form factor with an ExecuteFunction button declares the FunctionFile that holds the function. */
function checkFunctionFile(elements, problems) {
  for (const element of elements) {
    if (element.local !== 'Action' || xsiTypeOf(element) !== 'ExecuteFunction') continue;
    let formFactor = element.parent;
    while (formFactor && formFactor.local && !formFactor.local.endsWith('FormFactor')) formFactor = formFactor.parent;
    if (formFactor && formFactor.local && !formFactor.children.some((c) => c.local === 'FunctionFile')) {
      problems.push(`line ${element.line}: an ExecuteFunction action needs a <FunctionFile> in <${formFactor.name}>`);
    }
  }
}

/**
 * Validates the manifest at manifestPath. Resolves to {ok, problems}: ok is true when there are no problems;
 * each problem is one line of text naming the line, element, resid, URL or file at fault. Options: assetsDir (where
 * icon files are looked up by name; default: assets/ beside the manifest) and schemaDir (default: $MANIFEST_SCHEMAS
 * or ../shared/manifest-schemas). Rejects with SchemaDirectoryError when the schemas cannot be found.
 */
async function validateManifest(manifestPath, options = {}) {
  const file = path.resolve(manifestPath);
  const assetsDir = path.resolve(options.assetsDir || path.join(path.dirname(file), 'assets'));
  const schemaDir = path.resolve(options.schemaDir || resolveSchemaDir());
  const xml = fs.readFileSync(file, 'utf8');
  const schemaProblems = await checkSchema(xml, path.basename(file), schemaDir);

  let root;
  try {
    root = parseXml(xml);
  } catch (error) {
    if (!(error instanceof ManifestSyntaxError)) throw error;
    // xmllint has already said why the XML is not well-formed; say it here only if it did not.
    const problems = schemaProblems.length > 0 ? schemaProblems : [error.message];
    return { ok: false, problems };
  }
  const problems = schemaProblems.map((problem) => shortenNamespaces(problem, root));
  const elements = allElements(root);
  const resources = collectResources(elements, problems);
  checkResids(elements, resources, problems);
  checkHttps(elements, problems);
  checkIcons(elements, resources, assetsDir, problems);
  checkFunctionFile(elements, problems);
  const lineOf = (problem) => Number((/^line (\d+):/.exec(problem) || [])[1] || 0);
  const unique = [...new Set(problems)].sort((a, b) => lineOf(a) - lineOf(b));
  return { ok: unique.length === 0, problems: unique };
}

module.exports = { validateManifest, parseXml, attributeOf, xsiTypeOf, ManifestSyntaxError, SchemaDirectoryError };

if (require.main === module) {
  const manifestPath = process.argv[2] || 'manifest.xml';
  validateManifest(manifestPath).then(
    ({ ok, problems }) => {
      if (ok) {
        console.log(`${manifestPath} is valid`);
        return;
      }
      console.error(`${manifestPath}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
      for (const problem of problems) console.error(`  ${problem}`);
      process.exitCode = 1;
    },
    (error) => {
      console.error(error instanceof SchemaDirectoryError || error.code === 'ENOENT' ? error.message : error);
      process.exitCode = 2;
    });
}
