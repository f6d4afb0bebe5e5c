import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_SOURCE_DIR, ManifestReadError, readManifests } from '../src/read-manifests.ts';
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
});
