import { DatabaseSync } from 'node:sqlite';
import { expect } from 'chai';
import { Schema } from '../src/schema/model.ts';
import type { FieldDef, ObjectDef } from '../src/schema/model.ts';
import { field, reference, standardObjects } from '../src/schema/standard-objects.ts';
import { createTables } from '../src/store/tables.ts';

function objectNamed(objects: ObjectDef[], name: string): ObjectDef {
  const object = objects.find((o) => o.name === name);
  if (!object) throw new Error(`no object ${name}`);
  return object;
}

function fieldOf(object: ObjectDef, name: string): FieldDef {
  const found = object.fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${object.name}.${name}`);
  return found;
}

/** As the record store decides it: what a create must supply. */
function requiredOnCreate(object: ObjectDef): string[] {
  return object.fields
    .filter(
      (f) =>
        !f.nillable &&
        f.createable &&
        f.type !== 'boolean' &&
        f.name !== 'OwnerId' &&
        f.defaultValue === null &&
        !f.picklistValues.some((p) => p.defaultValue),
    )
    .map((f) => f.name);
}

describe('standard objects', () => {
  const objects = standardObjects();
  const names = new Set(objects.map((o) => o.name));

  it('holds the objects the product touches, with their real key prefixes', () => {
    expect(Object.fromEntries(objects.map((o) => [o.name, o.keyPrefix]))).to.deep.equal({
      User: '005',
      Group: '00G',
      GroupMember: '011',
      QueueSobject: '03g',
      BusinessHours: '01m',
      Account: '001',
      Contact: '003',
      Lead: '00Q',
      Case: '500',
      Opportunity: '006',
      Task: '00T',
    });
    expect(objects.every((o) => !o.custom)).to.equal(true);
  });

  it('has unique object names and key prefixes', () => {
    expect(names.size).to.equal(objects.length);
    expect(new Set(objects.map((o) => o.keyPrefix)).size).to.equal(objects.length);
  });

  it('gives every object one Id field as describe shows it, first', () => {
    for (const object of objects) {
      const ids = object.fields.filter((f) => f.type === 'id');
      expect(ids, object.name).to.have.length(1);
      const [id] = ids;
      expect(object.fields[0], object.name).to.equal(id);
      expect(id).to.include({
        name: 'Id',
        length: 18,
        nillable: false,
        createable: false,
        updateable: false,
      });
    }
  });

  it('gives every object exactly one name field', () => {
    const nameFields = Object.fromEntries(
      objects.map((o) => [o.name, o.fields.filter((f) => f.nameField).map((f) => f.name)]),
    );
    expect(nameFields).to.deep.equal({
      User: ['Name'],
      Group: ['Name'],
      GroupMember: [],
      QueueSobject: [],
      BusinessHours: ['Name'],
      Account: ['Name'],
      Contact: ['Name'],
      Lead: ['Name'],
      Case: ['CaseNumber'],
      Opportunity: ['Name'],
      Task: ['Subject'],
    });
  });

  it('has unique field names per object, compared case-insensitively', () => {
    for (const object of objects) {
      const lower = object.fields.map((f) => f.name.toLowerCase());
      expect(new Set(lower).size, object.name).to.equal(lower.length);
    }
  });

  it('points every reference at objects of the list, with a relationship name', () => {
    for (const object of objects) {
      for (const f of object.fields.filter((x) => x.type === 'reference')) {
        expect(f.referenceTo, `${object.name}.${f.name}`).to.not.be.empty;
        for (const target of f.referenceTo)
          expect(names.has(target), `${object.name}.${f.name} → ${target}`).to.equal(true);
        // GroupMember.UserOrGroupId is the one reference SOQL cannot walk (no `UserOrGroup.Name`).
        if (`${object.name}.${f.name}` === 'GroupMember.UserOrGroupId') {
          expect(f.relationshipName).to.equal(null);
        } else {
          expect(f.relationshipName, `${object.name}.${f.name}`).to.be.a('string');
        }
        expect(f.length).to.equal(18);
      }
      for (const f of object.fields.filter((x) => x.type !== 'reference')) {
        expect(f.referenceTo, `${object.name}.${f.name}`).to.be.empty;
        expect(f.relationshipName, `${object.name}.${f.name}`).to.equal(null);
      }
    }
  });

  it('has unique parent and child relationship names per object', () => {
    for (const object of objects) {
      const parents = object.fields.flatMap((f) =>
        f.relationshipName ? [f.relationshipName.toLowerCase()] : [],
      );
      expect(new Set(parents).size, object.name).to.equal(parents.length);
      const children = object.childRelationships.flatMap((c) =>
        c.relationshipName ? [c.relationshipName.toLowerCase()] : [],
      );
      expect(new Set(children).size, object.name).to.equal(children.length);
    }
  });

  it('matches every child relationship with a reference field on the child pointing back', () => {
    for (const parent of objects) {
      for (const rel of parent.childRelationships) {
        const childObject = objectNamed(objects, rel.childSObject);
        const lookup = fieldOf(childObject, rel.field);
        expect(lookup.type, `${parent.name}.${rel.relationshipName}`).to.equal('reference');
        expect(lookup.referenceTo, `${parent.name}.${rel.relationshipName}`).to.include(parent.name);
      }
    }
  });

  it('has the system fields with describe flags, and OwnerId on owned objects', () => {
    // Group members and queue objects keep only SystemModstamp (and, for queue objects, CreatedById).
    const membership = ['GroupMember', 'QueueSobject'];
    for (const name of membership) {
      expect(fieldOf(objectNamed(objects, name), 'SystemModstamp')).to.include({ createable: false });
      expect(objectNamed(objects, name).fields.some((f) => f.name === 'CreatedDate')).to.equal(false);
      expect(objectNamed(objects, name).fields.some((f) => f.name === 'OwnerId')).to.equal(false);
    }
    for (const object of objects.filter((o) => !membership.includes(o.name))) {
      for (const name of ['CreatedDate', 'LastModifiedDate', 'SystemModstamp']) {
        expect(fieldOf(object, name), `${object.name}.${name}`).to.include({
          type: 'datetime',
          nillable: false,
          createable: false,
          updateable: false,
        });
      }
      expect(fieldOf(object, 'CreatedById')).to.deep.include({
        referenceTo: ['User'],
        relationshipName: 'CreatedBy',
      });
      expect(fieldOf(object, 'LastModifiedById')).to.deep.include({
        referenceTo: ['User'],
        relationshipName: 'LastModifiedBy',
      });
      const owner = object.fields.find((f) => f.name === 'OwnerId');
      if (['User', 'Group', 'BusinessHours'].includes(object.name)) {
        expect(owner, object.name).to.equal(undefined);
      } else {
        expect(owner, object.name).to.deep.include({
          relationshipName: 'Owner',
          nillable: false,
          createable: true,
          updateable: true,
        });
      }
    }
    for (const name of ['Account', 'Contact', 'Lead', 'Case', 'Task']) {
      expect(fieldOf(objectNamed(objects, name), 'IsDeleted')).to.include({
        type: 'boolean',
        createable: false,
      });
    }
    expect(fieldOf(objectNamed(objects, 'Case'), 'OwnerId').referenceTo).to.deep.equal(['Group', 'User']);
    expect(fieldOf(objectNamed(objects, 'Lead'), 'OwnerId').referenceTo).to.deep.equal(['Group', 'User']);
  });

  it('requires on create what Salesforce requires', () => {
    const required = Object.fromEntries(objects.map((o) => [o.name, requiredOnCreate(o)]));
    expect(required).to.deep.equal({
      User: ['Username', 'LastName', 'Email', 'Alias'],
      Group: ['Name', 'Type'],
      GroupMember: ['GroupId', 'UserOrGroupId'],
      QueueSobject: ['QueueId', 'SobjectType'],
      BusinessHours: ['Name', 'TimeZoneSidKey'],
      Account: ['Name'],
      Contact: ['LastName'],
      Lead: ['LastName', 'Company'],
      Case: [],
      Opportunity: ['Name', 'StageName', 'CloseDate'],
      Task: [],
    });
  });

  it('describes the fields the product relies on', () => {
    const contact = objectNamed(objects, 'Contact');
    expect(fieldOf(contact, 'Name')).to.include({
      type: 'string',
      length: 121,
      calculated: true,
      nameField: true,
      createable: false,
      updateable: false,
    });
    expect(fieldOf(contact, 'AccountId')).to.deep.include({
      referenceTo: ['Account'],
      relationshipName: 'Account',
    });
    expect(fieldOf(contact, 'Email')).to.include({ type: 'email', length: 80 });
    expect(fieldOf(contact, 'LeadSource').picklistValues.map((p) => p.value)).to.include.members([
      'Social',
      'Web',
      'Phone Inquiry',
      'Partner Referral',
      'Other',
    ]);

    const account = objectNamed(objects, 'Account');
    expect(fieldOf(account, 'Description')).to.include({
      type: 'textarea',
      length: 32000,
      filterable: false,
      sortable: false,
    });
    expect(fieldOf(account, 'Website').type).to.equal('url');
    expect(fieldOf(account, 'AnnualRevenue').type).to.equal('currency');
    expect(fieldOf(account, 'Industry').picklistValues.map((p) => p.value)).to.include.members([
      'Retail',
      'Technology',
      'Food & Beverage',
    ]);

    const caseObject = objectNamed(objects, 'Case');
    expect(fieldOf(caseObject, 'CaseNumber')).to.include({
      autoNumber: true,
      nameField: true,
      createable: false,
      updateable: false,
    });
    expect(fieldOf(caseObject, 'IsClosed')).to.include({
      type: 'boolean',
      createable: false,
      updateable: false,
    });
    expect(fieldOf(caseObject, 'ClosedDate')).to.include({ type: 'datetime', createable: false });
    const status = fieldOf(caseObject, 'Status');
    expect(status.picklistValues.map((p) => p.value)).to.deep.equal([
      'New',
      'Working',
      'Escalated',
      'Closed',
    ]);
    expect(status.picklistValues.filter((p) => p.defaultValue).map((p) => p.value)).to.deep.equal(['New']);
    expect(fieldOf(caseObject, 'Origin').picklistValues.map((p) => p.value)).to.include('Social');
    expect(fieldOf(caseObject, 'ContactId')).to.deep.include({
      referenceTo: ['Contact'],
      relationshipName: 'Contact',
    });

    const lead = objectNamed(objects, 'Lead');
    expect(
      fieldOf(lead, 'Status')
        .picklistValues.filter((p) => p.defaultValue)
        .map((p) => p.value),
    ).to.deep.equal(['Open - Not Contacted']);
    expect(fieldOf(lead, 'ConvertedContactId')).to.include({ createable: false, updateable: false });

    const task = objectNamed(objects, 'Task');
    expect(fieldOf(task, 'WhoId')).to.deep.include({
      referenceTo: ['Contact', 'Lead'],
      relationshipName: 'Who',
    });
    expect(fieldOf(task, 'WhatId').relationshipName).to.equal('What');
    expect(fieldOf(task, 'WhatId').referenceTo).to.include.members(['Account', 'Case']);
    expect(fieldOf(task, 'ActivityDate').type).to.equal('date');
  });

  it('keeps at most one default per picklist, and every picklist value active', () => {
    for (const object of objects) {
      for (const f of object.fields.filter((x) => x.type === 'picklist')) {
        expect(f.picklistValues, `${object.name}.${f.name}`).to.not.be.empty;
        expect(f.picklistValues.filter((p) => p.defaultValue).length).to.be.at.most(1);
        expect(f.picklistValues.every((p) => p.active && p.label === p.value)).to.equal(true);
      }
    }
  });

  it('returns a fresh copy on each call', () => {
    const first = standardObjects();
    objectNamed(first, 'Account').fields.pop();
    expect(objectNamed(standardObjects(), 'Account').fields.length).to.be.greaterThan(
      objectNamed(first, 'Account').fields.length,
    );
  });

  it('works with the Schema lookups the SOQL engine uses', () => {
    const schema = new Schema(objects);
    expect(schema.objectByKeyPrefix('003')?.name).to.equal('Contact');
    expect(schema.field('contact', 'accountid')?.name).to.equal('AccountId');
    expect(schema.parentRelationship('Contact', 'account')?.name).to.equal('AccountId');
    expect(schema.parentRelationship('Task', 'Who')?.name).to.equal('WhoId');
    expect(schema.childRelationship('Account', 'contacts')?.childSObject).to.equal('Contact');
    expect(schema.childRelationship('Contact', 'Cases')?.field).to.equal('ContactId');
  });

  it('creates SQLite tables for every object', () => {
    const db = new DatabaseSync(':memory:');
    try {
      createTables(db, new Schema(objects));
      const tables = (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
      ).map((t) => t.name);
      expect(tables).to.include.members([...names]);
    } finally {
      db.close();
    }
  });
});

describe('field()', () => {
  it('fills in describe defaults from the type', () => {
    const text = field({ name: 'Handle__c', label: 'Handle', type: 'string' });
    expect(text).to.include({
      length: 255,
      nillable: true,
      createable: true,
      updateable: true,
      filterable: true,
      sortable: true,
      custom: true,
      calculated: false,
      autoNumber: false,
      defaultValue: null,
      relationshipName: null,
    });
    expect(field({ name: 'Active__c', label: 'Active', type: 'boolean' })).to.include({
      nillable: false,
      defaultValue: false,
    });
    expect(field({ name: 'Amount__c', label: 'Amount', type: 'currency' })).to.include({
      precision: 18,
      scale: 2,
    });
    expect(field({ name: 'Phone', label: 'Phone', type: 'phone' })).to.include({ length: 40, custom: false });
    expect(field({ name: 'Email__c', label: 'Email', type: 'email' }).length).to.equal(80);
  });

  it('makes long text areas neither filterable nor sortable', () => {
    const body = field({ name: 'Body__c', label: 'Body', type: 'textarea', length: 32768 });
    expect(body).to.include({ filterable: false, sortable: false });
    expect(field({ name: 'Short__c', label: 'Short', type: 'textarea' })).to.include({
      length: 255,
      filterable: true,
    });
  });

  it('makes auto-numbers and calculated fields read-only unless told otherwise', () => {
    expect(field({ name: 'Name', label: 'Number', type: 'string', autoNumber: true })).to.include({
      createable: false,
      updateable: false,
    });
    expect(field({ name: 'Score__c', label: 'Score', type: 'double', calculated: true })).to.include({
      createable: false,
    });
    expect(
      field({ name: 'X__c', label: 'X', type: 'string', calculated: true, createable: true }).createable,
    ).to.equal(true);
  });

  it('builds picklist values from strings, marking the default', () => {
    const f = field({
      name: 'Status__c',
      label: 'Status',
      type: 'picklist',
      picklistValues: ['Pending', 'Sent', 'Failed'],
      defaultValue: 'Pending',
    });
    expect(f.picklistValues).to.deep.equal([
      { value: 'Pending', label: 'Pending', defaultValue: true, active: true },
      { value: 'Sent', label: 'Sent', defaultValue: false, active: true },
      { value: 'Failed', label: 'Failed', defaultValue: false, active: true },
    ]);
    const explicit = { value: 'x', label: 'X', defaultValue: false, active: false };
    expect(
      field({ name: 'N__c', label: 'N', type: 'picklist', picklistValues: [explicit] }).picklistValues,
    ).to.deep.equal([explicit]);
  });

  it('keeps overrides, including unique external ids', () => {
    const f = field({
      name: 'External_Id__c',
      label: 'External ID',
      type: 'string',
      unique: true,
      externalId: true,
      caseSensitive: true,
      nillable: false,
    });
    expect(f).to.include({ unique: true, externalId: true, caseSensitive: true, nillable: false });
  });

  it('builds references with their relationship name', () => {
    const f = reference('Contact__c', 'Contact', ['Contact'], 'Contact__r');
    expect(f).to.deep.include({
      type: 'reference',
      length: 18,
      referenceTo: ['Contact'],
      relationshipName: 'Contact__r',
    });
  });
});
