import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import {
  DEFAULT_SOURCE_DIR,
  ManifestReadError,
  readCustomMetadata,
  readManifests,
  readQueues,
} from '../src/read-manifests.ts';
import type { CustomManifestObject, ManifestField, ManifestObject } from '../src/read-manifests.ts';
import { DEFAULT_DIR, SOURCE_DIR } from './helpers.ts';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';

function custom(objects: ManifestObject[], name: string): CustomManifestObject {
  const object = objects.find((o) => o.name === name);
  if (!object?.custom) throw new Error(`${name} is not a custom object here`);
  return object;
}
function fieldOf(object: ManifestObject | undefined, name: string): ManifestField {
  const f = object?.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}

describe('readManifests', () => {
  describe('on this package', () => {
    let objects: ManifestObject[] = [];
    let post: CustomManifestObject;

    before(() => {
      objects = readManifests();
      post = custom(objects, 'Social_Post__c');
    });

    it('reads manifests/force-app by default', () => {
      expect(DEFAULT_SOURCE_DIR).to.equal(SOURCE_DIR);
      expect(readManifests(SOURCE_DIR)).to.deep.equal(objects);
    });

    it('accepts a folder inside the package directory too', () => {
      expect(readManifests(DEFAULT_DIR)).to.deep.equal(objects);
    });

    it('returns custom objects and standard-object extensions, sorted by name', () => {
      expect(objects.map((o) => [o.name, o.custom])).to.deep.equal([
        ['Account', false],
        ['Case', false],
        ['Contact', false],
        ['Lead', false],
        ['Social_Persona__c', true],
        ['Social_Post__c', true],
        ['Social_Reply_Claim__c', true],
        ['Social_Saved_Reply__c', true],
      ]);
      for (const o of objects) {
        const names = o.fields.map((f) => f.name);
        expect(names, o.name).to.deep.equal([...names].sort());
      }
    });

    it('leaves the custom metadata types out: they are configuration, read by readCustomMetadata', () => {
      expect(objects.some((o) => o.name.endsWith('__mdt'))).to.equal(false);
      const types = readCustomMetadata();
      expect(types.map((t) => [t.name, t.label, t.records.length])).to.deep.equal([
        ['Social_Reply_Target__mdt', 'Social Reply Target', 5],
        ['Social_Routing_Rule__mdt', 'Social Routing Rule', 4],
      ]);
      expect(readCustomMetadata(DEFAULT_DIR)).to.deep.equal(types);
    });

    it('reads custom metadata records with typed values, blanks as null', () => {
      const rules = readCustomMetadata().find((t) => t.name === 'Social_Routing_Rule__mdt');
      const vip = rules?.records.find((r) => r.name === 'VIP_Complaints');
      expect(vip).to.deep.include({ label: 'VIP Complaints', protected: false });
      expect(vip?.values).to.deep.equal({
        Accounts__c: null,
        Active__c: true,
        Escalation_Queue__c: null,
        Intent__c: 'complaint',
        Keywords__c: null,
        Language__c: null,
        Min_Customer_Value__c: null,
        Min_Influence__c: 70,
        Network__c: null,
        Order__c: 10,
        Queue__c: 'Social_VIP',
        Supervisor__c: 'admin@socialcrm.dev',
      });
      expect(rules?.records.map((r) => r.name)).to.deep.equal([
        'Default',
        'Sales_Leads',
        'Spanish',
        'VIP_Complaints',
      ]);
    });

    it('reads the queues and the objects they take', () => {
      expect(readQueues()).to.deep.equal([
        {
          name: 'Social_Sales',
          label: 'Social Sales',
          sobjectTypes: ['Social_Post__c'],
          sendsEmailToMembers: false,
        },
        {
          name: 'Social_Support',
          label: 'Social Support',
          sobjectTypes: ['Social_Post__c'],
          sendsEmailToMembers: false,
        },
        {
          name: 'Social_VIP',
          label: 'Social VIP',
          sobjectTypes: ['Social_Post__c'],
          sendsEmailToMembers: false,
        },
      ]);
    });

    it('reads object settings and the name field', () => {
      expect(post).to.include({
        label: 'Social Post',
        pluralLabel: 'Social Posts',
        sharingModel: 'ReadWrite',
      });
      expect(post.nameField).to.deep.equal({
        type: 'AutoNumber',
        label: 'Post Number',
        displayFormat: 'SP-{0000000}',
      });
      expect(custom(objects, 'Social_Persona__c').nameField).to.deep.equal({
        type: 'Text',
        label: 'Persona Name',
      });
    });

    it('reads text fields with length and uniqueness', () => {
      expect(fieldOf(post, 'External_Id__c')).to.include({
        type: 'Text',
        length: 255,
        unique: true,
        externalId: true,
        caseSensitive: true,
        required: false,
        label: 'External ID',
      });
      expect(fieldOf(post, 'Author_Handle__c')).to.include({
        unique: false,
        externalId: false,
        caseSensitive: false,
      });
    });

    it('reads restricted picklists with values and labels in order', () => {
      const network = fieldOf(post, 'Network__c');
      expect(network.type).to.equal('Picklist');
      if (network.type !== 'Picklist') return;
      expect(network.restricted).to.equal(true);
      expect(network.required).to.equal(true);
      expect(network.values).to.deep.equal([
        { value: 'x', label: 'X', default: false },
        { value: 'bluesky', label: 'Bluesky', default: false },
        { value: 'mastodon', label: 'Mastodon', default: false },
        { value: 'facebook', label: 'Facebook', default: false },
        { value: 'instagram', label: 'Instagram', default: false },
      ]);
      expect(network).not.to.have.property('defaultValue');
      const networks = fieldOf(custom(objects, 'Social_Saved_Reply__c'), 'Network__c');
      expect(networks).to.include({ type: 'MultiselectPicklist', visibleLines: 5 });
    });

    it('reads lookups with their target and child relationship', () => {
      expect(fieldOf(post, 'In_Reply_To__c')).to.deep.include({
        type: 'Lookup',
        referenceTo: 'Social_Post__c',
        relationshipName: 'Replies',
        relationshipLabel: 'Replies',
        deleteConstraint: 'SetNull',
      });
      expect(fieldOf(post, 'Contact__c')).to.include({
        referenceTo: 'Contact',
        relationshipName: 'Social_Posts',
      });
    });

    it('reads numbers, checkboxes, long text and descriptions', () => {
      expect(fieldOf(post, 'Sentiment_Score__c')).to.include({ type: 'Number', precision: 5, scale: 3 });
      expect(fieldOf(post, 'Needs_Reply__c')).to.include({
        type: 'Checkbox',
        defaultValue: false,
        required: false,
      });
      const active = fieldOf(custom(objects, 'Social_Saved_Reply__c'), 'Active__c');
      expect(active).to.include({ type: 'Checkbox', defaultValue: true });
      expect(fieldOf(post, 'Raw_Payload__c')).to.include({ type: 'LongTextArea', length: 131072 });
      const handles = fieldOf(
        objects.find((o) => o.name === 'Contact'),
        'Social_Handles__c',
      );
      expect(handles).to.include({ type: 'LongTextArea', length: 32768 });
      expect(handles.description).to.match(/one network:handle a line/);
    });
  });

  describe('on a fixture', () => {
    let dir = '';
    const write = (path: string, xml: string): void => {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n${xml}\n`);
    };
    const writeField = (object: string, name: string, body: string): void =>
      write(
        `objects/${object}/fields/${name}.field-meta.xml`,
        `<CustomField ${NS}><fullName>${name}</fullName><label>${name}</label>${body}</CustomField>`,
      );
    const writeObject = (name: string): void =>
      write(
        `objects/${name}/${name}.object-meta.xml`,
        `<CustomObject ${NS}><label>Thing</label><pluralLabel>Things</pluralLabel>
          <nameField><label>Thing Name</label><type>Text</type></nameField>
          <sharingModel>Private</sharingModel></CustomObject>`,
      );
    const expectError = (pattern: RegExp, file: string): void => {
      expect(() => readManifests(dir))
        .to.throw(ManifestReadError, pattern)
        .with.property('file', join(dir, file));
    };

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'read-manifests-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('returns nothing for a folder without objects', () => {
      expect(readManifests(dir)).to.deep.equal([]);
    });

    it('rejects a path that is not a directory', () => {
      expect(() => readManifests(join(dir, 'missing'))).to.throw(ManifestReadError, /not a directory/);
    });

    it('leaves out settings a field does not have, and applies Salesforce defaults', () => {
      writeObject('Thing__c');
      writeField('Thing__c', 'Due__c', '<type>Date</type>');
      writeField(
        'Thing__c',
        'Parent__c',
        '<type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Things</relationshipName>',
      );
      writeField(
        'Thing__c',
        'Kind__c',
        `<type>Picklist</type><valueSet><valueSetDefinition>
        <value><fullName>a</fullName><default>true</default></value></valueSetDefinition></valueSet>`,
      );
      const [thing] = readManifests(dir);
      expect(thing).to.deep.equal({
        custom: true,
        name: 'Thing__c',
        label: 'Thing',
        pluralLabel: 'Things',
        nameField: { type: 'Text', label: 'Thing Name' },
        sharingModel: 'Private',
        fields: [
          {
            name: 'Due__c',
            label: 'Due__c',
            required: false,
            unique: false,
            externalId: false,
            caseSensitive: false,
            type: 'Date',
          },
          {
            name: 'Kind__c',
            label: 'Kind__c',
            required: false,
            unique: false,
            externalId: false,
            caseSensitive: false,
            type: 'Picklist',
            restricted: false,
            values: [{ value: 'a', label: 'a', default: true }],
            defaultValue: 'a',
          },
          {
            name: 'Parent__c',
            label: 'Parent__c',
            required: false,
            unique: false,
            externalId: false,
            caseSensitive: false,
            type: 'Lookup',
            referenceTo: 'Account',
            relationshipName: 'Things',
            deleteConstraint: 'SetNull',
          },
        ],
      });
    });

    it('marks master-detail fields required', () => {
      writeObject('Thing__c');
      writeField(
        'Thing__c',
        'Owner__c',
        '<type>MasterDetail</type><referenceTo>Account</referenceTo><relationshipName>Things</relationshipName>',
      );
      expect(fieldOf(readManifests(dir)[0], 'Owner__c')).to.include({ type: 'MasterDetail', required: true });
    });

    it('merges objects spread over several folders', () => {
      write(
        'a/objects/Contact/fields/One__c.field-meta.xml',
        `<CustomField ${NS}><label>One</label><type>Date</type></CustomField>`,
      );
      write(
        'b/objects/Contact/fields/Two__c.field-meta.xml',
        `<CustomField ${NS}><label>Two</label><type>Url</type></CustomField>`,
      );
      expect(readManifests(dir).map((o) => [o.name, o.fields.map((f) => f.name)])).to.deep.equal([
        ['Contact', ['One__c', 'Two__c']],
      ]);
    });

    it('names the file that is not well-formed', () => {
      writeObject('Thing__c');
      write(
        'objects/Thing__c/fields/Bad__c.field-meta.xml',
        `<CustomField ${NS}><label>Bad</lab></CustomField>`,
      );
      expectError(/not well-formed XML/, 'objects/Thing__c/fields/Bad__c.field-meta.xml');
    });

    it('rejects field types it does not understand, and formula fields', () => {
      writeObject('Thing__c');
      writeField('Thing__c', 'Where__c', '<type>Location</type>');
      expectError(/field type Location is not supported/, 'objects/Thing__c/fields/Where__c.field-meta.xml');
      rmSync(join(dir, 'objects/Thing__c/fields/Where__c.field-meta.xml'));
      writeField(
        'Thing__c',
        'Calc__c',
        '<formula>1 + 1</formula><type>Number</type><precision>3</precision><scale>0</scale>',
      );
      expectError(/formula fields are not supported/, 'objects/Thing__c/fields/Calc__c.field-meta.xml');
    });

    it('rejects a fullName that differs from the file name', () => {
      writeObject('Thing__c');
      write(
        'objects/Thing__c/fields/One__c.field-meta.xml',
        `<CustomField ${NS}><fullName>Two__c</fullName><label>One</label><type>Date</type></CustomField>`,
      );
      expectError(/does not match the file name/, 'objects/Thing__c/fields/One__c.field-meta.xml');
    });

    it('rejects missing and malformed settings', () => {
      writeObject('Thing__c');
      writeField('Thing__c', 'Name__c', '<type>Text</type>');
      expectError(/missing <length>/, 'objects/Thing__c/fields/Name__c.field-meta.xml');
      writeField('Thing__c', 'Name__c', '<type>Text</type><length>12.5</length>');
      expectError(/<length> must be a whole number/, 'objects/Thing__c/fields/Name__c.field-meta.xml');
      writeField('Thing__c', 'Name__c', '<type>Text</type><length>12</length><unique>yes</unique>');
      expectError(/<unique> must be true or false/, 'objects/Thing__c/fields/Name__c.field-meta.xml');
    });

    it('rejects a custom object without its object file, and global value sets', () => {
      writeField('Thing__c', 'Due__c', '<type>Date</type>');
      expectError(/has no Thing__c.object-meta.xml/, 'objects/Thing__c');
      writeObject('Thing__c');
      writeField(
        'Thing__c',
        'Kind__c',
        '<type>Picklist</type><valueSet><valueSetName>Kinds</valueSetName></valueSet>',
      );
      expectError(/global value sets are not supported/, 'objects/Thing__c/fields/Kind__c.field-meta.xml');
    });

    it('rejects an unknown sharing model and a name field that is neither Text nor AutoNumber', () => {
      write(
        'objects/Thing__c/Thing__c.object-meta.xml',
        `<CustomObject ${NS}><label>T</label><pluralLabel>Ts</pluralLabel>
          <nameField><label>N</label><type>Text</type></nameField><sharingModel>Open</sharingModel></CustomObject>`,
      );
      expectError(/unknown sharingModel Open/, 'objects/Thing__c/Thing__c.object-meta.xml');
      write(
        'objects/Thing__c/Thing__c.object-meta.xml',
        `<CustomObject ${NS}><label>T</label><pluralLabel>Ts</pluralLabel>
          <nameField><label>N</label><type>Number</type></nameField><sharingModel>Read</sharingModel></CustomObject>`,
      );
      expectError(/nameField type must be Text or AutoNumber/, 'objects/Thing__c/Thing__c.object-meta.xml');
    });
  });

  describe('custom metadata and queues on a fixture', () => {
    let dir = '';
    const write = (path: string, content: string): void => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), `<?xml version="1.0" encoding="UTF-8"?>\n${content}`);
    };
    const XSI =
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';
    const writeType = (): void => {
      write(
        'objects/Rule__mdt/Rule__mdt.object-meta.xml',
        `<CustomObject ${NS}><label>Rule</label><pluralLabel>Rules</pluralLabel><visibility>Public</visibility></CustomObject>`,
      );
      write(
        'objects/Rule__mdt/fields/On__c.field-meta.xml',
        `<CustomField ${NS}><label>On</label><type>Checkbox</type><defaultValue>true</defaultValue></CustomField>`,
      );
      write(
        'objects/Rule__mdt/fields/Rank__c.field-meta.xml',
        `<CustomField ${NS}><label>Rank</label><type>Number</type><precision>5</precision><scale>0</scale></CustomField>`,
      );
      write(
        'objects/Rule__mdt/fields/Queue__c.field-meta.xml',
        `<CustomField ${NS}><label>Queue</label><type>Text</type><length>80</length></CustomField>`,
      );
    };
    const writeRecord = (name: string, values: string): void =>
      write(
        `customMetadata/Rule.${name}.md-meta.xml`,
        `<CustomMetadata ${NS} ${XSI}><label>${name}</label><protected>false</protected>${values}</CustomMetadata>`,
      );
    const value = (field: string, v: string | null, type = 'xsd:string'): string =>
      v === null
        ? `<values><field>${field}</field><value xsi:nil="true"/></values>`
        : `<values><field>${field}</field><value xsi:type="${type}">${v}</value></values>`;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'read-custom-metadata-'));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads types and records; fields a record leaves out are null', () => {
      writeType();
      writeRecord('B', value('On__c', 'false', 'xsd:boolean') + value('Rank__c', '2.5', 'xsd:double'));
      writeRecord('A', value('Queue__c', 'Q1') + value('Rank__c', null));
      write(
        'objects/Thing__c/Thing__c.object-meta.xml',
        `<CustomObject ${NS}><label>T</label><pluralLabel>Ts</pluralLabel><nameField><label>N</label><type>Text</type></nameField><sharingModel>Private</sharingModel></CustomObject>`,
      );
      expect(readManifests(dir).map((o) => o.name)).to.deep.equal(['Thing__c']);
      const [type, ...more] = readCustomMetadata(dir);
      expect(more).to.deep.equal([]);
      expect(type?.name).to.equal('Rule__mdt');
      expect(type?.fields.map((f) => f.name)).to.deep.equal(['On__c', 'Queue__c', 'Rank__c']);
      expect(type?.records).to.deep.equal([
        { name: 'A', label: 'A', protected: false, values: { On__c: null, Queue__c: 'Q1', Rank__c: null } },
        { name: 'B', label: 'B', protected: false, values: { On__c: false, Queue__c: null, Rank__c: 2.5 } },
      ]);
    });

    it('rejects a record of an unknown type, a value for an unknown field, and a value that does not fit', () => {
      writeType();
      writeRecord('A', value('Nope__c', 'x'));
      expect(() => readCustomMetadata(dir)).to.throw(ManifestReadError, /Rule__mdt has no field Nope__c/);
      writeRecord('A', value('Rank__c', 'ten', 'xsd:double'));
      expect(() => readCustomMetadata(dir)).to.throw(ManifestReadError, /Rank__c must be a number/);
      writeRecord('A', value('On__c', 'yes', 'xsd:boolean'));
      expect(() => readCustomMetadata(dir)).to.throw(ManifestReadError, /On__c must be true or false/);
      rmSync(join(dir, 'customMetadata/Rule.A.md-meta.xml'));
      write('customMetadata/Other.A.md-meta.xml', `<CustomMetadata ${NS}><label>A</label></CustomMetadata>`);
      expect(() => readCustomMetadata(dir))
        .to.throw(ManifestReadError, /no custom metadata type Other__mdt/)
        .with.property('file', join(dir, 'customMetadata/Other.A.md-meta.xml'));
    });

    it('rejects a type without its object file', () => {
      write(
        'objects/Rule__mdt/fields/On__c.field-meta.xml',
        `<CustomField ${NS}><label>On</label><type>Checkbox</type></CustomField>`,
      );
      expect(() => readCustomMetadata(dir)).to.throw(ManifestReadError, /has no Rule__mdt.object-meta.xml/);
    });

    it('reads queues, and rejects one that takes no object', () => {
      write(
        'queues/Q1.queue-meta.xml',
        `<Queue ${NS}><doesSendEmailToMembers>true</doesSendEmailToMembers><name>Queue One</name>
          <queueSobject><sobjectType>Case</sobjectType></queueSobject>
          <queueSobject><sobjectType>Thing__c</sobjectType></queueSobject></Queue>`,
      );
      expect(readQueues(dir)).to.deep.equal([
        { name: 'Q1', label: 'Queue One', sobjectTypes: ['Case', 'Thing__c'], sendsEmailToMembers: true },
      ]);
      write('queues/Q2.queue-meta.xml', `<Queue ${NS}><name>Queue Two</name></Queue>`);
      expect(() => readQueues(dir)).to.throw(ManifestReadError, /at least one <queueSobject>/);
      expect(() => readQueues(join(dir, 'missing'))).to.throw(ManifestReadError, /not a directory/);
    });
  });
});
