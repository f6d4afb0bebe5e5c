/**
 * The dev org's schema model: what a Salesforce describe says about an object and its fields.
 * Built from manifests/ (custom objects and fields) plus the standard objects the product touches.
 * Names keep Salesforce's casing; lookups by name are case-insensitive, as in Salesforce.
 */

/** Field types as `describe` reports them. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'reference';

export interface PicklistValue {
  value: string;
  label: string;
  defaultValue: boolean;
  active: boolean;
}

export interface FieldDef {
  /** API name, e.g. `External_Id__c`. */
  name: string;
  label: string;
  type: FieldType;
  /** Max characters for text types (string, textarea, email, phone, url, picklist). */
  length: number;
  precision: number;
  scale: number;
  /** false when the field is required. */
  nillable: boolean;
  unique: boolean;
  externalId: boolean;
  /** Unique/external-id text compares case-insensitively unless this is true. */
  caseSensitive: boolean;
  createable: boolean;
  updateable: boolean;
  /** Can be used in WHERE (long text areas cannot). */
  filterable: boolean;
  sortable: boolean;
  custom: boolean;
  /** The record's name field (Name, or CaseNumber for Case). */
  nameField: boolean;
  /** Filled in by the org on create (Id, CreatedDate, CaseNumber, ...). */
  autoNumber: boolean;
  /** For auto-number fields: the display format, e.g. `SP-{0000000}`. */
  displayFormat?: string;
  calculated: boolean;
  defaultValue: string | number | boolean | null;
  picklistValues: PicklistValue[];
  restrictedPicklist: boolean;
  /** For references: the target objects (polymorphic lookups have several). */
  referenceTo: string[];
  /** For references: the parent relationship name used in SOQL, e.g. `Contact__r`, `Account`. */
  relationshipName: string | null;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  /** Used in child subqueries, e.g. `Social_Posts__r`, `Contacts`. */
  relationshipName: string | null;
  cascadeDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  /** The three-character Id prefix (`003` for Contact, `a01` ... for custom objects). */
  keyPrefix: string;
  custom: boolean;
  /**
   * false for objects the API cannot insert, update or delete (Organization, custom metadata types,
   * BusinessHours cannot be deleted); default true.
   */
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  /** A custom metadata type (`X__mdt`): records come from metadata deploys, never from DML. */
  customMetadata?: boolean;
  /**
   * Fields whose values together may appear on one record only, with the org's message for a second one
   * (PermissionSetAssignment: one per assignee and permission set).
   */
  uniqueTogether?: {
    fields: string[];
    /** Default `DUPLICATE_VALUE`. */
    errorCode?: string;
    message: (values: Record<string, string>) => string;
  }[];
  /** Fields in describe order. */
  fields: FieldDef[];
  childRelationships: ChildRelationship[];
}

export class Schema {
  readonly #objects = new Map<string, ObjectDef>();
  readonly #byPrefix = new Map<string, ObjectDef>();
  readonly #fields = new Map<string, Map<string, FieldDef>>();

  constructor(objects: Iterable<ObjectDef>) {
    for (const object of objects) this.addObject(object);
  }

  /**
   * Adds an object (or replaces the one of that name). The schema is fixed at start-up except for custom
   * metadata types, which a metadata deploy may create or extend (see metadata/custom-metadata.ts).
   */
  addObject(object: ObjectDef): void {
    const previous = this.#objects.get(object.name.toLowerCase());
    if (previous) this.#byPrefix.delete(previous.keyPrefix);
    this.#objects.set(object.name.toLowerCase(), object);
    this.#byPrefix.set(object.keyPrefix, object);
    this.#fields.set(object.name.toLowerCase(), new Map(object.fields.map((f) => [f.name.toLowerCase(), f])));
  }

  /** Adds a field to an object, or replaces the field of that name in place. */
  putField(objectName: string, field: FieldDef): void {
    const object = this.object(objectName);
    if (!object) throw new Error(`no object ${objectName}`);
    const index = object.fields.findIndex((f) => f.name.toLowerCase() === field.name.toLowerCase());
    if (index >= 0) object.fields[index] = field;
    else object.fields.push(field);
    this.#fields.get(object.name.toLowerCase())?.set(field.name.toLowerCase(), field);
  }

  objects(): ObjectDef[] {
    return [...this.#objects.values()];
  }

  object(name: string): ObjectDef | undefined {
    return this.#objects.get(name.toLowerCase());
  }

  objectByKeyPrefix(prefix: string): ObjectDef | undefined {
    return this.#byPrefix.get(prefix);
  }

  field(objectName: string, fieldName: string): FieldDef | undefined {
    return this.#fields.get(objectName.toLowerCase())?.get(fieldName.toLowerCase());
  }

  /** The reference field whose relationship name is `relationshipName` (e.g. `Contact__r` → `Contact__c`). */
  parentRelationship(objectName: string, relationshipName: string): FieldDef | undefined {
    const wanted = relationshipName.toLowerCase();
    return this.object(objectName)?.fields.find(
      (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === wanted,
    );
  }

  childRelationship(objectName: string, relationshipName: string): ChildRelationship | undefined {
    const wanted = relationshipName.toLowerCase();
    return this.object(objectName)?.childRelationships.find(
      (c) => c.relationshipName?.toLowerCase() === wanted,
    );
  }
}
