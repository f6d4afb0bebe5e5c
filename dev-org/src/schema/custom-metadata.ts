/**
 * Custom metadata types (`X__mdt`) as an org describes them: queryable objects whose records are
 * configuration (routing rules, reply-time targets), written only by metadata deploys. Each type has the
 * standard fields of a custom metadata type (DeveloperName, MasterLabel, Label, Language, NamespacePrefix,
 * QualifiedApiName) and its custom fields; nothing is createable, updateable or deletable through the
 * data APIs ("DML operations on custom metadata aren't allowed using the Partner or Enterprise APIs",
 * Metadata API Developer Guide, Custom Metadata Types (CustomObject)).
 *
 * At start-up the types come from manifests/ (`readCustomMetadata`, like the custom objects); a metadata
 * deploy may create a type or add fields to one (`objects/X__mdt.object` with its `<fields>`), which this
 * module turns into the same describe.
 */
import type { FieldDef, ObjectDef } from './model.ts';
import { field } from './standard-objects.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A parsed XML element: text, or child elements by name. */
export type Xml = string | { [name: string]: Xml | Xml[] | undefined };

export class CustomMetadataError extends Error {
  override name = 'CustomMetadataError';
}

export function isCustomMetadataType(name: string): boolean {
  return /__mdt$/i.test(name);
}

function first(node: Xml | undefined, name: string): Xml | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const value = node[name];
  return Array.isArray(value) ? value[0] : value;
}

function textOf(node: Xml | undefined, name: string): string | undefined {
  const value = first(node, name);
  return typeof value === 'string' ? value : undefined;
}

function all(node: Xml | undefined, name: string): Xml[] {
  if (node === undefined || typeof node === 'string') return [];
  const value = node[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The key prefix of the `index`-th custom metadata type (`m00`, `m01`, …), as orgs number them. */
export function customMetadataKeyPrefix(index: number): string {
  return `m0${BASE62[index % 62]}`;
}

/** The standard fields every custom metadata type has, in describe order. */
function standardFields(): FieldDef[] {
  const readOnly = { createable: false, updateable: false } as const;
  return [
    field({ name: 'Id', label: 'Custom Metadata Record ID', type: 'id' }),
    field({
      ...readOnly,
      name: 'DeveloperName',
      label: 'Custom Metadata Record Name',
      type: 'string',
      length: 40,
      nillable: false,
    }),
    field({
      ...readOnly,
      name: 'MasterLabel',
      label: 'Label',
      type: 'string',
      length: 40,
      nillable: false,
      nameField: true,
    }),
    field({
      ...readOnly,
      name: 'Language',
      label: 'Master Language',
      type: 'picklist',
      length: 40,
      picklistValues: ['en_US'],
    }),
    field({ ...readOnly, name: 'NamespacePrefix', label: 'Namespace Prefix', type: 'string', length: 15 }),
    field({ ...readOnly, name: 'Label', label: 'Label', type: 'string', length: 40 }),
    field({ ...readOnly, name: 'QualifiedApiName', label: 'Qualified API Name', type: 'string', length: 70 }),
    field({
      ...readOnly,
      name: 'SystemModstamp',
      label: 'System Modstamp',
      type: 'datetime',
      nillable: false,
    }),
  ];
}

const BOOL = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined ? fallback : value === 'true';

/**
 * One `<CustomField>` of a custom metadata type → its describe. Throws CustomMetadataError for a type the
 * dev org does not model (MetadataRelationship, formulas).
 */
export function customMetadataField(node: Xml, nameHint?: string): FieldDef {
  const name = textOf(node, 'fullName') ?? nameHint;
  if (!name) throw new CustomMetadataError('a custom metadata field has no fullName');
  const type = textOf(node, 'type') ?? '';
  const base = {
    name,
    label: textOf(node, 'label') ?? name,
    nillable: !BOOL(textOf(node, 'required'), false),
    unique: BOOL(textOf(node, 'unique'), false),
    externalId: BOOL(textOf(node, 'externalId'), false),
    caseSensitive: BOOL(textOf(node, 'caseSensitive'), false),
    custom: true,
    // Values come from deploys only.
    createable: false,
    updateable: false,
  };
  const int = (key: string, fallback: number): number => {
    const value = textOf(node, key);
    return value === undefined ? fallback : Number(value);
  };
  switch (type) {
    case 'Text':
      return field({ ...base, type: 'string', length: int('length', 255) });
    case 'TextArea':
      return field({ ...base, type: 'textarea', length: 255 });
    case 'LongTextArea':
      return field({ ...base, type: 'textarea', length: int('length', 32768) });
    case 'Number':
      return field({ ...base, type: 'double', precision: int('precision', 18), scale: int('scale', 0) });
    case 'Percent':
      return field({ ...base, type: 'percent', precision: int('precision', 18), scale: int('scale', 0) });
    case 'Checkbox':
      return field({
        ...base,
        type: 'boolean',
        nillable: false,
        defaultValue: BOOL(textOf(node, 'defaultValue'), false),
      });
    case 'Date':
      return field({ ...base, type: 'date' });
    case 'DateTime':
      return field({ ...base, type: 'datetime' });
    case 'Email':
      return field({ ...base, type: 'email' });
    case 'Phone':
      return field({ ...base, type: 'phone' });
    case 'Url':
      return field({ ...base, type: 'url' });
    case 'Picklist': {
      const definition = first(first(node, 'valueSet'), 'valueSetDefinition');
      const values = all(definition, 'value').map((v) => ({
        value: textOf(v, 'fullName') ?? '',
        label: textOf(v, 'label') ?? textOf(v, 'fullName') ?? '',
        defaultValue: BOOL(textOf(v, 'default'), false),
        active: true,
      }));
      return field({
        ...base,
        type: 'picklist',
        picklistValues: values,
        restrictedPicklist: BOOL(textOf(first(node, 'valueSet'), 'restricted'), false),
      });
    }
    default:
      throw new CustomMetadataError(
        `${name}: the dev org does not model custom metadata fields of type ${type || '(none)'}`,
      );
  }
}

/** The labels a `<CustomObject>` element gives a custom metadata type (its name's words when it has none). */
export function customMetadataLabels(
  name: string,
  root: Xml | undefined,
): { label: string; pluralLabel: string } {
  const label = textOf(root, 'label') ?? name.replace(/__mdt$/i, '').replaceAll('_', ' ');
  return { label, pluralLabel: textOf(root, 'pluralLabel') ?? label };
}

/** A custom metadata type: its standard fields, then its custom fields by name. */
export function customMetadataType(
  name: string,
  labels: { label: string; pluralLabel: string },
  fields: FieldDef[],
  keyPrefix: string,
): ObjectDef {
  return {
    name,
    label: labels.label,
    labelPlural: labels.pluralLabel,
    keyPrefix,
    custom: true,
    customMetadata: true,
    createable: false,
    updateable: false,
    deletable: false,
    fields: [
      ...standardFields(),
      ...[...fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ],
    childRelationships: [],
  };
}
