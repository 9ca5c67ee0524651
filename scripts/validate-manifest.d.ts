// Types for scripts/validate-manifest.js (a plain Node script), so that TypeScript tests can import it.

/** What validateManifest found: ok when problems is empty; one line of text per problem. */
export interface ManifestValidation {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

export interface ValidateManifestOptions {
  /** Where icon files are looked up by name; default: assets/ beside the manifest. */
  readonly assetsDir?: string;
  /** Directory of the .xsd files; default: $MANIFEST_SCHEMAS, or ../shared/manifest-schemas. */
  readonly schemaDir?: string;
}

/** One attribute of a parsed element; ns is '' for an unprefixed attribute. */
export interface XmlAttribute {
  readonly name: string;
  readonly ns: string;
  readonly local: string;
  readonly value: string;
}

/** One element of a parsed manifest, namespaces resolved. */
export interface XmlElement {
  readonly name: string;
  readonly ns: string;
  readonly local: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  readonly text: string;
  readonly line: number;
}

/** Validates the manifest at manifestPath against the schemas, resids, icon files and https. */
export function validateManifest(manifestPath: string, options?: ValidateManifestOptions): Promise<ManifestValidation>;

/** Parses XML into elements; throws ManifestSyntaxError when it is not well-formed. */
export function parseXml(xml: string): XmlElement;

/** Returns the value of the element's attribute with this local name (and namespace, '' for none). */
export function attributeOf(element: XmlElement, local: string, ns?: string): string | undefined;

/** Returns the local part of the element's xsi:type. */
export function xsiTypeOf(element: XmlElement): string | undefined;

export class ManifestSyntaxError extends Error {
  readonly line: number;
}

export class SchemaDirectoryError extends Error {}
