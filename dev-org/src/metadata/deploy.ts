/**
 * A Metadata API deploy of a metadata-format zip (what `sf project deploy start` and SDR send): read
 * `package.xml`, find each member's file, check it as the org would (validate.ts), then, unless the deploy
 * is check-only or rolled back, record the components and apply what they mean to data (a permission set
 * becomes a `PermissionSet` record). The answer is Salesforce's `DeployResult` with one `DeployMessage` per
 * component, and one for package.xml.
 */
import JSZip from 'jszip';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CustomMetadataError, customMetadataField, isCustomMetadataType } from '../schema/custom-metadata.ts';
import type { FieldDef } from '../schema/model.ts';
import type { RecordStore } from '../store/record-store.ts';
import { definitionHash as definitionHashOf, type ComponentRegistry } from './component-registry.ts';
import { applyRecord, applyType, checkRecord, parseRecordXml, typeFields } from './custom-metadata.ts';
import { METADATA_TYPES, fileNameOf, type MetadataType } from './metadata-types.ts';
import { applyQueue, queueProblems } from './queues.ts';
import { children, text, texts, validateComponent, type XmlNode } from './validate.ts';

export interface DeployOptions {
  allowMissingFiles: boolean;
  autoUpdatePackage: boolean;
  checkOnly: boolean;
  ignoreWarnings: boolean;
  performRetrieve: boolean;
  purgeOnDelete: boolean;
  rollbackOnError: boolean;
  runTests: string[] | null;
  singlePackage: boolean;
  testLevel: string | null;
}

export const DEFAULT_DEPLOY_OPTIONS: DeployOptions = {
  allowMissingFiles: false,
  autoUpdatePackage: false,
  checkOnly: false,
  ignoreWarnings: false,
  performRetrieve: false,
  purgeOnDelete: false,
  rollbackOnError: true,
  runTests: null,
  singlePackage: true,
  testLevel: 'NoTestRun',
};

/** Salesforce's DeployMessage, as the REST deployRequest resource returns it. */
export interface DeployMessage {
  changed: boolean;
  columnNumber: number | null;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id: string | null;
  knownPackagingProblem: boolean;
  lineNumber: number | null;
  problem: string | null;
  problemType: 'Error' | 'Warning' | null;
  requiresProductionTestRun: boolean;
  success: boolean;
  warning: boolean;
  forPackageManifestFile: boolean;
}

export interface DeployOutcome {
  status: 'Succeeded' | 'SucceededPartial' | 'Failed';
  success: boolean;
  errorMessage: string | null;
  errorStatusCode: string | null;
  componentSuccesses: DeployMessage[];
  componentFailures: DeployMessage[];
  numberComponentsTotal: number;
}

export interface DeployContext {
  registry: ComponentRegistry;
  store: RecordStore;
  now: () => Date;
  /** Reports progress: components checked so far out of all. */
  onProgress?: (done: number, total: number) => void;
}

interface Planned {
  type: string;
  fullName: string;
  /** The file a DeployMessage names, relative to the package root. */
  fileName: string;
  root: XmlNode | undefined;
  /** What a redeploy compares to tell "changed" from "unchanged". */
  definition: string;
  problems: string[];
  line: number | null;
  column: number | null;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

function parseXml(source: string): {
  root?: Record<string, XmlNode>;
  error?: { msg: string; line: number; col: number };
} {
  const valid = XMLValidator.validate(source);
  if (valid !== true) return { error: { msg: valid.err.msg, line: valid.err.line, col: valid.err.col } };
  return { root: parser.parse(source) as Record<string, XmlNode> };
}

function message(
  base: Partial<DeployMessage> & Pick<DeployMessage, 'componentType' | 'fileName' | 'fullName'>,
  createdDate: string,
): DeployMessage {
  return {
    changed: false,
    columnNumber: null,
    created: false,
    createdDate,
    deleted: false,
    id: null,
    knownPackagingProblem: false,
    lineNumber: null,
    problem: null,
    problemType: null,
    requiresProductionTestRun: false,
    success: true,
    warning: false,
    forPackageManifestFile: false,
    ...base,
  };
}

function failedWhole(errorMessage: string, createdDate: string): DeployOutcome {
  return {
    status: 'Failed',
    success: false,
    errorMessage: null,
    errorStatusCode: null,
    componentSuccesses: [],
    componentFailures: [
      message(
        {
          componentType: '',
          fileName: 'package.xml',
          fullName: 'package.xml',
          problem: errorMessage,
          problemType: 'Error',
          success: false,
        },
        createdDate,
      ),
    ],
    numberComponentsTotal: 0,
  };
}

/** The zip's package root: where package.xml is (the root, or one top folder such as `zip/`). */
function packageRoot(zip: JSZip): string | undefined {
  if (zip.file('package.xml')) return '';
  const candidates = Object.keys(zip.files).filter((name) => /^[^/]+\/package\.xml$/.test(name));
  return candidates.length === 1 ? candidates[0]!.slice(0, -'package.xml'.length) : undefined;
}

async function readText(zip: JSZip, path: string): Promise<string | undefined> {
  return zip.file(path)?.async('string');
}

/** Members of a type named `*` in package.xml: every component of that type in the zip. */
function expandWildcard(zip: JSZip, base: string, type: MetadataType): string[] {
  if (type.kind === 'child') return [];
  const prefix = `${base}${type.directory}/`;
  const names = new Set<string>();
  for (const path of Object.keys(zip.files)) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    if (type.kind === 'bundle') {
      const [bundle, file] = rest.split('/');
      if (bundle && file === `${bundle}${type.metaSuffix}`) names.add(bundle);
    } else {
      const suffix = `.${type.suffix}${type.content ? '-meta.xml' : ''}`;
      if (rest.endsWith(suffix) && !rest.includes('/')) names.add(rest.slice(0, -suffix.length));
    }
  }
  return [...names];
}

async function planComponent(
  zip: JSZip,
  base: string,
  typeName: string,
  fullName: string,
  parsedObjects: Map<string, Record<string, XmlNode> | null>,
): Promise<Planned> {
  const type = METADATA_TYPES[typeName]!;
  const notFound = (fileName: string): Planned => ({
    type: typeName,
    fullName,
    fileName,
    root: undefined,
    definition: '',
    problems: [
      `An object '${fullName}' of type ${typeName} was named in package.xml, but was not found in zipped directory`,
    ],
    line: null,
    column: null,
  });

  if (type.kind === 'child') {
    const parentName = fullName.split('.', 1)[0]!;
    const fileName = `objects/${parentName}.object`;
    if (!parsedObjects.has(parentName)) {
      const source = await readText(zip, `${base}${fileName}`);
      parsedObjects.set(parentName, source === undefined ? null : (parseXml(source).root ?? null));
    }
    const parent = parsedObjects.get(parentName);
    const childName = fullName.slice(parentName.length + 1);
    const node = parent
      ? children(parent['CustomObject'], type.element).find((c) => text(c, 'fullName') === childName)
      : undefined;
    if (!node) return notFound(fileName);
    return {
      type: typeName,
      fullName,
      fileName,
      root: node,
      definition: JSON.stringify(node),
      problems: [],
      line: null,
      column: null,
    };
  }

  const metaFile = fileNameOf(type, fullName);
  const source = await readText(zip, `${base}${metaFile}`);
  const reported =
    type.kind === 'bundle'
      ? `${type.directory}/${fullName}`
      : type.kind === 'file' && type.content
        ? `${type.directory}/${fullName}.${type.suffix}`
        : metaFile;
  if (source === undefined) return notFound(reported);
  const parsed = parseXml(source);
  if (parsed.error) {
    return {
      type: typeName,
      fullName,
      fileName: reported,
      root: undefined,
      definition: source,
      problems: [`Error parsing file: ${parsed.error.msg}`],
      line: parsed.error.line,
      column: parsed.error.col,
    };
  }
  const root = parsed.root?.[type.root];
  const problems: string[] = [];
  if (root === undefined) problems.push(`Error parsing file: the root element must be ${type.root}`);
  let definition = source;
  if (type.kind === 'file' && type.content) {
    const content = zip.file(`${base}${type.directory}/${fullName}.${type.suffix}`);
    if (!content) problems.push(`The ${typeName} ${fullName} has no content file ${fullName}.${type.suffix}`);
    else definition += await content.async('base64');
  }
  if (type.kind === 'bundle') {
    const folder = `${base}${type.directory}/${fullName}/`;
    const files = Object.keys(zip.files)
      .filter((p) => p.startsWith(folder) && !zip.files[p]!.dir)
      .sort();
    if (!files.includes(`${folder}${fullName}.js`)) {
      problems.push(`The bundle ${fullName} has no JavaScript file ${fullName}.js`);
    }
    for (const file of files) definition += `\n${file}\n${await zip.file(file)!.async('string')}`;
  }
  return {
    type: typeName,
    fullName,
    fileName: reported,
    root,
    definition,
    problems,
    line: null,
    column: null,
  };
}

/** Runs a deploy: validates every component, then applies them unless check-only or rolled back. */
export async function deployZip(
  zipBytes: Uint8Array,
  options: DeployOptions,
  context: DeployContext,
): Promise<DeployOutcome> {
  const createdDate = context.now().toISOString();
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(zipBytes);
  } catch (error) {
    return failedWhole(
      `The deploy is not a valid zip file: ${error instanceof Error ? error.message : String(error)}`,
      createdDate,
    );
  }
  const base = packageRoot(zip);
  if (base === undefined) return failedWhole('No package.xml found', createdDate);
  const manifest = parseXml((await readText(zip, `${base}package.xml`)) ?? '');
  if (manifest.error || !manifest.root?.['Package']) {
    return failedWhole(
      `Error parsing file: package.xml ${manifest.error?.msg ?? 'has no Package element'}`,
      createdDate,
    );
  }

  const manifestFailures: DeployMessage[] = [];
  const members: { type: string; fullName: string }[] = [];
  for (const entry of children(manifest.root['Package'], 'types')) {
    const typeName = text(entry, 'name') ?? '';
    const type = METADATA_TYPES[typeName];
    if (!type) {
      manifestFailures.push(
        message(
          {
            componentType: typeName,
            fileName: 'package.xml',
            fullName: typeName,
            problem: `The dev org does not support the metadata type ${typeName}; it supports ${Object.keys(METADATA_TYPES).join(', ')} (see dev-org/README.md)`,
            problemType: 'Error',
            success: false,
          },
          createdDate,
        ),
      );
      continue;
    }
    for (const member of texts(entry, 'members')) {
      const names = member === '*' ? expandWildcard(zip, base, type) : [member];
      for (const fullName of names) members.push({ type: typeName, fullName });
    }
  }

  const parsedObjects = new Map<string, Record<string, XmlNode> | null>();
  const planned: Planned[] = [];
  for (const [index, member] of members.entries()) {
    planned.push(await planComponent(zip, base, member.type, member.fullName, parsedObjects));
    context.onProgress?.(index + 1, members.length);
  }
  const inDeploy = new Set(planned.map((p) => `${p.type}#${p.fullName.toLowerCase()}`));
  const validation = {
    schema: context.store.schema,
    has: (type: string, fullName: string) =>
      inDeploy.has(`${type}#${fullName.toLowerCase()}`) || context.registry.exists(type, fullName),
  };
  const deployedFields = customMetadataFieldsIn(planned);
  for (const p of planned) {
    if (p.problems.length === 0 && p.root !== undefined) {
      p.problems.push(...validateComponent(p.type, p.fullName, p.root, validation));
      if (p.type === 'Queue') p.problems.push(...queueProblems(context.store, p.fullName, p.root));
      if (p.type === 'CustomMetadata')
        p.problems.push(...recordProblems(context, p, inDeploy, deployedFields));
    }
  }

  const failures = [
    ...manifestFailures,
    ...planned
      .filter((p) => p.problems.length > 0)
      .flatMap((p) =>
        p.problems.map((problem) =>
          message(
            {
              componentType: p.type,
              fileName: p.fileName,
              fullName: p.fullName,
              problem,
              problemType: 'Error',
              success: false,
              lineNumber: p.line,
              columnNumber: p.column,
            },
            createdDate,
          ),
        ),
      ),
  ];
  const accepted = planned.filter((p) => p.problems.length === 0);
  const rolledBack = failures.length > 0 && options.rollbackOnError;
  const apply = !options.checkOnly && !rolledBack;

  const successes: DeployMessage[] = [];
  const write = (): void => {
    // Custom metadata types and their fields first: the records of the same deploy need them.
    const applied = new Map<Planned, 'created' | 'changed' | 'unchanged' | undefined>();
    if (apply)
      for (const p of [...accepted].sort((a, b) => applyRank(a) - applyRank(b))) {
        applied.set(p, applyComponent(context.store, p));
      }
    for (const p of accepted) {
      const existing = context.registry.get(p.type, p.fullName);
      let outcome: { id: string; created: boolean; changed: boolean };
      if (apply) {
        outcome = context.registry.record(p.type, p.fullName, p.fileName, p.definition);
        const data = applied.get(p);
        // A custom metadata type the deploy created is new, though the schema lists it by now.
        if (data === 'created' && (p.type === 'CustomObject' || p.type === 'CustomField')) {
          outcome = { ...outcome, created: true, changed: false };
        }
      } else {
        // What the deploy would do, without doing it.
        const exists = context.registry.exists(p.type, p.fullName);
        outcome = {
          id: existing?.id ?? '',
          created: !exists,
          changed: exists && (existing === undefined || existing.hash !== definitionHashOf(p.definition)),
        };
      }
      successes.push(
        message(
          {
            componentType: p.type,
            fileName: p.fileName,
            fullName: p.fullName,
            id: outcome.id || null,
            created: outcome.created,
            changed: outcome.changed,
          },
          createdDate,
        ),
      );
    }
  };
  if (apply) context.store.transaction(write);
  else write();

  successes.unshift(
    message(
      { componentType: '', fileName: 'package.xml', fullName: 'package.xml', changed: true },
      createdDate,
    ),
  );
  const success = failures.length === 0;
  return {
    status: success ? 'Succeeded' : rolledBack ? 'Failed' : 'SucceededPartial',
    success,
    errorMessage: null,
    errorStatusCode: null,
    componentSuccesses: successes,
    componentFailures: failures,
    numberComponentsTotal: members.length,
  };
}

/** Custom metadata types, then their fields, then everything else. */
function applyRank(p: Planned): number {
  if (p.type === 'CustomObject') return 0;
  if (p.type === 'CustomField') return 1;
  return 2;
}

/** What a component means to the org's data (schema of custom metadata types, records, queues, permission sets). */
function applyComponent(store: RecordStore, p: Planned): 'created' | 'changed' | 'unchanged' | undefined {
  switch (p.type) {
    case 'PermissionSet':
      applyPermissionSet(store, p.fullName, p.root);
      return undefined;
    case 'Queue':
      return applyQueue(store, p.fullName, p.root);
    case 'CustomMetadata':
      return applyRecord(store, parseRecordXml(p.fullName, p.definition));
    case 'CustomObject':
      return isCustomMetadataType(p.fullName)
        ? applyType(store, p.fullName, p.root, typeFields(p.root))
        : undefined;
    case 'CustomField': {
      const [object = ''] = p.fullName.split('.', 1);
      if (!isCustomMetadataType(object) || p.root === undefined) return undefined;
      return applyType(store, object, undefined, [customMetadataField(p.root)]);
    }
    default:
      return undefined;
  }
}

/** The fields of custom metadata types this deploy brings (in a CustomObject or as CustomFields), by `type.field`. */
function customMetadataFieldsIn(planned: Planned[]): Map<string, FieldDef> {
  const fields = new Map<string, FieldDef>();
  const add = (object: string, node: XmlNode): void => {
    try {
      const field = customMetadataField(node);
      fields.set(`${object}.${field.name}`.toLowerCase(), field);
    } catch (error) {
      if (!(error instanceof CustomMetadataError)) throw error; // reported by the component's own check
    }
  };
  for (const p of planned) {
    if (p.root === undefined) continue;
    if (p.type === 'CustomObject' && isCustomMetadataType(p.fullName)) {
      for (const node of children(p.root, 'fields')) add(p.fullName, node);
    }
    const [object = ''] = p.fullName.split('.', 1);
    if (p.type === 'CustomField' && isCustomMetadataType(object)) add(object, p.root);
  }
  return fields;
}

/** A custom metadata record's problems: its type and fields in the org or this deploy, values that fit. */
function recordProblems(
  context: DeployContext,
  p: Planned,
  inDeploy: Set<string>,
  deployedFields: Map<string, FieldDef>,
): string[] {
  try {
    const record = parseRecordXml(p.fullName, p.definition);
    const typeInDeploy = inDeploy.has(`CustomObject#${record.type.toLowerCase()}`);
    const schema = context.store.schema;
    const fieldOf = (type: string, name: string): FieldDef | undefined =>
      deployedFields.get(`${type}.${name}`.toLowerCase()) ?? schema.field(type, name);
    return checkRecord(schema, record, fieldOf, typeInDeploy).problems;
  } catch (error) {
    if (error instanceof CustomMetadataError) return [error.message];
    throw error;
  }
}

/** A deployed permission set is a `PermissionSet` record (name, label, description), created or updated. */
function applyPermissionSet(store: RecordStore, name: string, root: XmlNode | undefined): void {
  const fields = {
    Label: text(root, 'label') ?? name,
    Description: text(root, 'description')?.slice(0, 255) ?? null,
  };
  const [existing] = store.idsByField('PermissionSet', 'Name', name);
  if (existing) store.update('PermissionSet', existing, fields);
  else store.create('PermissionSet', { Name: name, ...fields });
}
