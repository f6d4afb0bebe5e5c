import { expect } from 'chai';
import { DatabaseSync } from 'node:sqlite';
import { SalesforceError } from '../src/errors.ts';
import { Schema } from '../src/schema/model.ts';
import type { ChildRelationship, FieldDef, ObjectDef } from '../src/schema/model.ts';
import { executeQuery } from '../src/soql/index.ts';
import type { ApiRecord, QueryResult } from '../src/soql/index.ts';
import { createTables, quoteIdent } from '../src/store/tables.ts';
import { to18 } from '../src/store/values.ts';

// ----------------------------------------------------------------------------------------------------
// A small hand-built schema: Account, Contact, User, Group and the Social_Post__c custom object.

function field(spec: Partial<FieldDef> & Pick<FieldDef, 'name' | 'type'>): FieldDef {
  return {
    label: spec.name,
    length: ['string', 'textarea', 'email', 'phone', 'url', 'picklist'].includes(spec.type) ? 255 : 0,
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

function object(
  name: string,
  keyPrefix: string,
  fields: FieldDef[],
  childRelationships: ChildRelationship[] = [],
): ObjectDef {
  return {
    name,
    label: name,
    labelPlural: `${name}s`,
    keyPrefix,
    custom: name.endsWith('__c'),
    fields: [
      field({ name: 'Id', type: 'id', nillable: false, createable: false, updateable: false }),
      field({ name: 'IsDeleted', type: 'boolean', createable: false, updateable: false }),
      ...fields,
    ],
    childRelationships,
  };
}

const nameField = field({ name: 'Name', type: 'string', nameField: true });
const schema = new Schema([
  object('User', '005', [nameField]),
  object('Group', '00G', [nameField]),
  object(
    'Account',
    '001',
    [
      nameField,
      field({ name: 'Industry', type: 'picklist' }),
      field({ name: 'AnnualRevenue', type: 'currency', precision: 18, scale: 0 }),
      field({ name: 'NumberOfEmployees', type: 'int', precision: 8 }),
      field({ name: 'CreatedDate', type: 'datetime' }),
      field({
        name: 'OwnerId',
        type: 'reference',
        referenceTo: ['Group', 'User'],
        relationshipName: 'Owner',
      }),
    ],
    [{ childSObject: 'Contact', field: 'AccountId', relationshipName: 'Contacts', cascadeDelete: false }],
  ),
  object(
    'Contact',
    '003',
    [
      field({ name: 'FirstName', type: 'string' }),
      field({ name: 'LastName', type: 'string' }),
      field({ name: 'Name', type: 'string', nameField: true, calculated: true }),
      field({ name: 'Email', type: 'email' }),
      field({ name: 'Birthdate', type: 'date' }),
      field({ name: 'Interests__c', type: 'multipicklist', length: 4099 }),
      field({ name: 'AccountId', type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' }),
    ],
    [
      {
        childSObject: 'Social_Post__c',
        field: 'Contact__c',
        relationshipName: 'Social_Posts__r',
        cascadeDelete: false,
      },
    ],
  ),
  object('Social_Post__c', 'a01', [
    nameField,
    field({ name: 'External_Id__c', type: 'string', externalId: true, unique: true }),
    field({ name: 'Body__c', type: 'textarea', length: 32768, filterable: false, sortable: false }),
    field({ name: 'Network__c', type: 'picklist', restrictedPicklist: true }),
    field({ name: 'Posted_At__c', type: 'datetime' }),
    field({ name: 'Is_Reply__c', type: 'boolean' }),
    field({ name: 'Likes__c', type: 'double', precision: 18, scale: 0 }),
    field({
      name: 'Contact__c',
      label: 'Contact',
      type: 'reference',
      referenceTo: ['Contact'],
      relationshipName: 'Contact__r',
    }),
  ]),
]);

const id = (prefix: string, n: number): string => to18(`${prefix}Dv0${String(n).padStart(9, '0')}`);
const U1 = id('005', 1);
const G1 = id('00G', 1);
const A1 = id('001', 1);
const A2 = id('001', 2);
const A3 = id('001', 3);
const A4 = id('001', 4);
const C = [0, 1, 2, 3, 4, 5].map((n) => id('003', n));
const P = [0, 1, 2, 3, 4, 5, 6].map((n) => id('a01', n));

type Row = Record<string, string | number | null>;

function insert(db: DatabaseSync, table: string, rows: Row[]): void {
  for (const row of rows) {
    const names = Object.keys(row);
    const sql = `INSERT INTO ${quoteIdent(table)} (${names.map(quoteIdent).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    db.prepare(sql).run(...names.map((n) => row[n] ?? null));
  }
}

const db = new DatabaseSync(':memory:');
createTables(db, schema);
insert(db, 'User', [{ Id: U1, Name: 'Ada Admin' }]);
insert(db, 'Group', [{ Id: G1, Name: 'Support Queue' }]);
insert(db, 'Account', [
  {
    Id: A1,
    Name: 'Acme',
    Industry: 'Tech',
    AnnualRevenue: 1000.5,
    NumberOfEmployees: 50,
    OwnerId: U1,
    CreatedDate: '2024-05-01T10:00:00.000Z',
  },
  { Id: A2, Name: 'Globex', Industry: 'Retail', AnnualRevenue: 200, NumberOfEmployees: 10, OwnerId: G1 },
  { Id: A3, Name: 'Initech', Industry: 'Tech', AnnualRevenue: 300, OwnerId: U1 },
  { Id: A4, Name: 'Deleted Co', IsDeleted: 1 },
]);
insert(db, 'Contact', [
  {
    Id: C[1]!,
    FirstName: 'Ada',
    LastName: 'Lovelace',
    Name: 'Ada Lovelace',
    Email: 'ada@example.com',
    Birthdate: '1990-12-10',
    Interests__c: 'Chess;Math',
    AccountId: A1,
  },
  {
    Id: C[2]!,
    FirstName: 'Grace',
    LastName: 'Hopper',
    Name: 'Grace Hopper',
    Birthdate: '2024-05-02',
    Interests__c: 'Navy',
    AccountId: A1,
  },
  { Id: C[3]!, FirstName: 'Alan', LastName: 'Turing', Name: 'Alan Turing', Birthdate: '2024-05-01' },
  { Id: C[4]!, LastName: 'Torvalds', Name: 'Torvalds', Interests__c: 'Chess', AccountId: A2 },
  { Id: C[5]!, LastName: 'Gone', Name: 'Gone', AccountId: A1, IsDeleted: 1 },
]);
insert(db, 'Social_Post__c', [
  {
    Id: P[1]!,
    Name: 'P-1',
    External_Id__c: 'EXT-1',
    Body__c: 'Loving the new release',
    Network__c: 'Twitter',
    Posted_At__c: '2024-05-01T12:00:00.000Z',
    Likes__c: 10,
    Contact__c: C[1]!,
  },
  {
    Id: P[2]!,
    Name: 'P-2',
    External_Id__c: 'EXT-2',
    Network__c: 'Facebook',
    Posted_At__c: '2024-05-02T08:00:00.000Z',
    Is_Reply__c: 1,
    Likes__c: 3,
    Contact__c: C[1]!,
  },
  {
    Id: P[3]!,
    Name: 'P-3',
    External_Id__c: 'EXT-3',
    Network__c: 'Twitter',
    Posted_At__c: '2024-04-15T00:00:00.000Z',
    Likes__c: 7,
    Contact__c: C[2]!,
  },
  { Id: P[4]!, Name: 'P-4', External_Id__c: 'EXT-4', Network__c: 'Instagram', Contact__c: C[3]! },
  { Id: P[5]!, Name: 'P-5', External_Id__c: 'EXT-5', Network__c: 'Twitter', Contact__c: C[1]!, IsDeleted: 1 },
  {
    Id: P[6]!,
    Name: 'P_6 100%',
    External_Id__c: 'EXT-6',
    Network__c: 'Twitter',
    Posted_At__c: '2024-05-03T09:00:00.000Z',
    Likes__c: 1,
  },
]);

// Thursday 2 May 2024, 15:00 UTC; the week started on Sunday 28 April.
const NOW = new Date('2024-05-02T15:00:00.000Z');
const API = '/services/data/v62.0';

function query(soql: string, includeDeleted = false): QueryResult {
  return executeQuery(db, schema, soql, { apiPath: API, now: NOW, includeDeleted });
}

function column(soql: string, key = 'External_Id__c'): unknown[] {
  return query(soql).records.map((r) => r[key]);
}

function failure(soql: string): SalesforceError {
  try {
    query(soql);
  } catch (error) {
    if (error instanceof SalesforceError) return error;
    throw error;
  }
  throw new Error(`expected a SalesforceError from ${soql}`);
}

// ----------------------------------------------------------------------------------------------------

describe('soql: field lists', () => {
  it('returns records with attributes and describe-cased keys', () => {
    const result = query(`select name, INDUSTRY, numberofemployees from account where name = 'acme'`);
    expect(result.totalSize).to.equal(1);
    expect(result.done).to.equal(true);
    expect(result.records).to.deep.equal([
      {
        attributes: { type: 'Account', url: `${API}/sobjects/Account/${A1}` },
        Name: 'Acme',
        Industry: 'Tech',
        NumberOfEmployees: 50,
      },
    ]);
    expect(Object.keys(result.records[0]!)).to.deep.equal([
      'attributes',
      'Name',
      'Industry',
      'NumberOfEmployees',
    ]);
  });

  it('converts values to their REST JSON forms', () => {
    const [record] = query(
      `SELECT Id, Posted_At__c, Is_Reply__c, Likes__c, Body__c FROM Social_Post__c WHERE External_Id__c = 'EXT-1'`,
    ).records;
    expect(record).to.deep.include({
      Id: P[1],
      Posted_At__c: '2024-05-01T12:00:00.000+0000',
      Is_Reply__c: false,
      Likes__c: 10,
      Body__c: 'Loving the new release',
    });
    const [contact] = query(
      `SELECT Birthdate, Email, AccountId FROM Contact WHERE LastName = 'Turing'`,
    ).records;
    expect(contact).to.deep.include({ Birthdate: '2024-05-01', Email: null, AccountId: null });
  });

  it('accepts the object name or alias as a field prefix', () => {
    expect(column(`SELECT c.Name FROM Contact c WHERE c.LastName = 'Hopper'`, 'Name')).to.deep.equal([
      'Grace Hopper',
    ]);
    expect(
      column(`SELECT Contact.Name FROM Contact WHERE Contact.LastName = 'Hopper'`, 'Name'),
    ).to.deep.equal(['Grace Hopper']);
  });

  it('expands FIELDS(STANDARD|CUSTOM|ALL)', () => {
    const [standard] = query(`SELECT FIELDS(STANDARD) FROM Account WHERE Name = 'Acme'`).records;
    expect(Object.keys(standard!)).to.deep.equal([
      'attributes',
      'Id',
      'IsDeleted',
      'Name',
      'Industry',
      'AnnualRevenue',
      'NumberOfEmployees',
      'CreatedDate',
      'OwnerId',
    ]);
    const [custom] = query(
      `SELECT Id, FIELDS(CUSTOM) FROM Contact WHERE LastName = 'Hopper' LIMIT 200`,
    ).records;
    expect(Object.keys(custom!)).to.deep.equal(['attributes', 'Id', 'Interests__c']);
    expect(Object.keys(query(`SELECT FIELDS(ALL) FROM Social_Post__c LIMIT 1`).records[0]!)).to.have.length(
      11,
    );
    const error = failure(`SELECT FIELDS(ALL) FROM Social_Post__c`);
    expect(error.errorCode).to.equal('MALFORMED_QUERY');
    expect(error.message).to.contain('The SOQL FIELDS function must have a LIMIT of at most 200');
  });
});

describe('soql: relationships', () => {
  it('nests parent fields at any depth, null when there is no parent', () => {
    const records = query(
      `SELECT External_Id__c, Contact__r.Name, Contact__r.Account.Name, contact__r.account.industry
       FROM Social_Post__c ORDER BY External_Id__c`,
    ).records;
    expect(records.map((r) => r.External_Id__c)).to.deep.equal(['EXT-1', 'EXT-2', 'EXT-3', 'EXT-4', 'EXT-6']);
    expect(records[0]).to.deep.equal({
      attributes: { type: 'Social_Post__c', url: `${API}/sobjects/Social_Post__c/${P[1]}` },
      External_Id__c: 'EXT-1',
      Contact__r: {
        attributes: { type: 'Contact', url: `${API}/sobjects/Contact/${C[1]}` },
        Name: 'Ada Lovelace',
        Account: {
          attributes: { type: 'Account', url: `${API}/sobjects/Account/${A1}` },
          Name: 'Acme',
          Industry: 'Tech',
        },
      },
    });
    expect(records[3]!.Contact__r).to.deep.include({ Name: 'Alan Turing', Account: null });
    expect(records[4]!.Contact__r).to.equal(null);
  });

  it('follows polymorphic lookups (Owner.Name) to the right object', () => {
    const records = query(`SELECT Name, Owner.Name FROM Account ORDER BY Name`).records;
    expect(records.map((r) => r.Owner)).to.deep.equal([
      // A polymorphic parent is a `Name` record; its url names the object it is.
      { attributes: { type: 'Name', url: `${API}/sobjects/User/${U1}` }, Name: 'Ada Admin' },
      { attributes: { type: 'Name', url: `${API}/sobjects/Group/${G1}` }, Name: 'Support Queue' },
      { attributes: { type: 'Name', url: `${API}/sobjects/User/${U1}` }, Name: 'Ada Admin' },
    ]);
    expect(column(`SELECT Name FROM Account WHERE Owner.Name LIKE 'support%'`, 'Name')).to.deep.equal([
      'Globex',
    ]);
  });

  it('filters and sorts on parent fields', () => {
    expect(
      column(
        `SELECT External_Id__c FROM Social_Post__c WHERE Contact__r.Account.Name = 'ACME' ORDER BY Likes__c DESC`,
      ),
    ).to.deep.equal(['EXT-1', 'EXT-3', 'EXT-2']);
    expect(column(`SELECT Name FROM Contact ORDER BY Account.Name DESC, Name`, 'Name')).to.deep.equal([
      'Torvalds',
      'Ada Lovelace',
      'Grace Hopper',
      'Alan Turing',
    ]);
  });

  it('runs child subqueries, null when a parent has no children', () => {
    const records = query(
      `SELECT Name, (SELECT External_Id__c, Network__c FROM Social_Posts__r ORDER BY External_Id__c DESC)
       FROM Contact ORDER BY Name`,
    ).records;
    expect(records.map((r) => r.Name)).to.deep.equal([
      'Ada Lovelace',
      'Alan Turing',
      'Grace Hopper',
      'Torvalds',
    ]);
    expect(records[0]!.Social_Posts__r).to.deep.equal({
      totalSize: 2,
      done: true,
      records: [
        {
          attributes: { type: 'Social_Post__c', url: `${API}/sobjects/Social_Post__c/${P[2]}` },
          External_Id__c: 'EXT-2',
          Network__c: 'Facebook',
        },
        {
          attributes: { type: 'Social_Post__c', url: `${API}/sobjects/Social_Post__c/${P[1]}` },
          External_Id__c: 'EXT-1',
          Network__c: 'Twitter',
        },
      ],
    });
    expect((records[1]!.Social_Posts__r as QueryResult).records.map((r) => r.External_Id__c)).to.deep.equal([
      'EXT-4',
    ]);
    expect(records[3]!.Social_Posts__r).to.equal(null);
  });

  it('applies WHERE, LIMIT and OFFSET per parent in child subqueries', () => {
    const records = query(
      `SELECT Name, (SELECT External_Id__c FROM Social_Posts__r WHERE Likes__c > 0 ORDER BY Likes__c LIMIT 1)
       FROM Contact WHERE Name LIKE '%a%' ORDER BY Name`,
    ).records;
    const posts = (r: ApiRecord) =>
      (r.Social_Posts__r as QueryResult | null)?.records.map((p) => p.External_Id__c);
    expect(records.map(posts)).to.deep.equal([['EXT-2'], undefined, ['EXT-3'], undefined]);
    const accounts = query(
      `SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account`,
    ).records;
    expect((accounts[0]!.Contacts as QueryResult).records.map((r) => r.LastName)).to.deep.equal([
      'Hopper',
      'Lovelace',
    ]);
  });
});

describe('soql: WHERE', () => {
  const ids = (where: string) =>
    column(`SELECT External_Id__c FROM Social_Post__c WHERE ${where} ORDER BY External_Id__c`);

  it('compares with =, !=, <, <=, >, >= (case-insensitive text; != matches nulls)', () => {
    expect(ids(`Network__c = 'twitter'`)).to.deep.equal(['EXT-1', 'EXT-3', 'EXT-6']);
    expect(ids(`Network__c != 'Twitter'`)).to.deep.equal(['EXT-2', 'EXT-4']);
    expect(ids(`Likes__c != 3`)).to.deep.equal(['EXT-1', 'EXT-3', 'EXT-4', 'EXT-6']);
    expect(ids(`Likes__c < 7`)).to.deep.equal(['EXT-2', 'EXT-6']);
    expect(ids(`Likes__c <= 7`)).to.deep.equal(['EXT-2', 'EXT-3', 'EXT-6']);
    expect(ids(`Likes__c > 7`)).to.deep.equal(['EXT-1']);
    expect(ids(`Likes__c >= 7.0`)).to.deep.equal(['EXT-1', 'EXT-3']);
    expect(ids(`External_Id__c > 'ext-3'`)).to.deep.equal(['EXT-4', 'EXT-6']);
  });

  it('combines AND, OR, NOT and parentheses', () => {
    expect(ids(`Network__c = 'Twitter' AND Likes__c > 5`)).to.deep.equal(['EXT-1', 'EXT-3']);
    expect(ids(`Network__c = 'Facebook' OR Likes__c = 7 OR Likes__c = null`)).to.deep.equal([
      'EXT-2',
      'EXT-3',
      'EXT-4',
    ]);
    expect(ids(`(Network__c = 'Twitter' OR Network__c = 'Facebook') AND Likes__c < 8`)).to.deep.equal([
      'EXT-2',
      'EXT-3',
      'EXT-6',
    ]);
    expect(ids(`NOT Network__c = 'Twitter'`)).to.deep.equal(['EXT-2', 'EXT-4']);
    expect(ids(`NOT (Network__c = 'Twitter' OR Likes__c = 3) AND Name != null`)).to.deep.equal(['EXT-4']);
    expect(ids(`NOT Likes__c > 5`)).to.deep.equal(['EXT-2', 'EXT-4', 'EXT-6']);
    expect(ids(`Likes__c > 0 AND (NOT Network__c = 'Twitter')`)).to.deep.equal(['EXT-2']);
  });

  it('matches LIKE with % and _ and escapes', () => {
    expect(ids(`Name LIKE 'p-%'`)).to.deep.equal(['EXT-1', 'EXT-2', 'EXT-3', 'EXT-4']);
    expect(ids(`Name LIKE 'P_6%'`)).to.deep.equal(['EXT-6']);
    expect(ids(`Name LIKE 'P-_'`)).to.deep.equal(['EXT-1', 'EXT-2', 'EXT-3', 'EXT-4']);
    expect(ids(`Name LIKE 'P\\_6 100\\%'`)).to.deep.equal(['EXT-6']);
    expect(ids(`Name LIKE 'P\\_1%'`)).to.deep.equal([]);
  });

  it('supports IN / NOT IN lists (NOT IN matches nulls)', () => {
    expect(ids(`Network__c IN ('Facebook', 'INSTAGRAM')`)).to.deep.equal(['EXT-2', 'EXT-4']);
    expect(ids(`Likes__c IN (1, 3.0)`)).to.deep.equal(['EXT-2', 'EXT-6']);
    expect(ids(`Likes__c NOT IN (1, 3)`)).to.deep.equal(['EXT-1', 'EXT-3', 'EXT-4']);
    expect(ids(`Likes__c IN (10, NULL)`)).to.deep.equal(['EXT-1', 'EXT-4']);
    expect(ids(`Contact__c IN ('${C[2]}', '${C[3]}')`)).to.deep.equal(['EXT-3', 'EXT-4']);
  });

  it('supports semi-joins and anti-joins', () => {
    expect(
      column(
        `SELECT Name FROM Contact WHERE Id IN (SELECT Contact__c FROM Social_Post__c WHERE Network__c = 'Twitter') ORDER BY Name`,
        'Name',
      ),
    ).to.deep.equal(['Ada Lovelace', 'Grace Hopper']);
    expect(
      column(
        `SELECT Name FROM Contact WHERE Id NOT IN (SELECT Contact__c FROM Social_Post__c) ORDER BY Name`,
        'Name',
      ),
    ).to.deep.equal(['Torvalds']);
    expect(
      column(
        `SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Interests__c INCLUDES ('Chess'))`,
        'Name',
      ),
    ).to.deep.equal(['Acme', 'Globex']);
  });

  it('supports INCLUDES / EXCLUDES on multi-select picklists', () => {
    const names = (where: string) => column(`SELECT Name FROM Contact WHERE ${where} ORDER BY Name`, 'Name');
    expect(names(`Interests__c INCLUDES ('chess')`)).to.deep.equal(['Ada Lovelace', 'Torvalds']);
    expect(names(`Interests__c INCLUDES ('Chess;Math', 'Navy')`)).to.deep.equal([
      'Ada Lovelace',
      'Grace Hopper',
    ]);
    expect(names(`Interests__c INCLUDES ('Math;Navy')`)).to.deep.equal([]);
    expect(names(`Interests__c EXCLUDES ('Chess')`)).to.deep.equal(['Alan Turing', 'Grace Hopper']);
  });

  it('compares with NULL and booleans', () => {
    expect(ids(`Posted_At__c = null`)).to.deep.equal(['EXT-4']);
    expect(ids(`Contact__c != NULL AND Posted_At__c != null`)).to.deep.equal(['EXT-1', 'EXT-2', 'EXT-3']);
    expect(ids(`Is_Reply__c = TRUE`)).to.deep.equal(['EXT-2']);
    expect(ids(`Is_Reply__c = false AND Likes__c != null`)).to.deep.equal(['EXT-1', 'EXT-3', 'EXT-6']);
  });

  it('matches 15-character Id literals against 18-character Ids', () => {
    expect(ids(`Id = '${P[2]!.slice(0, 15)}'`)).to.deep.equal(['EXT-2']);
    expect(ids(`Contact__c = '${C[2]}'`)).to.deep.equal(['EXT-3']);
  });

  it('compares dates and datetimes, with offsets', () => {
    expect(ids(`Posted_At__c = 2024-05-01T12:00:00Z`)).to.deep.equal(['EXT-1']);
    expect(ids(`Posted_At__c = 2024-05-01T14:00:00+02:00`)).to.deep.equal(['EXT-1']);
    expect(ids(`Posted_At__c = 2024-05-01T12:00:00.000+0000`)).to.deep.equal(['EXT-1']);
    expect(ids(`Posted_At__c >= 2024-05-01T00:00:00-05:00`)).to.deep.equal(['EXT-1', 'EXT-2', 'EXT-6']);
    expect(ids(`Posted_At__c < 2024-05-01T00:00:00Z`)).to.deep.equal(['EXT-3']);
    expect(
      column(`SELECT Name FROM Contact WHERE Birthdate > 2000-01-01 ORDER BY Birthdate`, 'Name'),
    ).to.deep.equal(['Alan Turing', 'Grace Hopper']);
  });

  it('resolves date literals relative to now (UTC)', () => {
    expect(ids(`Posted_At__c = TODAY`)).to.deep.equal(['EXT-2']);
    expect(ids(`Posted_At__c = YESTERDAY`)).to.deep.equal(['EXT-1']);
    expect(ids(`Posted_At__c = TOMORROW`)).to.deep.equal(['EXT-6']);
    expect(ids(`Posted_At__c > TODAY`)).to.deep.equal(['EXT-6']);
    expect(ids(`Posted_At__c < TODAY`)).to.deep.equal(['EXT-1', 'EXT-3']);
    expect(ids(`Posted_At__c != TODAY`)).to.deep.equal(['EXT-1', 'EXT-3', 'EXT-4', 'EXT-6']);
    expect(ids(`Posted_At__c = LAST_N_DAYS:1`)).to.deep.equal(['EXT-1', 'EXT-2']);
    expect(ids(`Posted_At__c > LAST_N_DAYS:30`)).to.deep.equal(['EXT-1', 'EXT-2', 'EXT-3', 'EXT-6']);
    expect(ids(`Posted_At__c = NEXT_N_DAYS:2`)).to.deep.equal(['EXT-6']);
    expect(ids(`Posted_At__c = LAST_N_HOURS:8`)).to.deep.equal(['EXT-2']);
    expect(ids(`Posted_At__c = THIS_WEEK`)).to.deep.equal(['EXT-1', 'EXT-2', 'EXT-6']);
    expect(ids(`Posted_At__c = LAST_WEEK`)).to.deep.equal([]);
    expect(ids(`Posted_At__c = THIS_MONTH`)).to.deep.equal(['EXT-1', 'EXT-2', 'EXT-6']);
    expect(ids(`Posted_At__c = LAST_MONTH`)).to.deep.equal(['EXT-3']);
    expect(ids(`Posted_At__c = THIS_YEAR`)).to.deep.equal(['EXT-1', 'EXT-2', 'EXT-3', 'EXT-6']);
    expect(ids(`Posted_At__c IN (YESTERDAY, TOMORROW)`)).to.deep.equal(['EXT-1', 'EXT-6']);
    const names = (where: string) => column(`SELECT Name FROM Contact WHERE ${where} ORDER BY Name`, 'Name');
    expect(names(`Birthdate = TODAY`)).to.deep.equal(['Grace Hopper']);
    expect(names(`Birthdate = LAST_N_DAYS:1`)).to.deep.equal(['Alan Turing', 'Grace Hopper']);
    expect(names(`Birthdate < THIS_YEAR`)).to.deep.equal(['Ada Lovelace']);
  });

  it('excludes soft-deleted rows unless includeDeleted', () => {
    expect(column(`SELECT Name FROM Account ORDER BY Name`, 'Name')).to.deep.equal([
      'Acme',
      'Globex',
      'Initech',
    ]);
    const all = query(`SELECT Name, IsDeleted FROM Account WHERE Name LIKE 'D%'`, true).records;
    expect(all).to.have.length(1);
    expect(all[0]).to.deep.include({ Name: 'Deleted Co', IsDeleted: true });
    expect(
      query(`SELECT Name, (SELECT Id FROM Social_Posts__r) FROM Contact WHERE LastName = 'Lovelace'`, true)
        .records[0]!.Social_Posts__r,
    ).to.deep.include({ totalSize: 3 });
  });
});

describe('soql: ORDER BY, LIMIT, OFFSET', () => {
  it('sorts with nulls first ascending and last descending by default', () => {
    expect(column(`SELECT External_Id__c FROM Social_Post__c ORDER BY Likes__c`)).to.deep.equal([
      'EXT-4',
      'EXT-6',
      'EXT-2',
      'EXT-3',
      'EXT-1',
    ]);
    expect(column(`SELECT External_Id__c FROM Social_Post__c ORDER BY Likes__c DESC`)).to.deep.equal([
      'EXT-1',
      'EXT-3',
      'EXT-2',
      'EXT-6',
      'EXT-4',
    ]);
    expect(
      column(`SELECT External_Id__c FROM Social_Post__c ORDER BY Likes__c ASC NULLS LAST`),
    ).to.deep.equal(['EXT-6', 'EXT-2', 'EXT-3', 'EXT-1', 'EXT-4']);
    expect(
      column(`SELECT External_Id__c FROM Social_Post__c ORDER BY Likes__c DESC NULLS FIRST`)[0],
    ).to.equal('EXT-4');
  });

  it('sorts by several fields, text case-insensitively', () => {
    expect(
      column(`SELECT External_Id__c FROM Social_Post__c ORDER BY Network__c DESC, External_Id__c DESC`),
    ).to.deep.equal(['EXT-6', 'EXT-3', 'EXT-1', 'EXT-4', 'EXT-2']);
  });

  it('applies LIMIT and OFFSET', () => {
    const soql = `SELECT External_Id__c FROM Social_Post__c ORDER BY External_Id__c`;
    expect(column(`${soql} LIMIT 2`)).to.deep.equal(['EXT-1', 'EXT-2']);
    expect(column(`${soql} LIMIT 2 OFFSET 3`)).to.deep.equal(['EXT-4', 'EXT-6']);
    expect(column(`${soql} OFFSET 4`)).to.deep.equal(['EXT-6']);
    expect(query(`${soql} LIMIT 2`).totalSize).to.equal(2);
  });
});

describe('soql: aggregates', () => {
  it('SELECT COUNT() returns the count as totalSize with no records', () => {
    expect(query(`SELECT COUNT() FROM Social_Post__c`)).to.deep.equal({
      totalSize: 5,
      done: true,
      records: [],
    });
    expect(query(`SELECT COUNT() FROM Social_Post__c WHERE Network__c = 'Twitter'`).totalSize).to.equal(3);
    expect(
      query(`SELECT COUNT() FROM Social_Post__c WHERE Contact__r.Account.Name = 'Acme'`).totalSize,
    ).to.equal(3);
    expect(query(`SELECT COUNT() FROM Social_Post__c LIMIT 2`).totalSize).to.equal(2);
    expect(query(`SELECT COUNT() FROM Social_Post__c`, true).totalSize).to.equal(6);
  });

  it('COUNT(Id) and COUNT(field) alias without GROUP BY', () => {
    expect(query(`SELECT COUNT(Id), COUNT(Posted_At__c) posted FROM Social_Post__c`)).to.deep.equal({
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'AggregateResult' }, expr0: 5, posted: 4 }],
    });
  });

  it('MAX/MIN/SUM/AVG with GROUP BY, HAVING and ORDER BY', () => {
    const result = query(
      `SELECT Network__c, COUNT(Id), SUM(Likes__c) total, MAX(Posted_At__c), MIN(Likes__c), AVG(Likes__c)
       FROM Social_Post__c GROUP BY Network__c ORDER BY Network__c`,
    );
    expect(result.totalSize).to.equal(3);
    expect(result.records).to.deep.equal([
      {
        attributes: { type: 'AggregateResult' },
        Network__c: 'Facebook',
        expr0: 1,
        total: 3,
        expr1: '2024-05-02T08:00:00.000+0000',
        expr2: 3,
        expr3: 3,
      },
      {
        attributes: { type: 'AggregateResult' },
        Network__c: 'Instagram',
        expr0: 1,
        total: null,
        expr1: null,
        expr2: null,
        expr3: null,
      },
      {
        attributes: { type: 'AggregateResult' },
        Network__c: 'Twitter',
        expr0: 3,
        total: 18,
        expr1: '2024-05-03T09:00:00.000+0000',
        expr2: 1,
        expr3: 6,
      },
    ]);
    const having = query(
      `SELECT Contact__r.Name, COUNT(Id) n FROM Social_Post__c WHERE Contact__c != null
       GROUP BY Contact__r.Name HAVING COUNT(Id) > 0 ORDER BY COUNT(Id) DESC, Contact__r.Name`,
    ).records;
    expect(having.map((r) => [r.Name, r.n])).to.deep.equal([
      ['Ada Lovelace', 2],
      ['Alan Turing', 1],
      ['Grace Hopper', 1],
    ]);
    const single = query(`SELECT Network__c FROM Social_Post__c GROUP BY Network__c HAVING COUNT(Id) > 1`);
    expect(single.records).to.deep.equal([
      { attributes: { type: 'AggregateResult' }, Network__c: 'Twitter' },
    ]);
  });

  it('rejects ungrouped fields', () => {
    const error = failure(`SELECT Name, COUNT(Id) FROM Social_Post__c GROUP BY Network__c`);
    expect(error.errorCode).to.equal('MALFORMED_QUERY');
    expect(error.message).to.contain('Field must be grouped or aggregated: Name');
  });
});

describe('soql: errors', () => {
  it('MALFORMED_QUERY for syntax errors, with the caret line', () => {
    const error = failure(`SELECT Id FORM Contact`);
    expect(error.statusCode).to.equal(400);
    expect(error.errorCode).to.equal('MALFORMED_QUERY');
    expect(error.message).to.equal(
      `\nSELECT Id FORM Contact\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FORM'`,
    );
    expect(failure(`SELECT Id, FROM Contact`).message).to.contain(`unexpected token: 'FROM'`);
    expect(failure(`SELECT Id FROM Contact WHERE Name = 'x`).errorCode).to.equal('MALFORMED_QUERY');
    expect(failure(`SELECT Id FROM`).errorCode).to.equal('MALFORMED_QUERY');
  });

  it('MALFORMED_QUERY when AND and OR are mixed without parentheses', () => {
    const error = failure(`SELECT Id FROM Contact WHERE Name = 'a' AND Name = 'b' OR Name = 'c'`);
    expect(error.errorCode).to.equal('MALFORMED_QUERY');
    expect(error.message).to.contain(`unexpected token: 'OR'`);
  });

  it('INVALID_TYPE for unknown objects', () => {
    const error = failure(`SELECT Id FROM Foo__c`);
    expect(error.errorCode).to.equal('INVALID_TYPE');
    expect(error.message).to.equal(
      `\nSELECT Id FROM Foo__c\n               ^\nERROR at Row:1:Column:16\nsObject type 'Foo__c' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
    expect(failure(`SELECT Id, (SELECT Id FROM Nope__r) FROM Contact`).errorCode).to.equal('INVALID_TYPE');
  });

  it('INVALID_FIELD for unknown fields and relationships', () => {
    const error = failure(`SELECT Foo FROM Contact`);
    expect(error.errorCode).to.equal('INVALID_FIELD');
    expect(error.message).to.equal(
      `\nSELECT Foo FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
    expect(failure(`SELECT Id FROM Contact WHERE Account.Foo = 'x'`).message).to.contain(
      `No such column 'Foo' on entity 'Account'`,
    );
    const relationship = failure(`SELECT Contact__c.Name FROM Social_Post__c`);
    expect(relationship.errorCode).to.equal('INVALID_FIELD');
    expect(relationship.message).to.contain(`Didn't understand relationship 'Contact__c' in field path.`);
  });

  it('INVALID_FIELD when filtering or sorting on a long text area', () => {
    const error = failure(`SELECT Id FROM Social_Post__c WHERE Body__c = 'x'`);
    expect(error.errorCode).to.equal('INVALID_FIELD');
    expect(error.message).to.match(
      /ERROR at Row:1:Column:37\nfield 'Body__c' can not be filtered in a query call$/,
    );
    expect(failure(`SELECT Id FROM Social_Post__c ORDER BY Body__c`).message).to.contain(
      `field 'Body__c' can not be sorted in a query call`,
    );
  });

  it('rejects bad filter values as Salesforce does', () => {
    const id = failure(`SELECT Id FROM Contact WHERE AccountId = 'abc'`);
    expect(id.errorCode).to.equal('INVALID_QUERY_FILTER_OPERATOR');
    expect(id.message).to.contain('invalid ID field: abc');
    const type = failure(`SELECT Id FROM Social_Post__c WHERE Is_Reply__c = 'true'`);
    expect(type.errorCode).to.equal('INVALID_FIELD');
    expect(type.message).to.contain(
      `value of filter criterion for field 'Is_Reply__c' must be of type boolean and should not be enclosed in quotes`,
    );
    expect(failure(`SELECT Id FROM Social_Post__c WHERE Posted_At__c > 2024-01-01`).message).to.contain(
      `must be of type dateTime`,
    );
    expect(failure(`SELECT Id FROM Contact WHERE Name = 5`).message).to.contain(
      `must be of type string and should be enclosed in quotes`,
    );
  });

  it('rejects duplicate fields', () => {
    const error = failure(`SELECT Id, Name, id FROM Contact`);
    expect(error.errorCode).to.equal('MALFORMED_QUERY');
    expect(error.message).to.contain('duplicate field selected: id');
  });
});
