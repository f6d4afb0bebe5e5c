import { expect } from 'chai';
import { SalesforceError } from '../src/errors.ts';
import type { FieldDef, ObjectDef } from '../src/schema/model.ts';
import {
  isSalesforceId,
  parseDate,
  parseDateTime,
  to18,
  toApiValue,
  toStoredValue,
} from '../src/store/values.ts';

function field(spec: Partial<FieldDef> & Pick<FieldDef, 'name' | 'type'>): FieldDef {
  return {
    label: spec.name,
    length: 0,
    precision: 0,
    scale: 0,
    nillable: true,
    unique: false,
    externalId: false,
    caseSensitive: false,
    createable: true,
    updateable: true,
    filterable: true,
    sortable: true,
    custom: spec.name.endsWith('__c'),
    nameField: false,
    autoNumber: false,
    calculated: false,
    defaultValue: null,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    ...spec,
  };
}

const picklist = (...values: string[]) =>
  values.map((value) => ({ value, label: value, defaultValue: false, active: true }));

const body = field({ name: 'Body__c', label: 'Body', type: 'textarea', length: 255 });
const email = field({ name: 'Email', label: 'Email', type: 'email', length: 80 });
const network = field({
  name: 'Network__c',
  label: 'Network',
  type: 'picklist',
  length: 255,
  restrictedPicklist: true,
  picklistValues: [
    ...picklist('Twitter', 'Facebook'),
    { value: 'Myspace', label: 'Myspace', defaultValue: false, active: false },
  ],
});
const topics = field({
  name: 'Topics__c',
  label: 'Topics',
  type: 'multipicklist',
  length: 4099,
  restrictedPicklist: true,
  picklistValues: picklist('Billing', 'Shipping'),
});
const score = field({ name: 'Score__c', label: 'Score', type: 'double', precision: 5, scale: 2 });
const employees = field({ name: 'NumberOfEmployees', label: 'Employees', type: 'int', precision: 8 });
const amount = field({ name: 'Amount__c', label: 'Amount', type: 'currency', precision: 18, scale: 2 });
const reply = field({ name: 'Is_Reply__c', label: 'Is Reply', type: 'boolean' });
const posted = field({ name: 'Posted_At__c', label: 'Posted At', type: 'datetime' });
const birthdate = field({ name: 'Birthdate', label: 'Birthdate', type: 'date' });
const contact = field({
  name: 'Contact__c',
  label: 'Contact',
  type: 'reference',
  referenceTo: ['Contact'],
  relationshipName: 'Contact__r',
});
const post: ObjectDef = {
  name: 'Social_Post__c',
  label: 'Social Post',
  labelPlural: 'Social Posts',
  keyPrefix: 'a01',
  custom: true,
  fields: [body, network, topics, score, reply, posted, contact],
  childRelationships: [],
};

function failure(fn: () => unknown): SalesforceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SalesforceError) return error;
    throw error;
  }
  throw new Error('expected a SalesforceError');
}

describe('values: Salesforce Ids', () => {
  it('to18 appends the case-safe checksum suffix', () => {
    expect(to18('001A0000006Vm9r')).to.equal('001A0000006Vm9rIAC');
    expect(to18('003000000000000')).to.equal('003000000000000AAA');
    expect(to18('a01ZZZZZ00000zz')).to.equal('a01ZZZZZ00000zzYHA');
    expect(to18('001A0000006Vm9rIAC')).to.equal('001A0000006Vm9rIAC');
    expect(() => to18('abc')).to.throw();
  });

  it('isSalesforceId accepts 15/18 alphanumeric characters only', () => {
    expect(isSalesforceId('001A0000006Vm9r')).to.equal(true);
    expect(isSalesforceId('001A0000006Vm9rIAC')).to.equal(true);
    expect(isSalesforceId('001A0000006Vm9rI')).to.equal(false);
    expect(isSalesforceId('001A0000006Vm9-')).to.equal(false);
    expect(isSalesforceId(42)).to.equal(false);
  });
});

describe('values: toApiValue', () => {
  it('converts storage forms to REST JSON', () => {
    expect(toApiValue(reply, 1)).to.equal(true);
    expect(toApiValue(reply, 0)).to.equal(false);
    expect(toApiValue(employees, 12)).to.equal(12);
    expect(toApiValue(score, 1.5)).to.equal(1.5);
    expect(toApiValue(posted, '2024-05-01T12:00:00.000Z')).to.equal('2024-05-01T12:00:00.000+0000');
    expect(toApiValue(birthdate, '2024-05-01')).to.equal('2024-05-01');
    expect(toApiValue(body, 'hi')).to.equal('hi');
    expect(toApiValue(body, null)).to.equal(null);
    expect(toApiValue(posted, null)).to.equal(null);
    expect(toApiValue(score, null)).to.equal(null);
  });
});

describe('values: toStoredValue', () => {
  it('stores text, turning empty strings into null', () => {
    expect(toStoredValue(post, body, 'hello')).to.equal('hello');
    expect(toStoredValue(post, body, '')).to.equal(null);
    expect(toStoredValue(post, body, null)).to.equal(null);
    expect(toStoredValue(post, body, 12)).to.equal('12');
  });

  it('rejects text longer than the field with STRING_TOO_LONG', () => {
    const error = failure(() => toStoredValue(post, body, 'x'.repeat(256)));
    expect(error.statusCode).to.equal(400);
    expect(error.errorCode).to.equal('STRING_TOO_LONG');
    expect(error.message).to.match(/^Body: data value too large: x+ \(max length=255\)$/);
    expect(error.fields).to.deep.equal(['Body__c']);
    expect(toStoredValue(post, body, 'x'.repeat(255))).to.have.length(255);
  });

  it('validates email addresses', () => {
    expect(toStoredValue(post, email, 'ada@example.com')).to.equal('ada@example.com');
    const error = failure(() => toStoredValue(post, email, 'not-an-email'));
    expect(error.errorCode).to.equal('INVALID_EMAIL_ADDRESS');
    expect(error.message).to.equal('Email: invalid email address: not-an-email');
    expect(error.fields).to.deep.equal(['Email']);
  });

  it('enforces restricted picklists', () => {
    expect(toStoredValue(post, network, 'Twitter')).to.equal('Twitter');
    expect(toStoredValue(post, network, 'facebook')).to.equal('Facebook');
    const error = failure(() => toStoredValue(post, network, 'foo'));
    expect(error.errorCode).to.equal('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(error.message).to.equal('Network: bad value for restricted picklist field: foo');
    expect(error.fields).to.deep.equal(['Network__c']);
    expect(failure(() => toStoredValue(post, network, 'Myspace')).errorCode).to.equal(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    );
    expect(toStoredValue(post, topics, 'Billing; Shipping')).to.equal('Billing;Shipping');
    expect(failure(() => toStoredValue(post, topics, 'Billing;Nope')).message).to.equal(
      'Topics: bad value for restricted picklist field: Nope',
    );
  });

  it('parses numbers, numeric strings, rounds to scale and checks precision', () => {
    expect(toStoredValue(post, score, 1.234)).to.equal(1.23);
    expect(toStoredValue(post, score, '2.345')).to.equal(2.35);
    expect(toStoredValue(post, score, -2.345)).to.equal(-2.35);
    expect(toStoredValue(post, score, 999.994)).to.equal(999.99);
    expect(toStoredValue(post, employees, '42')).to.equal(42);
    expect(toStoredValue(post, amount, 10)).to.equal(10);
    const range = failure(() => toStoredValue(post, score, 1000));
    expect(range.errorCode).to.equal('NUMBER_OUTSIDE_VALID_RANGE');
    expect(range.message).to.equal('Score: value outside of valid range on numeric field: 1000');
    expect(range.fields).to.deep.equal(['Score__c']);
    expect(failure(() => toStoredValue(post, score, 999.999)).errorCode).to.equal(
      'NUMBER_OUTSIDE_VALID_RANGE',
    );
    const json = failure(() => toStoredValue(post, score, 'abc'));
    expect(json.errorCode).to.equal('JSON_PARSER_ERROR');
    expect(json.message).to.equal(
      'Cannot deserialize instance of double from VALUE_STRING value abc or request may be missing a required field at [line:1, column:1]',
    );
    expect(failure(() => toStoredValue(post, employees, true)).message).to.contain(
      'Cannot deserialize instance of int from VALUE_TRUE value true',
    );
  });

  it('parses booleans and "true"/"false" strings; null stores false', () => {
    expect(toStoredValue(post, reply, true)).to.equal(1);
    expect(toStoredValue(post, reply, false)).to.equal(0);
    expect(toStoredValue(post, reply, 'true')).to.equal(1);
    expect(toStoredValue(post, reply, 'FALSE')).to.equal(0);
    expect(toStoredValue(post, reply, null)).to.equal(0);
    const error = failure(() => toStoredValue(post, reply, 'yes'));
    expect(error.errorCode).to.equal('JSON_PARSER_ERROR');
    expect(error.message).to.contain('Cannot deserialize instance of boolean from VALUE_STRING value yes');
    expect(failure(() => toStoredValue(post, reply, { a: 1 })).message).to.contain(
      'from START_OBJECT value {',
    );
  });

  it('normalizes datetimes to UTC ISO with milliseconds', () => {
    expect(toStoredValue(post, posted, '2024-05-01T12:00:00.000+0000')).to.equal('2024-05-01T12:00:00.000Z');
    expect(toStoredValue(post, posted, '2024-05-01T12:00:00Z')).to.equal('2024-05-01T12:00:00.000Z');
    expect(toStoredValue(post, posted, '2024-05-01T14:30:00+02:00')).to.equal('2024-05-01T12:30:00.000Z');
    expect(toStoredValue(post, posted, '2024-05-01T07:00:00.5-0500')).to.equal('2024-05-01T12:00:00.500Z');
    expect(toStoredValue(post, posted, '2024-05-01')).to.equal('2024-05-01T00:00:00.000Z');
    expect(toStoredValue(post, posted, '2024-05-01T12:00:00')).to.equal('2024-05-01T12:00:00.000Z');
    const error = failure(() => toStoredValue(post, posted, '2024-13-01T00:00:00Z'));
    expect(error.errorCode).to.equal('JSON_PARSER_ERROR');
    expect(error.message).to.contain(
      'Cannot deserialize instance of datetime from VALUE_STRING value 2024-13-01',
    );
    expect(failure(() => toStoredValue(post, posted, 5)).errorCode).to.equal('JSON_PARSER_ERROR');
  });

  it('parses dates', () => {
    expect(toStoredValue(post, birthdate, '2024-02-29')).to.equal('2024-02-29');
    expect(toStoredValue(post, birthdate, '2024-02-29T10:00:00Z')).to.equal('2024-02-29');
    expect(failure(() => toStoredValue(post, birthdate, '2023-02-29')).errorCode).to.equal(
      'JSON_PARSER_ERROR',
    );
    expect(failure(() => toStoredValue(post, birthdate, 'tomorrow')).message).to.contain(
      'Cannot deserialize instance of date from VALUE_STRING value tomorrow',
    );
    expect(parseDate('2024-01-31')).to.equal('2024-01-31');
    expect(parseDateTime('2024-01-01T00:00:00+01:00')).to.equal(Date.UTC(2023, 11, 31, 23));
  });

  it('validates reference Ids and converts 15-char Ids to 18', () => {
    expect(toStoredValue(post, contact, '003A0000006Vm9r')).to.equal('003A0000006Vm9rIAC');
    expect(toStoredValue(post, contact, '003A0000006Vm9rIAC')).to.equal('003A0000006Vm9rIAC');
    expect(toStoredValue(post, contact, '')).to.equal(null);
    const error = failure(() => toStoredValue(post, contact, 'abc'));
    expect(error.errorCode).to.equal('MALFORMED_ID');
    expect(error.message).to.equal('Contact: id value of incorrect type: abc');
    expect(error.fields).to.deep.equal(['Contact__c']);
  });
});
