/**
 * The value codec: converts field values between their SQLite storage form (see tables.ts) and the JSON
 * Salesforce REST speaks, validating input the way Salesforce does on create and update.
 */
import { SalesforceError } from '../errors.ts';
import type { FieldDef, ObjectDef } from '../schema/model.ts';

const ID_SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** True for a 15- or 18-character Salesforce Id (format only; the 18-char suffix is not verified). */
export function isSalesforceId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Appends Salesforce's case-safe checksum suffix to a 15-character Id; 18-character Ids are returned as is. */
export function to18(id: string): string {
  if (id.length === 18) return id;
  if (id.length !== 15) throw new Error(`not a 15-character Salesforce Id: ${id}`);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') flags |= 1 << i;
    }
    suffix += ID_SUFFIX_ALPHABET.charAt(flags);
  }
  return id + suffix;
}

/** `2024-05-01T12:00:00.000Z` (storage) → `2024-05-01T12:00:00.000+0000` (REST). */
export function formatDateTime(stored: string): string {
  const date = new Date(stored);
  if (Number.isNaN(date.getTime())) return stored;
  return date.toISOString().replace(/Z$/, '+0000');
}

/** Storage → the JSON value Salesforce REST returns for the field. */
export function toApiValue(field: FieldDef, stored: unknown): unknown {
  if (stored === null || stored === undefined) {
    return field.type === 'boolean' ? false : null;
  }
  switch (field.type) {
    case 'boolean':
      return stored === 1 || stored === 1n || stored === true || stored === '1' || stored === 'true';
    case 'int':
      return typeof stored === 'bigint' ? Number(stored) : Math.trunc(Number(stored));
    case 'double':
    case 'currency':
    case 'percent':
      return Number(stored);
    case 'datetime':
      return formatDateTime(String(stored));
    case 'date':
      return String(stored).slice(0, 10);
    case 'time':
      return `${String(stored)}Z`;
    default:
      return typeof stored === 'string' ? stored : String(stored);
  }
}

function jsonTokenOf(value: unknown): { token: string; text: string } {
  if (typeof value === 'string') return { token: 'VALUE_STRING', text: value };
  if (typeof value === 'number') {
    return {
      token: Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT',
      text: String(value),
    };
  }
  if (typeof value === 'boolean') return { token: value ? 'VALUE_TRUE' : 'VALUE_FALSE', text: String(value) };
  if (Array.isArray(value)) return { token: 'START_ARRAY', text: '[' };
  if (typeof value === 'object' && value !== null) return { token: 'START_OBJECT', text: '{' };
  return { token: 'VALUE_STRING', text: String(value) };
}

function deserializeError(javaType: string, value: unknown): SalesforceError {
  const { token, text } = jsonTokenOf(value);
  return new SalesforceError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${javaType} from ${token} value ${text} or request may be missing a required field at [line:1, column:1]`,
  );
}

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function roundHalfUp(value: number, scale: number): number {
  const sign = value < 0 ? -1 : 1;
  const shifted = Math.round(Number(`${Math.abs(value)}e${scale}`));
  return sign * Number(`${shifted}e-${scale}`);
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$/i;

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** Parses an ISO date or datetime (any offset, or none for UTC) into epoch millis, or null if malformed. */
export function parseDateTime(text: string): number | null {
  const m = DATETIME_PATTERN.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (!validDate(year, month, day)) return null;
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const result = utc - offsetMinutes * 60_000;
  const check = new Date(result);
  return Number.isNaN(check.getTime()) ? null : result;
}

const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/;

/**
 * Parses a `time` value as REST takes it (`08:00`, `08:00:00`, `08:00:00.000Z`) into its storage form
 * `HH:MM:SS.sss` (REST answers it with a `Z`, as Salesforce does), or null if malformed.
 */
export function parseTime(text: string): string | null {
  const m = TIME_PATTERN.exec(text.trim());
  if (!m) return null;
  const [, h, mi, s, ms] = m;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return null;
  return `${h}:${mi}:${s ?? '00'}.${(ms ?? '').padEnd(3, '0')}`;
}

/** Parses `YYYY-MM-DD` (or the date part of an ISO datetime) into `YYYY-MM-DD`, or null. */
export function parseDate(text: string): string | null {
  const trimmed = text.trim();
  const m = DATE_PATTERN.exec(trimmed.slice(0, 10));
  if (!m) return null;
  if (trimmed.length > 10 && parseDateTime(trimmed) === null) return null;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return trimmed.slice(0, 10);
}

const EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+$/;

function textValue(field: FieldDef, value: unknown): string | null {
  if (typeof value === 'object' && value !== null) throw deserializeError('string', value);
  const text = String(value);
  if (text === '') return null;
  if (field.length > 0 && [...text].length > field.length) {
    throw new SalesforceError(
      400,
      'STRING_TOO_LONG',
      `${field.label}: data value too large: ${text} (max length=${field.length})`,
      [field.name],
    );
  }
  return text;
}

function restrictedPicklistError(field: FieldDef, value: string): SalesforceError {
  return new SalesforceError(
    400,
    'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    `${field.label}: bad value for restricted picklist field: ${value}`,
    [field.name],
  );
}

function picklistValue(field: FieldDef, value: string): string {
  if (!field.restrictedPicklist) return value;
  const active = field.picklistValues.filter((p) => p.active);
  const exact = active.find((p) => p.value === value);
  if (exact) return exact.value;
  const loose = active.find((p) => p.value.toLowerCase() === value.toLowerCase());
  if (loose) return loose.value;
  throw restrictedPicklistError(field, value);
}

function idValue(field: FieldDef, value: unknown): string | null {
  if (typeof value === 'object' && value !== null) throw deserializeError('id', value);
  const text = String(value);
  if (text === '') return null;
  if (!isSalesforceId(text)) {
    throw new SalesforceError(400, 'MALFORMED_ID', `${field.label}: id value of incorrect type: ${text}`, [
      field.name,
    ]);
  }
  return to18(text);
}

function numberValue(field: FieldDef, value: unknown): number {
  const javaType = field.type === 'int' ? 'int' : 'double';
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && NUMBER_PATTERN.test(value.trim())) n = Number(value.trim());
  else throw deserializeError(javaType, value);
  if (!Number.isFinite(n)) throw deserializeError(javaType, value);
  const scale = field.type === 'int' ? 0 : Math.max(0, field.scale);
  const rounded = field.type === 'int' ? Math.trunc(n) : roundHalfUp(n, scale);
  const integerDigits = field.precision - scale;
  if (field.precision > 0 && Math.abs(rounded) >= 10 ** integerDigits) {
    throw new SalesforceError(
      400,
      'NUMBER_OUTSIDE_VALID_RANGE',
      `${field.label}: value outside of valid range on numeric field: ${String(value)}`,
      [field.name],
    );
  }
  return Object.is(rounded, -0) ? 0 : rounded;
}

/**
 * JSON input → storage form, validated as Salesforce REST validates create/update bodies.
 * Throws SalesforceError(400, ...) with Salesforce's error codes and messages.
 */
export function toStoredValue(_object: ObjectDef, field: FieldDef, value: unknown): string | number | null {
  if (value === undefined || value === null) return field.type === 'boolean' ? 0 : null;
  switch (field.type) {
    case 'boolean': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
        return value.trim().toLowerCase() === 'true' ? 1 : 0;
      }
      throw deserializeError('boolean', value);
    }
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return numberValue(field, value);
    case 'date': {
      if (typeof value !== 'string') throw deserializeError('date', value);
      if (value === '') return null;
      const date = parseDate(value);
      if (date === null) throw deserializeError('date', value);
      return date;
    }
    case 'datetime': {
      if (typeof value !== 'string') throw deserializeError('datetime', value);
      if (value === '') return null;
      const millis = parseDateTime(value);
      if (millis === null) throw deserializeError('datetime', value);
      return new Date(millis).toISOString();
    }
    case 'time': {
      if (typeof value !== 'string') throw deserializeError('time', value);
      if (value === '') return null;
      const time = parseTime(value);
      if (time === null) throw deserializeError('time', value);
      return time;
    }
    case 'id':
    case 'reference':
      return idValue(field, value);
    case 'email': {
      const text = textValue(field, value);
      if (text !== null && !EMAIL_PATTERN.test(text)) {
        throw new SalesforceError(
          400,
          'INVALID_EMAIL_ADDRESS',
          `${field.label}: invalid email address: ${text}`,
          [field.name],
        );
      }
      return text;
    }
    case 'picklist': {
      const text = textValue(field, value);
      return text === null ? null : picklistValue(field, text);
    }
    case 'multipicklist': {
      const text = textValue(field, value);
      if (text === null) return null;
      const parts = text
        .split(';')
        .map((p) => p.trim())
        .filter((p) => p !== '');
      const normalized = [...new Set(parts.map((p) => picklistValue(field, p)))];
      return normalized.length === 0 ? null : normalized.join(';');
    }
    default:
      return textValue(field, value);
  }
}
