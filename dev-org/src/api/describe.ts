/**
 * Describe results in the REST wire format (`/sobjects`, `/sobjects/T/describe`), built from the schema.
 * Only the keys clients read are filled with real values; the rest carry Salesforce's usual defaults so
 * that clients which destructure them (jsforce's typings, SDR, sf CLI) find every key they expect.
 */
import type { FieldDef, ObjectDef, Schema } from '../schema/model.ts';

function objectUrls(apiPath: string, object: ObjectDef): Record<string, string> {
  const base = `${apiPath}/sobjects/${object.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function globalEntry(apiPath: string, object: ObjectDef): Record<string, unknown> {
  return {
    activateable: false,
    createable: object.createable ?? true,
    custom: object.custom,
    customSetting: false,
    deletable: object.deletable ?? true,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isSubtype: false,
    keyPrefix: object.keyPrefix,
    label: object.label,
    labelPlural: object.labelPlural,
    layoutable: true,
    mergeable: ['Account', 'Contact', 'Lead', 'Case'].includes(object.name),
    mruEnabled: true,
    name: object.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: object.fields.some((f) => f.name === 'IsDeleted'),
    updateable: object.updateable ?? object.fields.some((f) => f.updateable),
    urls: objectUrls(apiPath, object),
  };
}

const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  time: 'xsd:time',
};

function describeField(field: FieldDef): Record<string, unknown> {
  const textual = !['boolean', 'int', 'double', 'currency', 'percent', 'date', 'datetime', 'time'].includes(
    field.type,
  );
  return {
    aggregatable: field.type !== 'textarea' || field.length <= 255,
    autoNumber: field.autoNumber && field.type !== 'id',
    byteLength: textual ? field.length * 3 : 0,
    calculated: field.calculated,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: field.caseSensitive,
    createable: field.createable,
    custom: field.custom,
    defaultValue: field.type === 'boolean' ? field.defaultValue === true : null,
    defaultValueFormula: null,
    defaultedOnCreate: field.type === 'boolean' || field.autoNumber || field.name === 'OwnerId',
    dependentPicklist: false,
    digits: field.type === 'int' ? field.precision : 0,
    externalId: field.externalId,
    filterable: field.filterable,
    groupable:
      field.filterable && !['double', 'currency', 'percent', 'datetime', 'time'].includes(field.type),
    htmlFormatted: false,
    idLookup: field.type === 'id' || field.externalId || field.nameField,
    inlineHelpText: null,
    label: field.label,
    length: textual ? field.length : 0,
    name: field.name,
    nameField: field.nameField,
    namePointing: field.referenceTo.length > 1,
    nillable: field.nillable,
    permissionable: field.nillable && field.type !== 'id' && !field.autoNumber && field.createable,
    picklistValues: field.picklistValues.map((p) => ({
      active: p.active,
      defaultValue: p.defaultValue,
      label: p.label,
      validFor: null,
      value: p.value,
    })),
    polymorphicForeignKey: field.referenceTo.length > 1,
    precision: ['double', 'currency', 'percent'].includes(field.type) ? field.precision : 0,
    referenceTargetField: null,
    referenceTo: field.referenceTo,
    relationshipName: field.relationshipName,
    relationshipOrder: null,
    restrictedPicklist: field.restrictedPicklist,
    scale: ['double', 'currency', 'percent'].includes(field.type) ? field.scale : 0,
    soapType: SOAP_TYPES[field.type],
    sortable: field.sortable,
    type: field.type,
    unique: field.unique,
    updateable: field.updateable,
    writeRequiresMasterRead: false,
  };
}

export function describeGlobal(apiPath: string, schema: Schema): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: schema
      .objects()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => globalEntry(apiPath, o)),
  };
}

export function describeObject(apiPath: string, object: ObjectDef): Record<string, unknown> {
  return {
    ...globalEntry(apiPath, object),
    actionOverrides: [],
    childRelationships: object.childRelationships.map((c) => ({
      cascadeDelete: c.cascadeDelete,
      childSObject: c.childSObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: true,
    fields: object.fields.map(describeField),
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: '012000000000000AAA',
        urls: {},
      },
    ],
    searchLayoutable: true,
    supportedScopes: [{ label: 'All', name: 'everything' }],
    urls: {
      ...objectUrls(apiPath, object),
      compactLayouts: `${apiPath}/sobjects/${object.name}/describe/compactLayouts`,
      layouts: `${apiPath}/sobjects/${object.name}/describe/layouts`,
    },
  };
}

/** `GET /sobjects/T`: the object's basic information and its recently viewed records. */
export function objectInfo(apiPath: string, object: ObjectDef): Record<string, unknown> {
  return { objectDescribe: globalEntry(apiPath, object), recentItems: [] };
}
