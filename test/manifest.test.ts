import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  attributeOf,
  parseXml,
  validateManifest,
  xsiTypeOf,
  type XmlElement,
} from '../scripts/validate-manifest';

const ROOT = path.resolve(__dirname, '..');
const MANIFEST = path.join(ROOT, 'manifest.xml');
const ASSETS = path.join(ROOT, 'assets');
const SCHEMA_DIR = process.env.MANIFEST_SCHEMAS
  ? path.resolve(process.env.MANIFEST_SCHEMAS)
  : path.resolve(ROOT, '../shared/manifest-schemas');
const MAIN_SCHEMA = path.join(SCHEMA_DIR, 'OfficeAppManifestV1_1.xsd');

// Workbook settings are keyed to the manifest Id: changing it orphans every user's saved options.
const ADDIN_ID = '3bed3319-891b-486b-afee-bf811d8ac5c3';

const BT = 'http://schemas.microsoft.com/office/officeappbasictypes/1.0';

function requireSchemas(): void {
  if (!fs.existsSync(MAIN_SCHEMA)) {
    throw new Error(
      `These tests need ../shared (the published manifest schemas): ${MAIN_SCHEMA} was not found. ` +
        'Check out the shared folder beside this project, or set MANIFEST_SCHEMAS to a directory holding the ' +
        '.xsd files.');
  }
}

function elementsOf(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [root];
  for (const child of root.children) out.push(...elementsOf(child));
  return out;
}

function childNamed(element: XmlElement, local: string): XmlElement | undefined {
  return element.children.find((c) => c.local === local);
}

describe('manifest.xml against the schemas and our own checks', () => {
  let workDir: string;
  let original: string;

  beforeAll(() => {
    requireSchemas();
    original = fs.readFileSync(MANIFEST, 'utf8');
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-manifest-'));
  });

  afterAll(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  /** Writes a copy of the manifest with `from` replaced by `to` (which must occur) and validates it. */
  async function validateVariant(name: string, from: string, to: string, assetsDir = ASSETS) {
    expect(original).toContain(from);
    const file = path.join(workDir, `${name}.xml`);
    fs.writeFileSync(file, original.replace(from, to));
    return validateManifest(file, { assetsDir, schemaDir: SCHEMA_DIR });
  }

  it('validates the committed manifest', async () => {
    const result = await validateManifest(MANIFEST);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('validates an unchanged copy elsewhere, so each broken variant fails for its breakage alone', async () => {
    const result = await validateVariant('unchanged', '<Version>', '<Version>');
    expect(result.problems).toEqual([]);
  });

  it('reports a resid that names no resource', async () => {
    const result = await validateVariant('resid',
      '<Label resid="PaneButton.Label"/>', '<Label resid="Nowhere.Label"/>');
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringContaining('"Nowhere.Label"')]);
  });

  it('reports a resid that names a resource of the wrong kind', async () => {
    const result = await validateVariant('resid-kind',
      '<Description resid="PaneButton.Tooltip"/>', '<Description resid="PaneButton.Label"/>');
    expect(result.problems).toEqual([expect.stringMatching(/"PaneButton\.Label".*short string/)]);
  });

  it('reports an http URL', async () => {
    const result = await validateVariant('http',
      '<bt:Url id="Taskpane.Url" DefaultValue="https://localhost:3000/taskpane.html"/>',
      '<bt:Url id="Taskpane.Url" DefaultValue="http://localhost:3000/taskpane.html"/>');
    expect(result.problems).toEqual([expect.stringMatching(/http:\/\/localhost:3000\/taskpane\.html.*not https/)]);
  });

  it('reports an AppDomain that is not https', async () => {
    const result = await validateVariant('http-domain',
      '<AppDomain>https://scorecard-refresh.example.org</AppDomain>',
      '<AppDomain>http://scorecard-refresh.example.org</AppDomain>');
    expect(result.problems).toEqual([expect.stringContaining('http://scorecard-refresh.example.org')]);
  });

  it('reports an icon file whose pixel size is not the size the manifest gives', async () => {
    const assetsDir = path.join(workDir, 'assets-wrong-size');
    fs.cpSync(ASSETS, assetsDir, { recursive: true });
    fs.copyFileSync(path.join(ASSETS, 'refresh-64.png'), path.join(assetsDir, 'refresh-80.png'));
    const result = await validateVariant('icon-size', '<Version>', '<Version>', assetsDir);
    expect(result.problems).toEqual([expect.stringMatching(/refresh-80\.png is 64×64 px, not 80×80/)]);
  });

  it('reports an icon resource that points at a file of another size', async () => {
    const result = await validateVariant('icon-resource',
      'DefaultValue="https://localhost:3000/assets/icon-16.png"',
      'DefaultValue="https://localhost:3000/assets/icon-32.png"');
    expect(result.problems).toEqual([expect.stringMatching(/"Icon\.16x16".*icon-32\.png is 32×32 px, not 16×16/)]);
  });

  it.each([
    ['IconUrl', 'icon-32.png', 'icon-64.png', '64×64 px, not 32×32'],
    ['HighResolutionIconUrl', 'icon-64.png', 'icon-128.png', '128×128 px, not 64×64'],
  ])('reports the task-pane add-in\'s %s at a mail add-in\'s size', async (element, right, wrong, said) => {
    const result = await validateVariant(`app-icon-${element}`,
      `<${element} DefaultValue="https://localhost:3000/assets/${right}"/>`,
      `<${element} DefaultValue="https://localhost:3000/assets/${wrong}"/>`);
    expect(result.problems).toEqual([expect.stringMatching(new RegExp(`${element}.*${wrong.replace('.', '\\.')} is ${said}`))]);
  });

  it('reports an icon whose file is missing', async () => {
    const result = await validateVariant('icon-missing', 'assets/refresh-32.png', 'assets/no-such-icon.png');
    expect(result.problems).toEqual([expect.stringContaining('no-such-icon.png')]);
  });

  it('reports a schema violation, naming the element', async () => {
    const result = await validateVariant('schema',
      '<Version>1.0.0.0</Version>', '<Version>1.0.0.0</Version>\n  <Bogus/>');
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/^line \d+: schema: .*'Bogus'/)]);
  });

  it('reports XML that is not well-formed', async () => {
    const result = await validateVariant('not-well-formed', '</Permissions>', '</Permission>');
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(/Permission/);
  });

  it('fails with a message naming the schema directory when the schemas are missing', async () => {
    await expect(validateManifest(MANIFEST, { schemaDir: path.join(workDir, 'no-schemas') }))
      .rejects.toThrow(/no-schemas.*OfficeAppManifestV1_1\.xsd not found/);
  });
});

describe('what manifest.xml declares', () => {
  const root = parseXml(fs.readFileSync(MANIFEST, 'utf8'));
  const elements = elementsOf(root);
  const resources = new Map(
    elements
      .filter((e) => e.ns === BT && attributeOf(e, 'id') !== undefined)
      .map((e) => [attributeOf(e, 'id'), attributeOf(e, 'DefaultValue')]));
  const button = (id: string) => {
    const control = elements.find((e) => e.local === 'Control' && attributeOf(e, 'id') === id);
    if (!control) throw new Error(`no Control with id ${id}`);
    return control;
  };
  const labelOf = (element: XmlElement) => resources.get(attributeOf(childNamed(element, 'Label')!, 'resid'));

  it('keeps the add-in Id that workbook settings are keyed to', () => {
    expect(childNamed(root, 'Id')?.text).toBe(ADDIN_ID);
  });

  it('is an Excel task-pane add-in that reads and writes the workbook', () => {
    expect(xsiTypeOf(root)).toBe('TaskPaneApp');
    expect(attributeOf(childNamed(childNamed(root, 'Hosts')!, 'Host')!, 'Name')).toBe('Workbook');
    expect(childNamed(root, 'Permissions')?.text).toBe('ReadWriteDocument');
    expect(attributeOf(childNamed(childNamed(root, 'DefaultSettings')!, 'SourceLocation')!, 'DefaultValue'))
      .toBe('https://localhost:3000/taskpane.html');
  });

  it('requires ExcelApi 1.7', () => {
    const sets = elements.filter((e) => e.local === 'Set');
    expect(sets.map((s) => [attributeOf(s, 'Name'), attributeOf(s, 'MinVersion')])).toEqual([['ExcelApi', '1.7']]);
  });

  it('puts a Scorecard group on the Home tab', () => {
    const tab = elements.find((e) => e.local === 'OfficeTab');
    expect(tab && attributeOf(tab, 'id')).toBe('TabHome');
    const groups = tab!.children.filter((c) => c.local === 'Group');
    expect(groups.map(labelOf)).toEqual(['Scorecard']);
    const controls = groups[0]!.children.filter((c) => c.local === 'Control');
    expect(controls.map((c) => attributeOf(c, 'id'))).toEqual(['RefreshScorecardButton', 'ScorecardPaneButton']);
  });

  it('has a Refresh scorecard button that runs refreshScorecard from commands.html', () => {
    const refresh = button('RefreshScorecardButton');
    expect(xsiTypeOf(refresh)).toBe('Button');
    expect(labelOf(refresh)).toBe('Refresh scorecard');
    const action = childNamed(refresh, 'Action')!;
    expect(xsiTypeOf(action)).toBe('ExecuteFunction');
    expect(childNamed(action, 'FunctionName')?.text).toBe('refreshScorecard');
    const functionFile = elements.find((e) => e.local === 'FunctionFile')!;
    expect(resources.get(attributeOf(functionFile, 'resid'))).toBe('https://localhost:3000/commands.html');
  });

  it('has a Scorecard button that shows the task pane', () => {
    const pane = button('ScorecardPaneButton');
    expect(xsiTypeOf(pane)).toBe('Button');
    expect(labelOf(pane)).toBe('Scorecard');
    const action = childNamed(pane, 'Action')!;
    expect(xsiTypeOf(action)).toBe('ShowTaskpane');
    expect(childNamed(action, 'TaskpaneId')?.text).toBeTruthy();
    expect(resources.get(attributeOf(childNamed(action, 'SourceLocation')!, 'resid')))
      .toBe('https://localhost:3000/taskpane.html');
  });

  it('gives the group and each button icons at 16, 32 and 80 px and a supertip', () => {
    const owners = [elements.find((e) => e.local === 'Group')!, button('RefreshScorecardButton'),
      button('ScorecardPaneButton')];
    for (const owner of owners) {
      const sizes = childNamed(owner, 'Icon')!.children.map((image) => attributeOf(image, 'size'));
      expect(sizes).toEqual(['16', '32', '80']);
    }
    for (const control of owners.slice(1)) {
      const supertip = childNamed(control, 'Supertip')!;
      expect(resources.get(attributeOf(childNamed(supertip, 'Description')!, 'resid'))).toBeTruthy();
    }
  });
});
