/**
 * Rules a Salesforce org applies to particular objects and fields, beyond the type, required, unique and
 * reference checks every field gets (record-store.ts):
 * - record owners: an `OwnerId` may point at a queue only if the queue takes that object (a `QueueSobject`
 *   row), never at a public group, and never at an inactive user;
 * - groups: a DeveloperName made from the Name when none is given; queue members and queue objects only
 *   for queues;
 * - business hours: each day has both a start and an end (or neither), the end after the start, and the
 *   org keeps exactly one active default.
 * Every refusal is a SalesforceError with the org's error code; the write it refuses changes nothing.
 */
import type { DatabaseSync } from 'node:sqlite';
import { SalesforceError } from '../errors.ts';
import type { FieldDef, ObjectDef, Schema } from '../schema/model.ts';

type Stored = string | number | null;

export interface RuleContext {
  db: DatabaseSync;
  schema: Schema;
  /** The stored row of a live record, or undefined. */
  row(object: ObjectDef, id: string): Record<string, Stored> | undefined;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** `FIELD_INTEGRITY_EXCEPTION`, as Salesforce answers an owner or lookup of the wrong kind. */
function incorrectType(field: FieldDef, id: string): SalesforceError {
  return new SalesforceError(
    400,
    'FIELD_INTEGRITY_EXCEPTION',
    `${field.label}: id value of incorrect type: ${id}`,
    [field.name],
  );
}

function inactiveUser(object: ObjectDef, field: FieldDef, id: string): SalesforceError {
  const what = field.name === 'OwnerId' ? ` as owner of ${object.label.toLowerCase()}` : '';
  return new SalesforceError(
    400,
    'INACTIVE_OWNER_OR_USER',
    `operation performed with inactive user [${id}]${what}`,
    [field.name],
  );
}

/** Whether the queue `queueId` may own records of `objectName` (a QueueSobject row says so). */
export function queueTakes(db: DatabaseSync, queueId: string, objectName: string): boolean {
  const row = db
    .prepare('SELECT 1 AS yes FROM "QueueSobject" WHERE "QueueId" = ? AND "SobjectType" = ? LIMIT 1')
    .get(queueId, objectName);
  return row !== undefined;
}

/**
 * Checks a reference value that exists and is of a type the field allows: owners, group members and queue
 * objects. `target` is the record it points at.
 */
export function checkReferenceTarget(
  context: RuleContext,
  object: ObjectDef,
  field: FieldDef,
  targetObject: ObjectDef,
  target: Record<string, Stored>,
): void {
  const id = String(target['Id']);
  const isUser = targetObject.name === 'User';
  const isGroup = targetObject.name === 'Group';
  if (field.name === 'OwnerId') {
    if (isGroup && (target['Type'] !== 'Queue' || !queueTakes(context.db, id, object.name))) {
      throw incorrectType(field, id);
    }
    if (isUser && target['IsActive'] !== 1) throw inactiveUser(object, field, id);
    return;
  }
  if (object.name === 'GroupMember' && field.name === 'UserOrGroupId' && isUser && target['IsActive'] !== 1) {
    throw inactiveUser(object, field, id);
  }
  if (object.name === 'QueueSobject' && field.name === 'QueueId' && target['Type'] !== 'Queue') {
    throw incorrectType(field, id);
  }
}

/** `Social Support` → `Social_Support`: letters, digits and single underscores, starting with a letter. */
export function developerNameFrom(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const named = base === '' ? 'Group' : /^[A-Za-z]/.test(base) ? base : `X${base}`;
  return named.slice(0, 80).replace(/_+$/, '');
}

function timeOf(value: Stored): number | null {
  if (typeof value !== 'string') return null;
  const [h, m, rest] = value.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number.parseFloat(rest ?? '0');
}

function integrity(message: string, fields: string[]): SalesforceError {
  return new SalesforceError(400, 'FIELD_INTEGRITY_EXCEPTION', message, fields);
}

function checkBusinessHours(
  context: RuleContext,
  object: ObjectDef,
  values: Map<string, Stored>,
  existing: Record<string, Stored> | undefined,
): void {
  const current = (name: string): Stored =>
    values.has(name) ? (values.get(name) ?? null) : (existing?.[name] ?? null);
  for (const day of WEEKDAYS) {
    const startField = `${day}StartTime`;
    const endField = `${day}EndTime`;
    const start = timeOf(current(startField));
    const end = timeOf(current(endField));
    if ((start === null) !== (end === null)) {
      throw integrity(
        `${day}: a day needs both a start and an end time (both blank: closed that day; both 00:00: open 24 hours)`,
        [start === null ? startField : endField],
      );
    }
    // An end of 00:00 is midnight at the end of the day; otherwise the day's window cannot run backwards.
    if (start !== null && end !== null && end !== 0 && end <= start) {
      throw integrity(`${day}: the end time must be after the start time`, [endField]);
    }
  }
  const isDefault = current('IsDefault') === 1;
  if (isDefault && current('IsActive') !== 1) {
    throw integrity('Default business hours must be active', ['IsActive']);
  }
  if (existing?.['IsDefault'] === 1 && !isDefault) {
    throw integrity('The org always has default business hours: make another record the default instead', [
      'IsDefault',
    ]);
  }
  if (isDefault && existing?.['IsDefault'] !== 1) {
    // The new default replaces the old one.
    context.db
      .prepare(`UPDATE "${object.name}" SET "IsDefault" = 0 WHERE "IsDefault" = 1 AND "Id" IS NOT ?`)
      .run(typeof current('Id') === 'string' ? (current('Id') as string) : null);
  }
}

/** Fields the org fills in from others before a write is checked: a group's DeveloperName from its Name. */
export function deriveObjectFields(
  object: ObjectDef,
  values: Map<string, Stored>,
  existing: Record<string, Stored> | undefined,
): void {
  if (object.name !== 'Group') return;
  const developerName = values.has('DeveloperName')
    ? values.get('DeveloperName')
    : existing?.['DeveloperName'];
  if (developerName !== null && developerName !== undefined && developerName !== '') return;
  const name = values.get('Name') ?? existing?.['Name'];
  if (typeof name === 'string' && name !== '') values.set('DeveloperName', developerNameFrom(name));
}

/**
 * The object rules of one write, after its fields are checked and just before it is stored. `existing` is
 * the stored row of an update (undefined on create); `values` the fields being written.
 */
export function applyObjectRules(
  context: RuleContext,
  object: ObjectDef,
  values: Map<string, Stored>,
  existing: Record<string, Stored> | undefined,
): void {
  if (object.name === 'BusinessHours') checkBusinessHours(context, object, values, existing);
}
