/**
 * The checks a Salesforce org makes before it accepts a component, for the types the dev org holds: every
 * object, field, tab and app a component names must exist (in the org, or in the same deploy), with the
 * org's own wording ("In field: field - no CustomField named Social_Post__c.Foo__c found"). Objects and
 * fields cannot be created at run time: the dev org's schema is read from manifests/ when it starts, so a
 * deployed object or field must be one it already has, of the same type.
 */
import { isCustomMetadataType } from '../schema/custom-metadata.ts';
import type { FieldType, Schema } from '../schema/model.ts';
import { fieldProblems } from './custom-metadata.ts';

/** A parsed XML element: text, or child elements by name (one or many). */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] | undefined };

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (node === undefined || typeof node === 'string') return [];
  const value = node[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function text(node: XmlNode | undefined, name: string): string | undefined {
  const [first] = children(node, name);
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : undefined;
}

export function texts(node: XmlNode | undefined, name: string): string[] {
  return children(node, name).filter((c): c is string => typeof c === 'string');
}

export interface ValidationContext {
  schema: Schema;
  /** Whether a component exists in the org or arrives in this deploy. */
  has(type: string, fullName: string): boolean;
}

/** Metadata field types as `describe` reports them, to compare a deployed field with the dev org's. */
const DESCRIBE_TYPES: Readonly<Record<string, FieldType>> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  Number: 'double',
  Percent: 'percent',
  Currency: 'currency',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
};

const RESTART =
  'the dev org reads its objects and fields from manifests/ when it starts: add it there and restart the dev org';

function missingField(schema: Schema, qualified: string): string | undefined {
  const [object, field] = qualified.split('.', 2) as [string, string | undefined];
  if (!field || !schema.field(object, field))
    return `In field: field - no CustomField named ${qualified} found`;
  return undefined;
}

/** A field of `object` named in a layout, list view or compact layout; standard column names pass. */
function checkObjectField(schema: Schema, object: string, name: string): string | undefined {
  if (!name.endsWith('__c') && !schema.object(object)?.custom) return undefined;
  // List view column names such as NAME, CREATED_DATE, OWNER.ALIAS, CORE.USERS.ALIAS.
  if (/^[A-Z_]+(?:\.[A-Z_]+)*$/.test(name)) return undefined;
  return schema.field(object, name)
    ? undefined
    : `In field: field - no CustomField named ${object}.${name} found`;
}

function objectProblem(schema: Schema, object: string): string | undefined {
  return schema.object(object) ? undefined : `In field: object - no CustomObject named ${object} found`;
}

/** Problems of one component; an empty list means the org accepts it. */
export function validateComponent(
  type: string,
  fullName: string,
  root: XmlNode,
  context: ValidationContext,
): string[] {
  const { schema } = context;
  const problems: (string | undefined)[] = [];
  const parentOf = (): string => fullName.split('.', 1)[0]!;
  switch (type) {
    case 'CustomObject':
      // A custom metadata type is created or extended by the deploy (metadata/custom-metadata.ts).
      if (isCustomMetadataType(fullName)) {
        for (const node of children(root, 'fields')) problems.push(...fieldProblems(schema, fullName, node));
      } else if (!schema.object(fullName)) problems.push(`Cannot create the object ${fullName}: ${RESTART}`);
      break;
    case 'CustomField': {
      const [object, name] = fullName.split('.', 2) as [string, string];
      if (isCustomMetadataType(object)) {
        if (!schema.object(object) && !context.has('CustomObject', object)) {
          problems.push(`In field: object - no CustomObject named ${object} found`);
        }
        problems.push(...fieldProblems(schema, object, root));
        break;
      }
      const existing = schema.field(object, name ?? '');
      const declared = text(root, 'type');
      if (!existing) {
        problems.push(`Cannot create the field ${fullName}: ${RESTART}`);
      } else if (declared && DESCRIBE_TYPES[declared] && DESCRIBE_TYPES[declared] !== existing.type) {
        problems.push(
          `Cannot change the type of ${fullName} from ${existing.type} to ${declared}: ${RESTART}`,
        );
      }
      break;
    }
    case 'ListView': {
      const object = parentOf();
      problems.push(objectProblem(schema, object));
      for (const column of texts(root, 'columns')) problems.push(checkObjectField(schema, object, column));
      for (const filter of children(root, 'filters')) {
        const field = text(filter, 'field');
        if (field) problems.push(checkObjectField(schema, object, field));
      }
      break;
    }
    case 'CompactLayout': {
      const object = parentOf();
      problems.push(objectProblem(schema, object));
      for (const field of texts(root, 'fields')) problems.push(checkObjectField(schema, object, field));
      break;
    }
    case 'ValidationRule':
    case 'FieldSet':
    case 'WebLink':
      problems.push(objectProblem(schema, parentOf()));
      break;
    case 'Layout': {
      const object = fullName.split('-', 1)[0]!;
      problems.push(objectProblem(schema, object));
      for (const section of children(root, 'layoutSections'))
        for (const column of children(section, 'layoutColumns'))
          for (const item of children(column, 'layoutItems')) {
            const field = text(item, 'field');
            if (field) problems.push(checkObjectField(schema, object, field));
          }
      break;
    }
    case 'CustomTab': {
      if (text(root, 'customObject') === 'true' && !schema.object(fullName)) {
        problems.push(`In field: object - no CustomObject named ${fullName} found`);
      }
      const page = text(root, 'flexiPage');
      if (page && !context.has('FlexiPage', page)) {
        problems.push(`In field: flexiPage - no FlexiPage named ${page} found`);
      }
      break;
    }
    case 'FlexiPage':
      // A Lightning page: its label and type, and the package's own components it places (`c:x` or `x`).
      if (!text(root, 'masterLabel')) problems.push('Required field is missing: masterLabel');
      if (!text(root, 'type')) problems.push('Required field is missing: type');
      for (const region of children(root, 'flexiPageRegions'))
        for (const item of children(region, 'itemInstances'))
          for (const instance of children(item, 'componentInstance')) {
            const component = text(instance, 'componentName') ?? '';
            const [namespace, name] = component.includes(':') ? component.split(':', 2) : ['c', component];
            if (namespace === 'c' && name && !context.has('LightningComponentBundle', name)) {
              problems.push(`In field: componentName - no LightningComponentBundle named ${name} found`);
            }
          }
      break;
    case 'CustomApplication':
      for (const tab of texts(root, 'tabs')) {
        if (!tab.startsWith('standard-') && !context.has('CustomTab', tab)) {
          problems.push(`In field: tab - no CustomTab named ${tab} found`);
        }
      }
      break;
    case 'PermissionSet':
      if (!text(root, 'label')) problems.push('Required field is missing: label');
      for (const permission of children(root, 'objectPermissions')) {
        problems.push(objectProblem(schema, text(permission, 'object') ?? ''));
      }
      for (const permission of children(root, 'fieldPermissions')) {
        const qualified = text(permission, 'field') ?? '';
        const missing = missingField(schema, qualified);
        problems.push(missing);
        const [object, name] = qualified.split('.', 2) as [string, string];
        const def = missing ? undefined : schema.field(object, name);
        if (def && !def.nillable && def.custom && def.type !== 'boolean') {
          problems.push(`You cannot deploy to a required field: ${qualified}`);
        }
      }
      for (const setting of children(root, 'tabSettings')) {
        const tab = text(setting, 'tab') ?? '';
        if (!tab.startsWith('standard-') && !context.has('CustomTab', tab)) {
          problems.push(`In field: tab - no CustomTab named ${tab} found`);
        }
      }
      for (const visibility of children(root, 'applicationVisibilities')) {
        const app = text(visibility, 'application') ?? '';
        if (!app.startsWith('standard__') && !context.has('CustomApplication', app)) {
          problems.push(`In field: application - no CustomApplication named ${app} found`);
        }
      }
      break;
    case 'PlatformEventChannelMember': {
      const entity = text(root, 'selectedEntity') ?? '';
      // Change events are `<Object>ChangeEvent` for standard objects, `<Name>__ChangeEvent` for custom ones.
      const object = entity.endsWith('__ChangeEvent')
        ? `${entity.slice(0, -'__ChangeEvent'.length)}__c`
        : entity.replace(/ChangeEvent$/, '');
      if (!entity.endsWith('ChangeEvent') || !schema.object(object)) {
        problems.push(`In field: selectedEntity - no entity named ${entity} found`);
      }
      break;
    }
    case 'StaticResource':
      if (!text(root, 'contentType')) problems.push('Required field is missing: contentType');
      break;
    default:
      break;
  }
  return problems.filter((p): p is string => p !== undefined);
}
