/**
 * Custom metadata records and types in the org: the package's records (manifests/`customMetadata/`) put in
 * place at start-up, and what a metadata deploy does with `CustomMetadata` components (a record: created,
 * or its label and values replaced) and `CustomObject` / `CustomField` components of an `X__mdt` type (the
 * type created, relabelled or given new fields).
 *
 * Records are rows of the type's table, keyed by DeveloperName; they are written as the org writes them
 * (`system`), since no data API may (record-store.ts refuses DML on custom metadata types).
 */
import { readCustomMetadata, type CustomMetadataValue } from '@socialcrm/manifests';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SalesforceError } from '../errors.ts';
import {
  customMetadataField,
  customMetadataKeyPrefix,
  customMetadataLabels,
  customMetadataType,
  CustomMetadataError,
  isCustomMetadataType,
  type Xml,
} from '../schema/custom-metadata.ts';
import type { FieldDef, ObjectDef, Schema } from '../schema/model.ts';
import type { RecordStore } from '../store/record-store.ts';
import { createTables } from '../store/tables.ts';
import { toStoredValue } from '../store/values.ts';

/** A record as a deploy or the package states it: every value it gives, by field name. */
export interface CustomMetadataRecordInput {
  /** `Social_Routing_Rule__mdt`. */
  type: string;
  /** `VIP_Complaints`. */
  developerName: string;
  label: string;
  values: Record<string, CustomMetadataValue>;
}

export type ApplyOutcome = 'created' | 'changed' | 'unchanged';

/** `Social_Routing_Rule.VIP_Complaints` → the type and record names, or undefined. */
export function splitRecordName(fullName: string): { type: string; developerName: string } | undefined {
  const match = /^([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z][A-Za-z0-9_]*)$/.exec(fullName);
  if (!match) return undefined;
  return { type: `${match[1]}__mdt`, developerName: match[2]! };
}

// Records name their values' types with xsi:type and blanks with xsi:nil; prefixes are dropped.
const recordParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'values',
});

/**
 * A `<CustomMetadata>` file (`customMetadata/<Type>.<Name>.md`) → the record it states. Values stay text
 * (`xsi:nil` → null) until `checkRecord` reads them with their fields' types.
 */
export function parseRecordXml(fullName: string, xml: string): CustomMetadataRecordInput {
  const names = splitRecordName(fullName);
  if (!names) throw new CustomMetadataError(`${fullName} is not a custom metadata record name (Type.Record)`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new CustomMetadataError(`Error parsing file: ${valid.err.msg}`);
  const doc = recordParser.parse(xml) as Record<string, unknown>;
  const root = doc['CustomMetadata'] as Record<string, unknown> | undefined;
  if (typeof root !== 'object' || root === null) {
    throw new CustomMetadataError('Error parsing file: the root element must be CustomMetadata');
  }
  const values: Record<string, CustomMetadataValue> = {};
  for (const entry of (root['values'] ?? []) as Record<string, unknown>[]) {
    const field = typeof entry['field'] === 'string' ? entry['field'] : '';
    if (!field) throw new CustomMetadataError('Required field is missing: field (in values)');
    const node = entry['value'];
    let value: string | null;
    if (node === undefined || node === '') value = null;
    else if (typeof node === 'string') value = node;
    else {
      const element = node as Record<string, unknown>;
      value =
        element['@_nil'] === 'true' ? null : typeof element['#text'] === 'string' ? element['#text'] : '';
    }
    values[field] = value;
  }
  const label = typeof root['label'] === 'string' ? root['label'] : '';
  if (!label) throw new CustomMetadataError('Required field is missing: label');
  return { ...names, label, values };
}

/** A value as the field stores it; throws CustomMetadataError naming the field for one that does not fit. */
function storedValue(object: ObjectDef, field: FieldDef, value: CustomMetadataValue): string | number | null {
  let given: unknown = value;
  if (typeof value === 'string') {
    if (field.type === 'boolean') {
      if (value !== 'true' && value !== 'false') {
        throw new CustomMetadataError(`${field.name}: ${value} is not a valid value for a Checkbox`);
      }
      given = value === 'true';
    } else if (['double', 'int', 'percent', 'currency'].includes(field.type)) {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) {
        throw new CustomMetadataError(`${field.name}: ${value} is not a valid value for a Number`);
      }
      given = n;
    }
  }
  try {
    return toStoredValue(object, field, given);
  } catch (error) {
    if (error instanceof SalesforceError) throw new CustomMetadataError(`${field.name}: ${error.message}`);
    throw error;
  }
}

/**
 * What a record would be stored as (its fields by name), or problems in the org's words. `fieldOf` finds a
 * field of the type in the org or in the same deploy.
 */
export function checkRecord(
  schema: Schema,
  record: CustomMetadataRecordInput,
  fieldOf: (type: string, name: string) => FieldDef | undefined = (type, name) => schema.field(type, name),
  typeInDeploy = false,
): { problems: string[]; fields: Record<string, string | number | null> } {
  const object = schema.object(record.type);
  if (!object && !typeInDeploy) {
    return { problems: [`In field: type - no CustomObject named ${record.type} found`], fields: {} };
  }
  const problems: string[] = [];
  const fields: Record<string, string | number | null> = {};
  for (const [name, value] of Object.entries(record.values)) {
    const field = fieldOf(record.type, name);
    if (!field || !field.custom) {
      problems.push(`In field: field - no CustomField named ${record.type}.${name} found`);
      continue;
    }
    try {
      fields[field.name] = storedValue(object ?? ({ name: record.type } as ObjectDef), field, value);
    } catch (error) {
      if (!(error instanceof CustomMetadataError)) throw error;
      problems.push(error.message);
    }
  }
  if ([...record.label].length > 40)
    problems.push(`label: data value too large: ${record.label} (max length=40)`);
  return { problems, fields };
}

/**
 * Creates or replaces one record (values not stated become blank, as a deploy of the record means).
 * Nothing is written when the record already holds exactly this.
 */
export function applyRecord(store: RecordStore, record: CustomMetadataRecordInput): ApplyOutcome {
  const object = store.schema.object(record.type);
  if (!object) throw new Error(`no custom metadata type ${record.type}`);
  const { problems, fields: given } = checkRecord(store.schema, record);
  if (problems.length > 0) throw new CustomMetadataError(problems.join('; '));
  const wanted: Record<string, string | number | null> = {
    MasterLabel: record.label,
    Label: record.label,
    QualifiedApiName: record.developerName,
    Language: 'en_US',
  };
  for (const field of object.fields) {
    if (!field.custom) continue;
    wanted[field.name] = field.name in given ? given[field.name]! : toStoredValue(object, field, null);
  }
  const [id] = store.idsByField(object.name, 'DeveloperName', record.developerName);
  if (!id) {
    store.create(
      object.name,
      { DeveloperName: record.developerName, ...apiValues(object, wanted) },
      {
        system: true,
      },
    );
    return 'created';
  }
  const row = store.getStored(object, id);
  const changed = Object.entries(wanted).filter(([name, value]) => (row?.[name] ?? null) !== value);
  if (changed.length === 0) return 'unchanged';
  store.update(object.name, id, apiValues(object, Object.fromEntries(changed)), { system: true });
  return 'changed';
}

/** Stored values → what the record store takes (booleans as booleans). */
function apiValues(
  object: ObjectDef,
  stored: Record<string, string | number | null>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(stored).map(([name, value]) => {
      const field = object.fields.find((f) => f.name === name);
      return [name, field?.type === 'boolean' ? value === 1 : value];
    }),
  );
}

/**
 * Puts the package's records (manifests/`customMetadata/`) in the org: each record is created, or set to
 * what the package says. Records the package does not have (a deploy's) are left alone.
 */
export function syncPackageRecords(
  store: RecordStore,
  sourceDir?: string,
): { created: number; changed: number } {
  const counts = { created: 0, changed: 0 };
  store.transaction(() => {
    for (const type of readCustomMetadata(sourceDir)) {
      if (!store.schema.object(type.name)) continue;
      for (const record of type.records) {
        const outcome = applyRecord(store, {
          type: type.name,
          developerName: record.name,
          label: record.label,
          values: record.values,
        });
        if (outcome === 'created') counts.created += 1;
        if (outcome === 'changed') counts.changed += 1;
      }
    }
  });
  return counts;
}

/** The `<fields>` of a deployed `<CustomObject>` of a custom metadata type, as describes. */
export function typeFields(root: Xml | undefined): FieldDef[] {
  if (root === undefined || typeof root === 'string') return [];
  const raw = root['fields'];
  const nodes = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return nodes.map((node) => customMetadataField(node));
}

/** Problems of a deployed field of a custom metadata type: one the dev org cannot model, or a type change. */
export function fieldProblems(schema: Schema, objectName: string, node: Xml): string[] {
  let field: FieldDef;
  try {
    field = customMetadataField(node);
  } catch (error) {
    if (error instanceof CustomMetadataError) return [error.message];
    throw error;
  }
  const existing = schema.field(objectName, field.name);
  if (existing && existing.type !== field.type) {
    return [`Cannot change the type of ${objectName}.${field.name} from ${existing.type} to ${field.type}`];
  }
  return [];
}

/** Creates a custom metadata type, or relabels one and adds (or redefines) the fields given. */
export function applyType(
  store: RecordStore,
  name: string,
  root: Xml | undefined,
  fields: FieldDef[],
): ApplyOutcome {
  const schema = store.schema;
  const existing = schema.object(name);
  if (!isCustomMetadataType(name)) throw new Error(`${name} is not a custom metadata type`);
  let outcome: ApplyOutcome = 'unchanged';
  if (!existing) {
    const used = new Set(schema.objects().map((o) => o.keyPrefix));
    let index = 0;
    while (used.has(customMetadataKeyPrefix(index))) index += 1;
    schema.addObject(
      customMetadataType(name, customMetadataLabels(name, root), fields, customMetadataKeyPrefix(index)),
    );
    outcome = 'created';
  } else {
    if (root !== undefined) {
      const labels = customMetadataLabels(name, root);
      if (labels.label !== existing.label || labels.pluralLabel !== existing.labelPlural) {
        existing.label = labels.label;
        existing.labelPlural = labels.pluralLabel;
        outcome = 'changed';
      }
    }
    for (const field of fields) {
      const current = schema.field(name, field.name);
      if (current && JSON.stringify(current) === JSON.stringify(field)) continue;
      schema.putField(name, field);
      outcome = 'changed';
    }
  }
  createTables(store.db, schema);
  return outcome;
}
