/**
 * sObject records in SQLite with Salesforce's DML semantics: field validation against the schema,
 * required fields, unique and external-id constraints, reference integrity, system fields,
 * auto-numbers and the fields Salesforce derives (Contact/Lead Name, Case IsClosed/ClosedDate, Opportunity
 * IsClosed/IsWon).
 * Every rule failure is a SalesforceError with the error code Salesforce uses.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { SalesforceError } from '../errors.ts';
import { recordId } from '../ids.ts';
import type { FieldDef, ObjectDef, Schema } from '../schema/model.ts';
import { CLOSED_OPPORTUNITY_STAGES } from '../schema/standard-objects.ts';
import { applyObjectRules, checkReferenceTarget, deriveObjectFields, type RuleContext } from './org-rules.ts';
import { createTables, quoteIdent } from './tables.ts';
import { isSalesforceId, to18, toApiValue, toStoredValue } from './values.ts';

export type Stored = string | number | null;
export type ApiFields = Record<string, unknown>;

export interface UpsertOutcome {
  id: string;
  created: boolean;
}

const SYSTEM_AUDIT_FIELDS = [
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
];

/** One committed record change, for change data capture. */
export interface RecordChange {
  entity: string;
  changeType: 'CREATE' | 'UPDATE' | 'DELETE';
  recordId: string;
  /** API names of the fields set (CREATE) or changed (UPDATE). */
  changedFields: string[];
}

export class RecordStore {
  readonly db: DatabaseSync;
  readonly #changeListeners = new Set<(changes: readonly RecordChange[]) => void>();
  #pendingChanges: RecordChange[] = [];
  #depth = 0;
  readonly schema: Schema;
  readonly #now: () => Date;
  readonly #userId: () => string;
  readonly #statements = new Map<string, StatementSync>();
  readonly #rules: RuleContext;

  constructor(db: DatabaseSync, schema: Schema, options: { now?: () => Date; userId?: () => string } = {}) {
    this.db = db;
    this.schema = schema;
    this.#now = options.now ?? (() => new Date());
    this.#userId = options.userId ?? (() => '005Dv0000000001AAA');
    createTables(db, schema);
    db.exec('CREATE TABLE IF NOT EXISTS _sequences (name TEXT PRIMARY KEY, next INTEGER NOT NULL)');
    this.#rules = { db, schema, row: (object, id) => this.getStored(object, id) };
  }

  /** Runs `work` in one transaction; a thrown error rolls everything back (allOrNone). */
  transaction<T>(work: () => T): T {
    const mark = this.#pendingChanges.length;
    this.db.exec('SAVEPOINT dml');
    this.#depth += 1;
    try {
      const result = work();
      this.db.exec('RELEASE dml');
      this.#depth -= 1;
      this.#flushChanges();
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK TO dml');
      this.db.exec('RELEASE dml');
      this.#depth -= 1;
      this.#pendingChanges.length = mark; // rolled back: never happened
      throw error;
    }
  }

  /** Calls `listener` with the changes of each committed write (after the transaction, never for a rollback). */
  onChange(listener: (changes: readonly RecordChange[]) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  #recordChange(change: RecordChange): void {
    if (this.#changeListeners.size === 0) return;
    this.#pendingChanges.push(change);
    this.#flushChanges();
  }

  #flushChanges(): void {
    if (this.#depth > 0 || this.#pendingChanges.length === 0) return;
    const changes = this.#pendingChanges;
    this.#pendingChanges = [];
    for (const listener of this.#changeListeners) listener(changes);
  }

  /** Prepared statements are reused: preparing is a large share of a small write's cost. */
  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  objectOrThrow(type: string): ObjectDef {
    const object = this.schema.object(type);
    if (!object) throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return object;
  }

  /**
   * `setAuditFields` is Salesforce's "Set Audit Fields upon Record Creation" permission: CreatedDate and
   * LastModifiedDate may be given (the seed backdates demo records with it); the API never sets it.
   * `system` is the org writing a record of its own (the Organization record): fields and objects the API
   * may not insert are allowed.
   */
  create(
    type: string,
    fields: ApiFields,
    options: { setAuditFields?: boolean; system?: boolean } = {},
  ): string {
    const object = this.objectOrThrow(type);
    if (object.createable === false && !options.system) {
      throw new SalesforceError(
        400,
        'INVALID_TYPE_FOR_OPERATION',
        `entity type cannot be inserted: ${object.name}`,
      );
    }
    const audit = new Map<string, Stored>();
    let writable = fields;
    if (options.setAuditFields) {
      writable = {};
      for (const [name, value] of Object.entries(fields)) {
        const field = this.schema.field(object.name, name);
        if (field?.type === 'datetime' && SYSTEM_AUDIT_FIELDS.includes(field.name)) {
          audit.set(field.name, toStoredValue(object, field, value));
        } else writable[name] = value;
      }
    }
    const values = this.#validateWrite(object, writable, 'create', options.system === true);
    this.#applyDefaults(object, values);
    const id = recordId(object.keyPrefix, this.#nextSequence(object.name));
    values.set('Id', id);
    this.#stampSystemFields(object, values, true);
    for (const [name, value] of audit) values.set(name, value);
    this.#derive(object, values, undefined);
    this.#checkRequired(object, values);
    this.#checkUnique(object, values, undefined);
    applyObjectRules(this.#rules, object, values, undefined);
    const columns = [...values.keys()];
    const sql = `INSERT INTO ${quoteIdent(object.name)} (${columns.map(quoteIdent).join(', ')}) VALUES (${columns
      .map(() => '?')
      .join(', ')})`;
    this.#prepare(sql).run(...(columns.map((c) => values.get(c)) as SQLInputValue[]));
    this.#recordChange({ entity: object.name, changeType: 'CREATE', recordId: id, changedFields: columns });
    return id;
  }

  /** `system`: the org writing a record of its own (a custom metadata record from a deploy). */
  update(type: string, id: string, fields: ApiFields, options: { system?: boolean } = {}): void {
    const object = this.objectOrThrow(type);
    if (object.updateable === false && !options.system) {
      throw new SalesforceError(
        400,
        'INVALID_TYPE_FOR_OPERATION',
        `entity type cannot be updated: ${object.name}`,
      );
    }
    const existing = this.#live(object, id);
    const values = this.#validateWrite(object, fields, 'update', options.system === true);
    this.#stampSystemFields(object, values, false);
    this.#derive(object, values, existing);
    const merged = new Map<string, Stored>(Object.entries(existing) as [string, Stored][]);
    for (const [k, v] of values) merged.set(k, v);
    this.#checkRequired(object, merged);
    this.#checkUnique(object, values, existing['Id'] as string, merged);
    applyObjectRules(this.#rules, object, values, existing);
    if (values.size === 0) return;
    const columns = [...values.keys()];
    const sql = `UPDATE ${quoteIdent(object.name)} SET ${columns.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE "Id" = ?`;
    this.#prepare(sql).run(
      ...(columns.map((c) => values.get(c)) as SQLInputValue[]),
      existing['Id'] as string,
    );
    this.#recordChange({
      entity: object.name,
      changeType: 'UPDATE',
      recordId: existing['Id'] as string,
      changedFields: columns.filter((c) => existing[c] !== values.get(c)),
    });
  }

  /** Upsert by an external-id (or Id) field; Salesforce's answer: created or updated, or an error. */
  upsert(type: string, externalField: string, externalValue: string, fields: ApiFields): UpsertOutcome {
    const object = this.objectOrThrow(type);
    const field = this.schema.field(object.name, externalField);
    if (!field || !(field.externalId || field.type === 'id')) {
      throw new SalesforceError(
        400,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${externalField}`,
      );
    }
    const bodyValue = Object.entries(fields).find(([k]) => k.toLowerCase() === field.name.toLowerCase());
    if (bodyValue && String(bodyValue[1]) !== externalValue) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        `The value of ${field.name} in the body (${String(bodyValue[1])}) does not match the value in the URL (${externalValue}).`,
      );
    }
    const rest = Object.fromEntries(
      Object.entries(fields).filter(([k]) => k.toLowerCase() !== field.name.toLowerCase()),
    );
    const matches = this.#findBy(object, field, externalValue);
    if (matches.length > 1) {
      throw new SalesforceError(
        300,
        'MULTIPLE_CHOICES',
        `Multiple records found for ${field.name}=${externalValue}: ${matches.join(', ')}`,
      );
    }
    if (matches.length === 1) {
      this.update(object.name, matches[0] as string, rest);
      return { id: matches[0] as string, created: false };
    }
    if (field.type === 'id') throw notFoundForId(externalValue);
    return { id: this.create(object.name, { ...rest, [field.name]: externalValue }), created: true };
  }

  /**
   * Deletes as Salesforce does: a record of an object with `IsDeleted` goes to the recycle bin
   * (`IsDeleted = true`: gone from `query`, still seen by `queryAll`), and so do its master-detail and
   * cascading children; lookups to it are cleared. Objects without `IsDeleted` (User, Group, setup
   * objects) are deleted outright.
   */
  delete(type: string, id: string): void {
    const object = this.objectOrThrow(type);
    if (object.deletable === false) {
      throw new SalesforceError(
        400,
        'INVALID_TYPE_FOR_OPERATION',
        `entity type cannot be deleted: ${object.name}`,
      );
    }
    const existing = this.getStored(object, id, { includeDeleted: true });
    if (!existing || isInRecycleBin(existing)) {
      throw new SalesforceError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    }
    const fullId = existing['Id'] as string;
    this.#remove(object, fullId);
    this.#recordChange({ entity: object.name, changeType: 'DELETE', recordId: fullId, changedFields: [] });
  }

  #remove(object: ObjectDef, id: string): void {
    for (const child of object.childRelationships) {
      const childObject = this.schema.object(child.childSObject);
      if (!childObject) continue;
      const table = quoteIdent(childObject.name);
      const column = quoteIdent(child.field);
      if (child.cascadeDelete) {
        const live = hasRecycleBin(childObject) ? ' AND "IsDeleted" = 0' : '';
        const children = this.#prepare(`SELECT "Id" FROM ${table} WHERE ${column} = ?${live}`).all(id) as {
          Id: string;
        }[];
        for (const row of children) this.#remove(childObject, row.Id);
      } else {
        this.#prepare(`UPDATE ${table} SET ${column} = NULL WHERE ${column} = ?`).run(id);
      }
    }
    if (!hasRecycleBin(object)) {
      this.#prepare(`DELETE FROM ${quoteIdent(object.name)} WHERE "Id" = ?`).run(id);
      return;
    }
    const stamps = new Map<string, Stored>([['IsDeleted', 1]]);
    this.#stampSystemFields(object, stamps, false);
    const columns = [...stamps.keys()];
    this.#prepare(
      `UPDATE ${quoteIdent(object.name)} SET ${columns.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE "Id" = ?`,
    ).run(...(columns.map((c) => stamps.get(c)) as SQLInputValue[]), id);
  }

  /**
   * The stored row, or undefined; a record in the recycle bin only with `includeDeleted`. Accepts 15- and
   * 18-character ids.
   */
  getStored(
    object: ObjectDef,
    id: string,
    options: { includeDeleted?: boolean } = {},
  ): Record<string, Stored> | undefined {
    if (!isSalesforceId(id)) return undefined;
    const row = this.#prepare(`SELECT * FROM ${quoteIdent(object.name)} WHERE "Id" = ?`).get(to18(id)) as
      Record<string, Stored> | undefined;
    return row && (options.includeDeleted || !isInRecycleBin(row)) ? row : undefined;
  }

  /** The row of a record to write; Salesforce's 404 otherwise (ENTITY_IS_DELETED for one in the bin). */
  #live(object: ObjectDef, id: string): Record<string, Stored> {
    const row = this.getStored(object, id, { includeDeleted: true });
    if (!row) throw notFoundForId(id);
    if (isInRecycleBin(row)) throw new SalesforceError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    return row;
  }

  /** A record as the REST API returns it (`attributes` first), restricted to `fieldNames` if given. */
  get(type: string, id: string, apiPath: string, fieldNames?: string[]): ApiFields {
    const object = this.objectOrThrow(type);
    // A read of a deleted record is "not found"; a write to one, "entity is deleted" (#live).
    const row = this.getStored(object, id);
    if (!row) throw notFoundForId(id);
    const fields = fieldNames
      ? fieldNames.map((name) => {
          const field = this.schema.field(object.name, name);
          if (!field) throw noSuchColumn(name, object.name);
          return field;
        })
      : object.fields;
    const record: ApiFields = {
      attributes: { type: object.name, url: `${apiPath}/sobjects/${object.name}/${String(row['Id'])}` },
    };
    for (const field of fields) record[field.name] = toApiValue(field, row[field.name] ?? null);
    return record;
  }

  /** Ids of the records whose external-id (or Id) field equals `value`. */
  idsByExternalId(type: string, fieldName: string, value: string): string[] {
    const object = this.objectOrThrow(type);
    const field = this.schema.field(object.name, fieldName);
    if (!field || !(field.externalId || field.type === 'id')) {
      throw new SalesforceError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${fieldName}`,
      );
    }
    return this.#findBy(object, field, value);
  }

  /** Ids of the records whose `fieldName` equals `value` (text compares case-insensitively, as SOQL does). */
  idsByField(type: string, fieldName: string, value: string): string[] {
    const object = this.objectOrThrow(type);
    const field = this.schema.field(object.name, fieldName);
    if (!field) throw noSuchField(fieldName, object.name);
    return this.#findBy(object, field, value);
  }

  /** Records of the object, not counting those in the recycle bin. */
  count(type: string): number {
    const object = this.objectOrThrow(type);
    const live = hasRecycleBin(object) ? ' WHERE "IsDeleted" = 0' : '';
    const row = this.#prepare(`SELECT COUNT(*) AS n FROM ${quoteIdent(object.name)}${live}`).get() as {
      n: number;
    };
    return row.n;
  }

  #findBy(object: ObjectDef, field: FieldDef, value: string): string[] {
    const key = field.type === 'id' ? (isSalesforceId(value) ? to18(value) : value) : value;
    const live = hasRecycleBin(object) ? ' AND "IsDeleted" = 0' : '';
    const rows = this.#prepare(
      `SELECT "Id" FROM ${quoteIdent(object.name)} WHERE ${quoteIdent(field.name)} = ?${live} LIMIT 2`,
    ).all(key) as { Id: string }[];
    return rows.map((r) => r.Id);
  }

  /** `system`: fields the API may not write are allowed (the org's own writes). */
  #validateWrite(
    object: ObjectDef,
    fields: ApiFields,
    mode: 'create' | 'update',
    system = false,
  ): Map<string, Stored> {
    const values = new Map<string, Stored>();
    const forbidden: string[] = [];
    for (const [name, given] of Object.entries(fields)) {
      if (name === 'attributes') continue;
      let field = this.schema.field(object.name, name);
      let value = given;
      if (!field && typeof given === 'object' && given !== null) {
        // `Persona__r: { External_Id__c: 'x:1' }` sets the lookup by the parent's external id.
        const reference = this.schema.parentRelationship(object.name, name);
        if (reference) {
          field = reference;
          value = this.#resolveForeignKey(reference, given as Record<string, unknown>);
        }
      }
      if (!field) throw noSuchField(name, object.name);
      if (field.type === 'id') {
        if (mode !== 'update') forbidden.push(field.name);
        continue;
      }
      if (!system && !(mode === 'create' ? field.createable : field.updateable)) {
        forbidden.push(field.name);
        continue;
      }
      const stored = toStoredValue(object, field, value);
      if (field.type === 'reference' && stored !== null) this.#checkReference(object, field, String(stored));
      values.set(field.name, stored);
    }
    if (forbidden.length > 0) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${forbidden.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        forbidden,
      );
    }
    return values;
  }

  #resolveForeignKey(reference: FieldDef, given: Record<string, unknown>): string {
    const { attributes: _attributes, ...keys } = given;
    const entries = Object.entries(keys);
    const parent = this.schema.object(reference.referenceTo[0] ?? '');
    const [keyName, keyValue] = entries[0] ?? [];
    const keyField = parent && keyName ? this.schema.field(parent.name, keyName) : undefined;
    if (!parent || entries.length !== 1 || !keyField || !(keyField.externalId || keyField.type === 'id')) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        `Cannot reference ${reference.relationshipName ?? reference.name} by ${keyName ?? 'nothing'}: give exactly one external ID field of ${parent?.name ?? 'the parent'}`,
        [reference.name],
      );
    }
    const ids = this.#findBy(parent, keyField, String(keyValue));
    if (ids.length !== 1) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        `Foreign key external ID: ${String(keyValue)} not found for field ${keyField.name} in entity ${parent.name}`,
        [reference.name],
      );
    }
    return ids[0]!;
  }

  #checkReference(object: ObjectDef, field: FieldDef, id: string): void {
    const target = this.schema.objectByKeyPrefix(id.slice(0, 3));
    const allowed = field.referenceTo.map((t) => t.toLowerCase());
    if (!target || !allowed.includes(target.name.toLowerCase())) {
      throw new SalesforceError(
        400,
        'FIELD_INTEGRITY_EXCEPTION',
        `${field.label}: id value of incorrect type: ${id}`,
        [field.name],
      );
    }
    const row = this.getStored(target, id);
    if (!row) {
      throw new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [
        field.name,
      ]);
    }
    checkReferenceTarget(this.#rules, object, field, target, row);
  }

  #applyDefaults(object: ObjectDef, values: Map<string, Stored>): void {
    for (const field of object.fields) {
      if (values.has(field.name)) continue;
      if (field.type === 'boolean') {
        values.set(field.name, field.defaultValue === true || field.defaultValue === 'true' ? 1 : 0);
      } else if (field.type === 'picklist') {
        const preset = field.picklistValues.find((p) => p.defaultValue);
        if (preset) values.set(field.name, preset.value);
      } else if (field.defaultValue !== null && field.defaultValue !== undefined && field.createable) {
        values.set(field.name, toStoredValue(object, field, field.defaultValue));
      }
    }
    const owner = this.schema.field(object.name, 'OwnerId');
    if (owner && !values.get('OwnerId')) values.set(owner.name, this.#userId());
  }

  #stampSystemFields(object: ObjectDef, values: Map<string, Stored>, creating: boolean): void {
    const now = this.#now().toISOString();
    const user = this.#userId();
    for (const name of SYSTEM_AUDIT_FIELDS) {
      const field = this.schema.field(object.name, name);
      if (!field) continue;
      if (!creating && name.startsWith('Created')) continue;
      values.set(field.name, field.type === 'reference' ? user : now);
    }
    if (creating) {
      for (const field of object.fields) {
        if (field.autoNumber && field.type !== 'id' && !values.has(field.name)) {
          values.set(field.name, this.#autoNumber(object, field));
        }
      }
    }
  }

  /** Fields Salesforce computes from others. */
  #derive(
    object: ObjectDef,
    values: Map<string, Stored>,
    existing: Record<string, Stored> | undefined,
  ): void {
    deriveObjectFields(object, values, existing);
    const current = (name: string): Stored =>
      values.has(name) ? (values.get(name) ?? null) : (existing?.[name] ?? null);
    const nameField = this.schema.field(object.name, 'Name');
    if (nameField?.calculated && (values.has('FirstName') || values.has('LastName') || !existing)) {
      const full = [current('FirstName'), current('LastName')]
        .filter((p) => p !== null && p !== '')
        .join(' ');
      values.set('Name', full);
    }
    if (object.name === 'Case' && values.has('Status')) {
      const closed = String(current('Status')) === 'Closed' ? 1 : 0;
      values.set('IsClosed', closed);
      if (closed && !existing?.['IsClosed']) values.set('ClosedDate', this.#now().toISOString());
      if (!closed) values.set('ClosedDate', null);
    }
    if (object.name === 'Opportunity' && values.has('StageName')) {
      const won = CLOSED_OPPORTUNITY_STAGES[String(current('StageName'))];
      values.set('IsClosed', won === undefined ? 0 : 1);
      values.set('IsWon', won === true ? 1 : 0);
    }
  }

  #checkRequired(object: ObjectDef, values: Map<string, Stored>): void {
    const missing = object.fields.filter(
      (f) =>
        !f.nillable &&
        f.createable &&
        f.type !== 'boolean' &&
        (values.get(f.name) === undefined || values.get(f.name) === null || values.get(f.name) === ''),
    );
    if (missing.length > 0) {
      const names = missing.map((f) => f.name);
      throw new SalesforceError(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${names.join(', ')}]`,
        names,
      );
    }
  }

  /** `merged` (an update's stored row with its changes) is what values held together are checked on. */
  #checkUnique(
    object: ObjectDef,
    values: Map<string, Stored>,
    ownId: string | undefined,
    merged: Map<string, Stored> = values,
  ): void {
    for (const rule of object.uniqueTogether ?? []) {
      if (!rule.fields.some((name) => values.has(name))) continue;
      const given = rule.fields.map((name) => merged.get(name));
      if (given.some((v) => v === undefined || v === null || v === '')) continue;
      const where = rule.fields.map((name) => `${quoteIdent(name)} = ?`).join(' AND ');
      const other = this.#prepare(
        `SELECT "Id" FROM ${quoteIdent(object.name)} WHERE ${where} AND "Id" IS NOT ? LIMIT 1`,
      ).get(...(given as SQLInputValue[]), ownId ?? null);
      if (other) {
        const shown = Object.fromEntries(rule.fields.map((name, i) => [name, String(given[i])]));
        throw new SalesforceError(400, rule.errorCode ?? 'DUPLICATE_VALUE', rule.message(shown), []);
      }
    }
    for (const field of object.fields) {
      if (!field.unique || field.type === 'id') continue;
      const value = values.get(field.name);
      if (value === undefined || value === null || value === '') continue;
      // A record in the recycle bin holds no unique value (its undelete would fail, not a new record's insert).
      const live = hasRecycleBin(object) ? ' AND "IsDeleted" = 0' : '';
      const other = this.#prepare(
        `SELECT "Id" FROM ${quoteIdent(object.name)} WHERE ${quoteIdent(field.name)} = ? AND "Id" IS NOT ?${live} LIMIT 1`,
      ).get(value, ownId ?? null) as { Id: string } | undefined;
      if (other) {
        throw new SalesforceError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${other.Id}`,
          [],
        );
      }
    }
  }

  #nextSequence(name: string): number {
    const row = this.#prepare(
      'INSERT INTO _sequences (name, next) VALUES (?, 2) ON CONFLICT(name) DO UPDATE SET next = next + 1 RETURNING next',
    ).get(name) as { next: number };
    return row.next - 1;
  }

  #autoNumber(object: ObjectDef, field: FieldDef): string {
    const n = this.#nextSequence(`${object.name}.${field.name}`);
    const format = field.displayFormat ?? '{00000000}';
    return format.replace(/\{(0+)\}/, (_m, zeros: string) => String(n).padStart(zeros.length, '0'));
  }
}

const recycling = new WeakMap<ObjectDef, boolean>();

/** Objects whose deleted records go to the recycle bin: those with an `IsDeleted` field. */
function hasRecycleBin(object: ObjectDef): boolean {
  let answer = recycling.get(object);
  if (answer === undefined) {
    answer = object.fields.some((f) => f.name === 'IsDeleted' && f.type === 'boolean');
    recycling.set(object, answer);
  }
  return answer;
}

function isInRecycleBin(row: Record<string, Stored>): boolean {
  return row['IsDeleted'] === 1;
}

function notFoundForId(_id: string): SalesforceError {
  return new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

function noSuchField(name: string, objectName: string): SalesforceError {
  return new SalesforceError(
    400,
    'INVALID_FIELD',
    `No such column '${name}' on sobject of type ${objectName}`,
    [name],
  );
}

function noSuchColumn(name: string, objectName: string): SalesforceError {
  return new SalesforceError(
    400,
    'INVALID_FIELD',
    `No such column '${name}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}
