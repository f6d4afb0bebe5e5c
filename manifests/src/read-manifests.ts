/**
 * Reads the custom objects and fields of this Salesforce package (sfdx source format) into plain data,
 * so code outside Salesforce (the dev org, tests, tooling) can use the same schema the org gets.
 *
 * Only what a schema needs is read: objects, their name fields and sharing, and custom fields
 * ({@link readManifests}), and the custom metadata types with their records ({@link readCustomMetadata}).
 * Layouts, list views and permission sets are deploy-time concerns and are left out.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The package directory read when {@link readManifests} is called without one: `manifests/force-app`. */
export const DEFAULT_SOURCE_DIR: string = fileURLToPath(new URL('../force-app', import.meta.url));

/** Organization-wide default of a custom object (`<sharingModel>`), as the Metadata API spells it. */
export type SharingModel =
  | 'Private'
  | 'Read'
  | 'ReadSelect'
  | 'ReadWrite'
  | 'ReadWriteTransfer'
  | 'FullAccess'
  | 'ControlledByParent'
  | 'ControlledByCampaign'
  | 'ControlledByLeadOrContact';

/** What happens to a lookup when the record it points to is deleted (`<deleteConstraint>`). */
export type DeleteConstraint = 'SetNull' | 'Restrict' | 'Cascade';

/** The standard `Name` field of a custom object whose value the user (or API client) writes. */
export interface TextNameField {
  type: 'Text';
  /** Field label, e.g. `Persona Name`. */
  label: string;
}

/** The standard `Name` field of a custom object that the org numbers on insert. */
export interface AutoNumberNameField {
  type: 'AutoNumber';
  /** Field label, e.g. `Post Number`. */
  label: string;
  /** Salesforce display format, e.g. `SP-{0000000}`: literal text around a zero-padded counter. */
  displayFormat: string;
}

/** The standard `Name` field of a custom object (`<nameField>`). */
export type NameField = TextNameField | AutoNumberNameField;

/** One value of a picklist (`<valueSetDefinition><value>`). */
export interface PicklistValue {
  /** API value stored in the record, e.g. `bluesky`. */
  value: string;
  /** Label shown to users, e.g. `Bluesky`. */
  label: string;
  /** True for the value a new record gets when none is given. */
  default: boolean;
}

/** What every custom field has, whatever its type. */
export interface FieldBase {
  /** API name, e.g. `External_Id__c`. */
  name: string;
  /** Label shown to users. */
  label: string;
  /** Admin-facing description, if any. */
  description?: string;
  /** User-facing help text, if any. */
  inlineHelpText?: string;
  /**
   * True when every record must have a value. Always true for master-detail fields, always false for
   * checkboxes (they are never empty).
   */
  required: boolean;
  /** True when no two records may share a value (`<unique>`). */
  unique: boolean;
  /** True when the field is an external ID: indexed, and usable as an upsert key. */
  externalId: boolean;
  /**
   * For unique text fields: true when `ABC` and `abc` count as different values. False otherwise
   * (Salesforce compares unique text case-insensitively unless this is set).
   */
  caseSensitive: boolean;
}

/** `Text`: a single line of at most {@link TextField.length} characters. */
export interface TextField extends FieldBase {
  type: 'Text';
  /** Maximum number of characters (1 to 255). */
  length: number;
  /** Default value formula as written in the metadata (e.g. `"abc"`), if any. */
  defaultValue?: string;
}

/** `TextArea`: up to 255 characters on several lines. */
export interface TextAreaField extends FieldBase {
  type: 'TextArea';
  /** Default value formula as written in the metadata, if any. */
  defaultValue?: string;
}

/** `LongTextArea` (plain) or `Html` (rich text): long text that cannot be filtered or sorted on in SOQL. */
export interface LongTextAreaField extends FieldBase {
  type: 'LongTextArea' | 'Html';
  /** Maximum number of characters (256 to 131,072). */
  length: number;
  /** Lines shown in the edit box. */
  visibleLines: number;
}

/** `Number`, `Percent` or `Currency`: a decimal with fixed precision. */
export interface NumberField extends FieldBase {
  type: 'Number' | 'Percent' | 'Currency';
  /** Total number of digits, including those after the decimal point. */
  precision: number;
  /** Digits after the decimal point; `0` means an integer. */
  scale: number;
  /** Default value formula as written in the metadata (e.g. `0`), if any. */
  defaultValue?: string;
}

/** `Checkbox`: a boolean that is never null. */
export interface CheckboxField extends FieldBase {
  type: 'Checkbox';
  /** The value a new record gets when none is given. */
  defaultValue: boolean;
}

/** Types with no settings beyond the common ones: `Date`, `DateTime`, `Email`, `Phone`, `Url`. */
export interface PlainField extends FieldBase {
  type: 'Date' | 'DateTime' | 'Email' | 'Phone' | 'Url';
  /** Default value formula as written in the metadata (e.g. `NOW()`), if any. */
  defaultValue?: string;
}

/** `Picklist` (one value) or `MultiselectPicklist` (several values, stored joined by `;`). */
export interface PicklistField extends FieldBase {
  type: 'Picklist' | 'MultiselectPicklist';
  /** True when only the listed values are accepted (the API rejects others). */
  restricted: boolean;
  /** The values in display order. */
  values: PicklistValue[];
  /** API value of the value marked default, if one is. */
  defaultValue?: string;
  /** For multi-select picklists: lines shown in the edit box. */
  visibleLines?: number;
}

/** `Lookup` or `MasterDetail`: a reference to one record of {@link RelationshipField.referenceTo}. */
export interface RelationshipFieldBase extends FieldBase {
  /** API name of the object pointed to, e.g. `Contact` or `Social_Persona__c`. */
  referenceTo: string;
  /**
   * Child relationship name on the parent object, as written in the metadata (without `__r`), e.g.
   * `Social_Posts`: SOQL reaches the children from the parent with `Social_Posts__r`. (From the child,
   * the parent is reached with the field name ending in `__r`, e.g. `Contact__r`.)
   */
  relationshipName: string;
  /** Label of the related list on the parent, e.g. `Social Posts`, if given. */
  relationshipLabel?: string;
}

/** `Lookup`: an optional reference. */
export interface LookupField extends RelationshipFieldBase {
  type: 'Lookup';
  /** What happens to this field when the parent is deleted. Salesforce's default is `SetNull`. */
  deleteConstraint: DeleteConstraint;
}

/** `MasterDetail`: a required reference; the child is deleted with its parent. */
export interface MasterDetailField extends RelationshipFieldBase {
  type: 'MasterDetail';
  required: true;
}

/** Either kind of reference field. */
export type RelationshipField = LookupField | MasterDetailField;

/** A custom field. Switch on `type` to reach the settings of each kind. */
export type ManifestField =
  | TextField
  | TextAreaField
  | LongTextAreaField
  | NumberField
  | CheckboxField
  | PlainField
  | PicklistField
  | LookupField
  | MasterDetailField;

/** The field types the reader understands (Salesforce `<type>` values). */
export type ManifestFieldType = ManifestField['type'];

/** A custom object defined by this package (`objects/X__c/X__c.object-meta.xml` plus its fields). */
export interface CustomManifestObject {
  custom: true;
  /** API name, e.g. `Social_Post__c`. */
  name: string;
  /** Singular label, e.g. `Social Post`. */
  label: string;
  /** Plural label, e.g. `Social Posts`. */
  pluralLabel: string;
  /** Admin-facing description, if any. */
  description?: string;
  /** The standard `Name` field. */
  nameField: NameField;
  /** Organization-wide default access. */
  sharingModel: SharingModel;
  /** Custom fields, sorted by name. Standard fields (Id, Name, OwnerId, CreatedDate, ...) are not listed. */
  fields: ManifestField[];
}

/** A standard object (e.g. `Contact`) to which this package only adds custom fields. */
export interface StandardObjectExtension {
  custom: false;
  /** API name, e.g. `Contact`. */
  name: string;
  /** The custom fields this package adds, sorted by name. The object's own fields are not listed. */
  fields: ManifestField[];
}

/** An object of the package: one it defines, or a standard one it adds fields to. */
export type ManifestObject = CustomManifestObject | StandardObjectExtension;

/** A field value of a custom metadata record: text, number, checkbox, or null for a blank field. */
export type CustomMetadataValue = string | number | boolean | null;

/** One record of a custom metadata type (`customMetadata/<Type>.<Name>.md-meta.xml`). */
export interface CustomMetadataRecord {
  /** DeveloperName, e.g. `VIP_Complaints` (the file name after the type). */
  name: string;
  /** Label (MasterLabel), e.g. `VIP Complaints`. */
  label: string;
  /** Admin-facing description, if any. */
  description?: string;
  /** True for a protected record (only visible to code in its managed package's namespace). */
  protected: boolean;
  /**
   * A value for every custom field of the type, by field name: numbers for Number and Percent fields,
   * booleans for checkboxes, strings otherwise, null for a blank field.
   */
  values: Record<string, CustomMetadataValue>;
}

/**
 * A custom metadata type (`objects/X__mdt/X__mdt.object-meta.xml` plus its fields): configuration that
 * deploys with the package and that admins edit in Setup, Custom Metadata Types. Not an sObject of data,
 * so {@link readManifests} leaves it out.
 */
export interface CustomMetadataType {
  /** API name, e.g. `Social_Routing_Rule__mdt`. */
  name: string;
  /** Singular label. */
  label: string;
  /** Plural label. */
  pluralLabel: string;
  /** Admin-facing description, if any. */
  description?: string;
  /** Custom fields, sorted by name (the standard DeveloperName, MasterLabel, … are not listed). */
  fields: ManifestField[];
  /** The records of the type in the package, sorted by name. */
  records: CustomMetadataRecord[];
}

/** A queue of the package (`queues/<DeveloperName>.queue-meta.xml`). Its members are org data, not metadata. */
export interface ManifestQueue {
  /** DeveloperName (Queue Name), e.g. `Social_Support`. */
  name: string;
  /** Label (the Group's Name), e.g. `Social Support`. */
  label: string;
  /** The objects whose records the queue may own (QueueSobject), e.g. `['Social_Post__c']`. */
  sobjectTypes: string[];
  /** Whether members get an email when a record is added to the queue. */
  sendsEmailToMembers: boolean;
}

/** Thrown when a metadata file cannot be read; `file` says which one. */
export class ManifestReadError extends Error {
  /** Path of the offending file (or directory). */
  readonly file: string;

  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ManifestReadError';
    this.file = file;
  }
}

const FIELD_TYPES: ReadonlySet<string> = new Set<ManifestFieldType>([
  'Text',
  'TextArea',
  'LongTextArea',
  'Html',
  'Number',
  'Percent',
  'Currency',
  'Checkbox',
  'Date',
  'DateTime',
  'Email',
  'Phone',
  'Url',
  'Picklist',
  'MultiselectPicklist',
  'Lookup',
  'MasterDetail',
]);

const SHARING_MODELS: ReadonlySet<string> = new Set<SharingModel>([
  'Private',
  'Read',
  'ReadSelect',
  'ReadWrite',
  'ReadWriteTransfer',
  'FullAccess',
  'ControlledByParent',
  'ControlledByCampaign',
  'ControlledByLeadOrContact',
]);

const DELETE_CONSTRAINTS: ReadonlySet<string> = new Set<DeleteConstraint>(['SetNull', 'Restrict', 'Cascade']);

// Elements that may repeat; everything else is read as a single value.
const REPEATED = new Set(['value', 'queueSobject']);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName) => REPEATED.has(tagName),
});

/** A parsed XML element: text for leaves, a record for elements with children. */
type Node = string | { [key: string]: Node | Node[] };

/**
 * Reads every object and custom field under `dir` into plain data. Custom metadata types (`X__mdt`) are
 * configuration, not sObjects: {@link readCustomMetadata} reads them.
 *
 * `dir` is a package directory in sfdx source format (`force-app`), or any folder above or inside it:
 * every folder named `objects` under it is read, so `force-app/main/default` works too. Objects defined
 * in several folders are merged.
 *
 * @param dir package directory; defaults to {@link DEFAULT_SOURCE_DIR} (this package's `force-app`)
 * @returns the objects sorted by name, custom objects and standard-object extensions alike
 * @throws {ManifestReadError} when a file is not well-formed XML, has an unexpected root element, misses a
 *   required setting, uses a field type the reader does not know, or repeats a field
 */
export function readManifests(dir: string = DEFAULT_SOURCE_DIR): ManifestObject[] {
  if (!isDirectory(dir)) throw new ManifestReadError(dir, 'not a directory');
  const objects = new Map<
    string,
    { dir: string; file?: string; data?: Record<string, Node>; fields: Map<string, ManifestField> }
  >();

  for (const objectsDir of findDirs(dir, 'objects')) {
    for (const name of readdirSync(objectsDir).sort()) {
      const objectDir = join(objectsDir, name);
      if (!isDirectory(objectDir) || isMetadataTypeName(name)) continue;
      let entry = objects.get(name);
      if (!entry) {
        entry = { dir: objectDir, fields: new Map() };
        objects.set(name, entry);
      }
      const objectFile = join(objectDir, `${name}.object-meta.xml`);
      if (isFile(objectFile)) {
        if (entry.file)
          throw new ManifestReadError(objectFile, `object ${name} is also defined in ${entry.file}`);
        entry.file = objectFile;
        entry.data = parseMetadata(objectFile, 'CustomObject');
      }
      const fieldsDir = join(objectDir, 'fields');
      if (!isDirectory(fieldsDir)) continue;
      for (const file of readdirSync(fieldsDir).sort()) {
        if (!file.endsWith('.field-meta.xml')) continue;
        const path = join(fieldsDir, file);
        const field = readField(path, basename(file, '.field-meta.xml'));
        if (entry.fields.has(field.name))
          throw new ManifestReadError(path, `field ${name}.${field.name} is defined twice`);
        entry.fields.set(field.name, field);
      }
    }
  }

  const result: ManifestObject[] = [];
  for (const [name, entry] of [...objects].sort(([a], [b]) => compare(a, b))) {
    const fields = [...entry.fields.values()].sort((a, b) => compare(a.name, b.name));
    const isCustom = /__c$/.test(name);
    if (!isCustom) {
      result.push({ custom: false, name, fields });
      continue;
    }
    if (!entry.file || !entry.data) {
      throw new ManifestReadError(entry.dir, `custom object ${name} has no ${name}.object-meta.xml`);
    }
    result.push(readObject(entry.file, entry.data, name, fields));
  }
  return result;
}

/**
 * Reads the custom metadata types under `dir` (`objects/X__mdt/`) with their fields, and their records
 * (`customMetadata/X.Name.md-meta.xml`), into plain data.
 *
 * @param dir package directory, or a folder above or inside it; defaults to {@link DEFAULT_SOURCE_DIR}
 * @returns the types sorted by name, each with its records sorted by name
 * @throws {ManifestReadError} for anything {@link readManifests} would reject, a record of a type that is
 *   not in the package, a value for a field the type does not have, or a value that does not fit its field
 */
export function readCustomMetadata(dir: string = DEFAULT_SOURCE_DIR): CustomMetadataType[] {
  if (!isDirectory(dir)) throw new ManifestReadError(dir, 'not a directory');
  const types = new Map<string, CustomMetadataType>();
  for (const objectsDir of findDirs(dir, 'objects')) {
    for (const name of readdirSync(objectsDir).sort()) {
      const objectDir = join(objectsDir, name);
      if (!isDirectory(objectDir) || !isMetadataTypeName(name)) continue;
      const objectFile = join(objectDir, `${name}.object-meta.xml`);
      if (!isFile(objectFile))
        throw new ManifestReadError(objectDir, `custom metadata type ${name} has no ${name}.object-meta.xml`);
      if (types.has(name)) throw new ManifestReadError(objectFile, `type ${name} is defined twice`);
      const get = reader(objectFile, parseMetadata(objectFile, 'CustomObject'));
      const fields: ManifestField[] = [];
      const fieldsDir = join(objectDir, 'fields');
      if (isDirectory(fieldsDir)) {
        for (const file of readdirSync(fieldsDir).sort()) {
          if (file.endsWith('.field-meta.xml'))
            fields.push(readField(join(fieldsDir, file), basename(file, '.field-meta.xml')));
        }
      }
      types.set(name, {
        name,
        label: get.text('label'),
        pluralLabel: get.text('pluralLabel'),
        ...optional('description', get.optionalText('description')),
        fields: fields.sort((a, b) => compare(a.name, b.name)),
        records: [],
      });
    }
  }
  for (const recordsDir of findDirs(dir, 'customMetadata')) {
    for (const file of readdirSync(recordsDir).sort()) {
      if (!file.endsWith('.md-meta.xml')) continue;
      const path = join(recordsDir, file);
      const [typeName = '', recordName = ''] = basename(file, '.md-meta.xml').split('.');
      const type = types.get(`${typeName}__mdt`);
      if (!type || !recordName)
        throw new ManifestReadError(path, `no custom metadata type ${typeName}__mdt in the package`);
      if (type.records.some((r) => r.name === recordName))
        throw new ManifestReadError(path, `record ${typeName}.${recordName} is defined twice`);
      type.records.push(readRecord(path, recordName, type));
    }
  }
  const result = [...types.values()].sort((a, b) => compare(a.name, b.name));
  for (const type of result) type.records.sort((a, b) => compare(a.name, b.name));
  return result;
}

// Records name their values' types with xsi:type attributes and blanks with xsi:nil.
const recordParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName) => tagName === 'values',
});

function readRecord(file: string, name: string, type: CustomMetadataType): CustomMetadataRecord {
  const xml = readFileSync(file, 'utf8');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new ManifestReadError(file, `not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`);
  }
  const doc = recordParser.parse(xml) as Record<string, unknown>;
  const root = doc['CustomMetadata'];
  if (!isRecord(root as Node)) throw new ManifestReadError(file, 'expected a <CustomMetadata> root element');
  const data = root as Record<string, Node>;
  const get = reader(file, data);
  const values: Record<string, CustomMetadataValue> = Object.fromEntries(
    type.fields.map((f) => [f.name, null]),
  );
  for (const entry of (data['values'] ?? []) as Node[]) {
    if (!isRecord(entry)) throw new ManifestReadError(file, '<values> without <field>');
    const fieldName = reader(file, entry).text('field');
    const field = type.fields.find((f) => f.name === fieldName);
    if (!field) throw new ManifestReadError(file, `${type.name} has no field ${fieldName}`);
    values[fieldName] = recordValue(file, field, entry['value']);
  }
  return {
    name,
    label: get.text('label'),
    ...optional('description', get.optionalText('description')),
    protected: get.bool('protected', false),
    values,
  };
}

/** A record value as the field's type reads it; `<value xsi:nil="true"/>` (or none) is null. */
function recordValue(
  file: string,
  field: ManifestField,
  node: Node | Node[] | undefined,
): CustomMetadataValue {
  if (Array.isArray(node)) throw new ManifestReadError(file, `${field.name} has more than one <value>`);
  const raw = isRecord(node) ? node['#text'] : node;
  if (isRecord(node) && node['@_xsi:nil'] === 'true') return null;
  if (raw === undefined || raw === '') return null;
  if (typeof raw !== 'string') throw new ManifestReadError(file, `${field.name}: <value> must hold text`);
  switch (field.type) {
    case 'Checkbox':
      if (raw !== 'true' && raw !== 'false')
        throw new ManifestReadError(file, `${field.name} must be true or false, not ${raw}`);
      return raw === 'true';
    case 'Number':
    case 'Percent':
    case 'Currency': {
      const n = Number(raw);
      if (!Number.isFinite(n))
        throw new ManifestReadError(file, `${field.name} must be a number, not ${raw}`);
      return n;
    }
    default:
      return raw;
  }
}

/**
 * Reads the queues under `dir` (`queues/*.queue-meta.xml`), sorted by name.
 *
 * @param dir package directory, or a folder above or inside it; defaults to {@link DEFAULT_SOURCE_DIR}
 * @throws {ManifestReadError} for a file that is not a well-formed `<Queue>` with a name and at least one
 *   `<queueSobject>`
 */
export function readQueues(dir: string = DEFAULT_SOURCE_DIR): ManifestQueue[] {
  if (!isDirectory(dir)) throw new ManifestReadError(dir, 'not a directory');
  const queues: ManifestQueue[] = [];
  for (const queuesDir of findDirs(dir, 'queues')) {
    for (const file of readdirSync(queuesDir).sort()) {
      if (!file.endsWith('.queue-meta.xml')) continue;
      const path = join(queuesDir, file);
      const data = parseMetadata(path, 'Queue');
      const get = reader(path, data);
      const raw = data['queueSobject'];
      const sobjects = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((node) => {
        if (!isRecord(node)) throw new ManifestReadError(path, '<queueSobject> without <sobjectType>');
        return reader(path, node).text('sobjectType');
      });
      if (sobjects.length === 0)
        throw new ManifestReadError(path, 'a queue needs at least one <queueSobject>');
      queues.push({
        name: basename(file, '.queue-meta.xml'),
        label: get.text('name'),
        sobjectTypes: sobjects,
        sendsEmailToMembers: get.bool('doesSendEmailToMembers', false),
      });
    }
  }
  return queues.sort((a, b) => compare(a.name, b.name));
}

/** Custom metadata types end in `__mdt`. */
function isMetadataTypeName(name: string): boolean {
  return /__mdt$/.test(name);
}

function readObject(
  file: string,
  data: Record<string, Node>,
  name: string,
  fields: ManifestField[],
): CustomManifestObject {
  const get = reader(file, data);
  const sharingModel = get.text('sharingModel');
  if (!SHARING_MODELS.has(sharingModel))
    throw new ManifestReadError(file, `unknown sharingModel ${sharingModel}`);
  const nameNode = data['nameField'];
  if (!isRecord(nameNode)) throw new ManifestReadError(file, 'missing <nameField>');
  const nf = reader(file, nameNode);
  const nameType = nf.text('type');
  let nameField: NameField;
  if (nameType === 'AutoNumber') {
    nameField = { type: 'AutoNumber', label: nf.text('label'), displayFormat: nf.text('displayFormat') };
  } else if (nameType === 'Text') {
    nameField = { type: 'Text', label: nf.text('label') };
  } else {
    throw new ManifestReadError(file, `nameField type must be Text or AutoNumber, not ${nameType}`);
  }
  return {
    custom: true,
    name,
    label: get.text('label'),
    pluralLabel: get.text('pluralLabel'),
    ...optional('description', get.optionalText('description')),
    nameField,
    sharingModel: sharingModel as SharingModel,
    fields,
  };
}

function readField(file: string, nameFromFile: string): ManifestField {
  const data = parseMetadata(file, 'CustomField');
  const get = reader(file, data);
  const fullName = get.optionalText('fullName');
  if (fullName !== undefined && fullName !== nameFromFile) {
    throw new ManifestReadError(file, `<fullName>${fullName}</fullName> does not match the file name`);
  }
  if (data['formula'] !== undefined) {
    throw new ManifestReadError(file, 'formula fields are not supported by readManifests; extend it first');
  }
  const type = get.text('type');
  if (!FIELD_TYPES.has(type)) {
    throw new ManifestReadError(
      file,
      `field type ${type} is not supported by readManifests; extend it first`,
    );
  }
  const base: FieldBase = {
    name: nameFromFile,
    label: get.text('label'),
    ...optional('description', get.optionalText('description')),
    ...optional('inlineHelpText', get.optionalText('inlineHelpText')),
    required: get.bool('required', false),
    unique: get.bool('unique', false),
    externalId: get.bool('externalId', false),
    caseSensitive: get.bool('caseSensitive', false),
  };
  const defaultValue = optional('defaultValue', get.optionalText('defaultValue'));

  switch (type as ManifestFieldType) {
    case 'Text':
      return { ...base, type: 'Text', length: get.int('length'), ...defaultValue };
    case 'TextArea':
      return { ...base, type: 'TextArea', ...defaultValue };
    case 'LongTextArea':
    case 'Html':
      return {
        ...base,
        type: type as LongTextAreaField['type'],
        length: get.int('length'),
        visibleLines: get.int('visibleLines'),
      };
    case 'Number':
    case 'Percent':
    case 'Currency':
      return {
        ...base,
        type: type as NumberField['type'],
        precision: get.int('precision'),
        scale: get.int('scale'),
        ...defaultValue,
      };
    case 'Checkbox':
      return { ...base, type: 'Checkbox', required: false, defaultValue: get.bool('defaultValue', false) };
    case 'Date':
    case 'DateTime':
    case 'Email':
    case 'Phone':
    case 'Url':
      return { ...base, type: type as PlainField['type'], ...defaultValue };
    case 'Picklist':
    case 'MultiselectPicklist':
      return readPicklist(file, data, base, type as PicklistField['type']);
    case 'Lookup': {
      const deleteConstraint = get.optionalText('deleteConstraint') ?? 'SetNull';
      if (!DELETE_CONSTRAINTS.has(deleteConstraint)) {
        throw new ManifestReadError(file, `unknown deleteConstraint ${deleteConstraint}`);
      }
      return {
        ...base,
        type: 'Lookup',
        referenceTo: get.text('referenceTo'),
        relationshipName: get.text('relationshipName'),
        ...optional('relationshipLabel', get.optionalText('relationshipLabel')),
        deleteConstraint: deleteConstraint as DeleteConstraint,
      };
    }
    case 'MasterDetail':
      return {
        ...base,
        type: 'MasterDetail',
        required: true,
        referenceTo: get.text('referenceTo'),
        relationshipName: get.text('relationshipName'),
        ...optional('relationshipLabel', get.optionalText('relationshipLabel')),
      };
  }
}

function readPicklist(
  file: string,
  data: Record<string, Node>,
  base: FieldBase,
  type: PicklistField['type'],
): PicklistField {
  const valueSet = data['valueSet'];
  if (!isRecord(valueSet)) throw new ManifestReadError(file, 'picklist without <valueSet>');
  if (valueSet['valueSetName'] !== undefined) {
    throw new ManifestReadError(
      file,
      'global value sets are not supported by readManifests; extend it first',
    );
  }
  const definition = valueSet['valueSetDefinition'];
  if (!isRecord(definition)) throw new ManifestReadError(file, 'picklist without <valueSetDefinition>');
  const rawValues = definition['value'] ?? [];
  const values: PicklistValue[] = (Array.isArray(rawValues) ? rawValues : [rawValues]).map((node) => {
    if (!isRecord(node)) throw new ManifestReadError(file, 'picklist <value> without <fullName>');
    const v = reader(file, node);
    const value = v.text('fullName');
    return { value, label: v.optionalText('label') ?? value, default: v.bool('default', false) };
  });
  if (values.length === 0) throw new ManifestReadError(file, 'picklist without values');
  const seen = new Set<string>();
  for (const { value } of values) {
    if (seen.has(value)) throw new ManifestReadError(file, `picklist value ${value} is listed twice`);
    seen.add(value);
  }
  const get = reader(file, data);
  const defaultValue = values.find((v) => v.default)?.value;
  const visibleLines = get.optionalText('visibleLines') === undefined ? undefined : get.int('visibleLines');
  return {
    ...base,
    type,
    restricted: reader(file, valueSet).bool('restricted', false),
    values,
    ...optional('defaultValue', defaultValue),
    ...optional('visibleLines', visibleLines),
  };
}

/** Parses a metadata file and returns the content of its root element, checking the root's name. */
function parseMetadata(file: string, root: string): Record<string, Node> {
  const xml = readFileSync(file, 'utf8');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new ManifestReadError(file, `not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`);
  }
  const doc = parser.parse(xml) as Record<string, unknown>;
  const content = doc[root];
  if (content === undefined) throw new ManifestReadError(file, `expected a <${root}> root element`);
  // An empty root (<CustomField/>) parses as ''; treat it as having no settings.
  return isRecord(content as Node) ? (content as Record<string, Node>) : {};
}

/** Typed access to the leaf settings of one element, with errors naming the file. */
function reader(file: string, node: Record<string, Node | Node[]>) {
  const optionalText = (key: string): string | undefined => {
    const value = node[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new ManifestReadError(file, `<${key}> must hold text`);
    return value;
  };
  const text = (key: string): string => {
    const value = optionalText(key);
    if (value === undefined || value === '') throw new ManifestReadError(file, `missing <${key}>`);
    return value;
  };
  return {
    optionalText,
    text,
    bool(key: string, fallback: boolean): boolean {
      const value = optionalText(key);
      if (value === undefined) return fallback;
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw new ManifestReadError(file, `<${key}> must be true or false, not ${value}`);
    },
    int(key: string): number {
      const value = text(key);
      if (!/^\d+$/.test(value))
        throw new ManifestReadError(file, `<${key}> must be a whole number, not ${value}`);
      return Number(value);
    },
  };
}

/** `{ [key]: value }` when value is defined, `{}` otherwise (keeps optional properties absent). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function isRecord(node: Node | Node[] | undefined): node is Record<string, Node> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** Every folder named `folder` at or under `dir` (not looking inside one it found). */
function findDirs(dir: string, folder: string): string[] {
  if (basename(dir) === folder) return [dir];
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const path = join(dir, name);
    if (isDirectory(path)) found.push(...findDirs(path, folder));
  }
  return found;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

// Locale-independent, so the order is the same on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
