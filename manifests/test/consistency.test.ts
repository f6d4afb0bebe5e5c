// Cross-file rules a deploy would reject (or an admin would trip over) that no single file shows:
// every reference points at something that exists, FLS never names a required field, and the CRM
// schema other parts rely on (manifests/README.md, "The schema") is all there with the right types.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { expect } from 'chai';
import { XMLValidator } from 'fast-xml-parser';
import { readCustomMetadata, readManifests, readQueues } from '../src/read-manifests.ts';
import type {
  CustomMetadataType,
  ManifestField,
  ManifestFieldType,
  ManifestObject,
  PicklistField,
} from '../src/read-manifests.ts';
import {
  DEFAULT_DIR,
  MANIFESTS_DIR,
  METADATA_NS,
  SOURCE_DIR,
  STANDARD_OBJECTS,
  elements,
  listFiles,
  readXml,
  rel,
  text,
  texts,
} from './helpers.ts';
import type { XmlElement } from './helpers.ts';

/** The CRM schema section of the contract: object -> field -> Salesforce field type. */
const CONTRACT: Record<string, Record<string, ManifestFieldType>> = {
  Social_Post__c: {
    External_Id__c: 'Text',
    Network__c: 'Picklist',
    Body__c: 'LongTextArea',
    Posted_At__c: 'DateTime',
    Author_Handle__c: 'Text',
    Url__c: 'Url',
    Sentiment__c: 'Picklist',
    Sentiment_Score__c: 'Number',
    Intent__c: 'Picklist',
    Language__c: 'Text',
    Needs_Reply__c: 'Checkbox',
    Is_Outbound__c: 'Checkbox',
    Status__c: 'Picklist',
    In_Reply_To__c: 'Lookup',
    Persona__c: 'Lookup',
    Contact__c: 'Lookup',
    Lead__c: 'Lookup',
    Account__c: 'Lookup',
    Case__c: 'Lookup',
    Thread_Root__c: 'Text',
    Replied_At__c: 'DateTime',
    First_Response_Minutes__c: 'Number',
    // The social inbox (issue 12): ownership is the standard OwnerId (a queue or a user).
    Reply_Due__c: 'DateTime',
    Priority__c: 'Picklist',
    Inbox_Status__c: 'Picklist',
    Done_Reason__c: 'Picklist',
    Done_At__c: 'DateTime',
    Done_By__c: 'Lookup',
    Target_Met__c: 'Checkbox',
    Escalated_At__c: 'DateTime',
    Routed_By__c: 'Text',
  },
  Social_Persona__c: {
    External_Id__c: 'Text',
    Network__c: 'Picklist',
    Handle__c: 'Text',
    Display_Name__c: 'Text',
    Followers__c: 'Number',
    Influence_Score__c: 'Number',
    Advocacy_Score__c: 'Number',
    Contact__c: 'Lookup',
    Lead__c: 'Lookup',
  },
  Contact: {
    Social_Handles__c: 'LongTextArea',
    Social_Influence__c: 'Number',
    Social_Sentiment__c: 'Number',
    Last_Social_Activity__c: 'DateTime',
    // Customer value (issue 13): lifetime + referral, in the org currency.
    Social_Customer_Value__c: 'Currency',
    Social_Lifetime_Value__c: 'Currency',
    Social_Referral_Value__c: 'Currency',
  },
  Account: {
    Social_Customer_Value__c: 'Currency',
    Social_Lifetime_Value__c: 'Currency',
    Social_Referral_Value__c: 'Currency',
  },
  Lead: {
    Social_Handles__c: 'LongTextArea',
    Social_Influence__c: 'Number',
    Social_Sentiment__c: 'Number',
    Last_Social_Activity__c: 'DateTime',
  },
  Case: {
    Social_First_Response_Minutes__c: 'Number',
    Social_Target_Met__c: 'Checkbox',
  },
};

/** Where the contract's lookups point. */
const CONTRACT_LOOKUPS: Record<string, string> = {
  'Social_Post__c.In_Reply_To__c': 'Social_Post__c',
  'Social_Post__c.Persona__c': 'Social_Persona__c',
  'Social_Post__c.Contact__c': 'Contact',
  'Social_Post__c.Lead__c': 'Lead',
  'Social_Post__c.Account__c': 'Account',
  'Social_Post__c.Case__c': 'Case',
  'Social_Post__c.Done_By__c': 'User',
  'Social_Persona__c.Contact__c': 'Contact',
  'Social_Persona__c.Lead__c': 'Lead',
};

const NETWORKS = ['x', 'bluesky', 'mastodon', 'facebook', 'instagram'];

/** Root element each source-format suffix must have. */
const ROOTS: Record<string, string> = {
  '.object-meta.xml': 'CustomObject',
  '.field-meta.xml': 'CustomField',
  '.listView-meta.xml': 'ListView',
  '.compactLayout-meta.xml': 'CompactLayout',
  '.validationRule-meta.xml': 'ValidationRule',
  '.layout-meta.xml': 'Layout',
  '.tab-meta.xml': 'CustomTab',
  '.app-meta.xml': 'CustomApplication',
  '.permissionset-meta.xml': 'PermissionSet',
  '.js-meta.xml': 'LightningComponentBundle',
  '.resource-meta.xml': 'StaticResource',
  '.platformEventChannelMember-meta.xml': 'PlatformEventChannelMember',
  '.md-meta.xml': 'CustomMetadata',
  '.queue-meta.xml': 'Queue',
  '.flexipage-meta.xml': 'FlexiPage',
};

/** The custom metadata types of the contract: type -> field -> type (manifests/README.md, "Routing"). */
const METADATA_TYPES: Record<string, Record<string, ManifestFieldType>> = {
  Social_Routing_Rule__mdt: {
    Active__c: 'Checkbox',
    Order__c: 'Number',
    Network__c: 'Text',
    Language__c: 'Text',
    Intent__c: 'Text',
    Min_Influence__c: 'Number',
    Min_Customer_Value__c: 'Number',
    Accounts__c: 'Text',
    Keywords__c: 'TextArea',
    Queue__c: 'Text',
    Supervisor__c: 'Text',
    Escalation_Queue__c: 'Text',
  },
  Social_Reply_Target__mdt: {
    Priority__c: 'Text',
    Network__c: 'Text',
    Minutes__c: 'Number',
    Business_Hours__c: 'Text',
  },
};

/** Standard fields of every custom object that layouts may place. */
const STANDARD_LAYOUT_FIELDS = new Set(['Name', 'OwnerId', 'CreatedById', 'LastModifiedById']);
/** Standard list-view and related-list columns of custom objects. */
const STANDARD_COLUMNS = new Set(['NAME', 'CREATED_DATE', 'LAST_UPDATE', 'OWNER.ALIAS']);
/** Field types a permission set may never make editable. */
const READ_ONLY_TYPES = new Set(['AutoNumber', 'Formula', 'Summary']);

// Filled in a hook (below), so a file the reader rejects fails the tests instead of crashing the run.
let objects: ManifestObject[] = [];
let byName = new Map<string, ManifestObject>();
const xmlFiles = listFiles(MANIFESTS_DIR).filter((f) => f.endsWith('.xml') && !f.includes('node_modules'));

function field(object: string, name: string): ManifestField | undefined {
  return byName.get(object)?.fields.find((f) => f.name === name);
}
function objectExists(name: string): boolean {
  return byName.get(name)?.custom === true || STANDARD_OBJECTS.has(name);
}
function filesIn(folder: string, suffix: string): string[] {
  const dir = join(DEFAULT_DIR, folder);
  return existsSync(dir) ? listFiles(dir).filter((f) => f.endsWith(suffix)) : [];
}
/** The object a file under objects/<Object>/... belongs to. */
function ownerObject(file: string): string {
  return basename(dirname(dirname(file)));
}
/** A field reference on `object` as layouts and list views write it: a custom field or a standard one. */
function fieldRefExists(object: string, ref: string, standard: ReadonlySet<string>): boolean {
  return standard.has(ref) || field(object, ref) !== undefined;
}

describe('manifests: XML files', () => {
  it('finds the metadata files and package.xml', () => {
    expect(xmlFiles.length).to.be.greaterThan(80);
    expect(xmlFiles).to.include(join(MANIFESTS_DIR, 'package.xml'));
  });

  it('every XML file is well-formed', () => {
    const bad = xmlFiles.flatMap((file) => {
      const result = XMLValidator.validate(readFileSync(file, 'utf8'));
      return result === true ? [] : [`${rel(file)}:${result.err.line}: ${result.err.msg}`];
    });
    expect(bad).to.deep.equal([]);
  });

  it('every metadata file has the root element of its type, in the metadata namespace', () => {
    const wrong: string[] = [];
    for (const file of xmlFiles) {
      const suffix = Object.keys(ROOTS).find((s) => file.endsWith(s));
      const expected = file === join(MANIFESTS_DIR, 'package.xml') ? 'Package' : suffix && ROOTS[suffix];
      if (!expected) {
        wrong.push(`${rel(file)}: unknown suffix`);
        continue;
      }
      const { root, xmlns } = readXml(file);
      if (root !== expected || xmlns !== METADATA_NS)
        wrong.push(`${rel(file)}: <${root} xmlns="${String(xmlns)}">`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it('every file with a <fullName> is named after it', () => {
    const wrong = xmlFiles.flatMap((file) => {
      const fullName = text(readXml(file).content, 'fullName');
      const name = basename(file).replace(/\.[A-Za-z]+-meta\.xml$/, '');
      return fullName === undefined || fullName === name ? [] : [`${rel(file)}: ${fullName}`];
    });
    expect(wrong).to.deep.equal([]);
  });
});

describe('manifests: consistency', () => {
  before('read the package', () => {
    objects = readManifests(SOURCE_DIR);
    byName = new Map(objects.map((o) => [o.name, o]));
  });

  it('finds the package', () => {
    expect(objects.map((o) => o.name)).to.include.members(['Social_Post__c', 'Social_Persona__c']);
  });

  describe('the CRM schema other parts rely on', () => {
    for (const [object, fields] of Object.entries(CONTRACT)) {
      it(`${object} has every contract field with the contract type`, () => {
        const actual = Object.fromEntries(
          Object.keys(fields).map((name) => [name, field(object, name)?.type]),
        );
        expect(actual).to.deep.equal(fields);
      });
    }

    it('contract lookups point at the contract objects', () => {
      const actual = Object.fromEntries(
        Object.keys(CONTRACT_LOOKUPS).map((ref) => {
          const [object = '', name = ''] = ref.split('.');
          const f = field(object, name);
          return [ref, f?.type === 'Lookup' ? f.referenceTo : undefined];
        }),
      );
      expect(actual).to.deep.equal(CONTRACT_LOOKUPS);
    });

    it('External_Id__c is a unique, case-sensitive external ID on posts and personas', () => {
      for (const object of ['Social_Post__c', 'Social_Persona__c']) {
        const f = field(object, 'External_Id__c');
        expect(f, object).to.include({ type: 'Text', unique: true, externalId: true, caseSensitive: true });
      }
    });

    it('Idempotency_Key__c makes the same reply key twice one record', () => {
      expect(field('Social_Post__c', 'Idempotency_Key__c')).to.include({
        type: 'Text',
        unique: true,
        externalId: true,
        caseSensitive: true,
      });
    });

    it('picklists carry the values the sync server writes, and reject others', () => {
      const values = (object: string, name: string): string[] => {
        const f = field(object, name);
        expect(f?.type, `${object}.${name}`).to.be.oneOf(['Picklist', 'MultiselectPicklist']);
        expect((f as PicklistField).restricted, `${object}.${name} restricted`).to.equal(true);
        return (f as PicklistField).values.map((v) => v.value);
      };
      expect(values('Social_Post__c', 'Sentiment__c')).to.deep.equal(['positive', 'neutral', 'negative']);
      expect(values('Social_Post__c', 'Intent__c')).to.deep.equal([
        'complaint',
        'question',
        'praise',
        'purchase_intent',
        'other',
      ]);
      expect(values('Social_Post__c', 'Status__c')).to.include.members(['Pending', 'Sent', 'Failed']);
      expect(values('Social_Post__c', 'Priority__c')).to.deep.equal(['Urgent', 'High', 'Normal', 'Low']);
      expect(values('Social_Post__c', 'Inbox_Status__c')).to.deep.equal(['Open', 'Assigned', 'Done']);
      expect(values('Social_Post__c', 'Done_Reason__c')).to.deep.equal([
        'Replied',
        'No reply needed',
        'Spam',
        'Answered elsewhere',
      ]);
      for (const object of ['Social_Post__c', 'Social_Persona__c', 'Social_Saved_Reply__c']) {
        expect(values(object, 'Network__c'), `${object}.Network__c`).to.deep.equal(NETWORKS);
      }
    });

    it('a post is Normal priority unless told otherwise, and in no inbox state until intake puts it there', () => {
      expect((field('Social_Post__c', 'Priority__c') as PicklistField).defaultValue).to.equal('Normal');
      expect((field('Social_Post__c', 'Inbox_Status__c') as PicklistField).defaultValue).to.equal(undefined);
      expect(field('Social_Post__c', 'Target_Met__c')).to.include({ defaultValue: false });
      expect(field('Social_Post__c', 'Routed_By__c')).to.include({ length: 80 });
    });

    it('every new inbox field explains itself to admins and users, and history tracks the inbox state', () => {
      const inbox = [
        'Reply_Due__c',
        'Priority__c',
        'Inbox_Status__c',
        'Done_Reason__c',
        'Done_At__c',
        'Done_By__c',
        'Target_Met__c',
        'Escalated_At__c',
        'Routed_By__c',
      ];
      const bare = inbox
        .map((name) => field('Social_Post__c', name))
        .filter((f) => !f?.description || !f.inlineHelpText)
        .map((f) => f?.name);
      expect(bare).to.deep.equal([]);
      const tracked = (name: string) =>
        text(
          readXml(join(DEFAULT_DIR, 'objects', 'Social_Post__c', 'fields', `${name}.field-meta.xml`)).content,
          'trackHistory',
        );
      for (const name of ['Inbox_Status__c', 'Priority__c', 'Reply_Due__c', 'Done_Reason__c'])
        expect(tracked(name), name).to.equal('true');
      const object = readXml(
        join(DEFAULT_DIR, 'objects', 'Social_Post__c', 'Social_Post__c.object-meta.xml'),
      );
      expect(text(object.content, 'enableHistory')).to.equal('true');
    });

    it('Social_Handles__c explains its one-handle-a-line format on Contact and Lead', () => {
      for (const object of ['Contact', 'Lead']) {
        expect(field(object, 'Social_Handles__c')?.description, object).to.match(/network:handle/);
      }
    });
  });

  describe('relationships', () => {
    const lookups = () =>
      objects.flatMap((o) =>
        o.fields.flatMap((f) =>
          f.type === 'Lookup' || f.type === 'MasterDetail' ? [{ object: o.name, f }] : [],
        ),
      );

    it('finds the lookups', () => {
      expect(lookups().length).to.be.greaterThan(10);
    });

    it('every lookup points at an object in the package or a known standard object', () => {
      const dangling = lookups().filter(({ f }) => !objectExists(f.referenceTo));
      expect(dangling.map(({ object, f }) => `${object}.${f.name} -> ${f.referenceTo}`)).to.deep.equal([]);
    });

    it('child relationship names are unique on each parent', () => {
      const seen = new Map<string, string>();
      const clashes: string[] = [];
      for (const { object, f } of lookups()) {
        const k = `${f.referenceTo}.${f.relationshipName}`;
        const other = seen.get(k);
        if (other) clashes.push(`${k}: ${other} and ${object}.${f.name}`);
        seen.set(k, `${object}.${f.name}`);
      }
      expect(clashes).to.deep.equal([]);
    });
  });

  describe('permission sets', () => {
    const permsets = filesIn('permissionsets', '.permissionset-meta.xml');
    const tabs = new Set(filesIn('tabs', '.tab-meta.xml').map((f) => basename(f, '.tab-meta.xml')));
    const apps = new Set(filesIn('applications', '.app-meta.xml').map((f) => basename(f, '.app-meta.xml')));

    it('has the agent and admin permission sets with their labels', () => {
      const labels = Object.fromEntries(
        permsets.map((f) => [basename(f, '.permissionset-meta.xml'), text(readXml(f).content, 'label')]),
      );
      expect(labels).to.deep.equal({
        Social_CRM_Admin: 'Social CRM Admin',
        Social_CRM_Agent: 'Social CRM Agent',
      });
    });

    for (const file of permsets) {
      const name = basename(file, '.permissionset-meta.xml');
      const content = (): XmlElement => readXml(file).content;
      const fieldPerms = () =>
        elements(content(), 'fieldPermissions').map((p) => ({
          ref: text(p, 'field') ?? '',
          readable: text(p, 'readable') === 'true',
          editable: text(p, 'editable') === 'true',
        }));
      const objectPerms = () =>
        new Map(
          elements(content(), 'objectPermissions').map((p) => [
            text(p, 'object') ?? '',
            {
              create: text(p, 'allowCreate') === 'true',
              read: text(p, 'allowRead') === 'true',
              edit: text(p, 'allowEdit') === 'true',
              del: text(p, 'allowDelete') === 'true',
              viewAll: text(p, 'viewAllRecords') === 'true',
              modifyAll: text(p, 'modifyAllRecords') === 'true',
            },
          ]),
        );

      describe(name, () => {
        it('grants field permissions only on fields that exist, and never on required fields', () => {
          const problems = fieldPerms().flatMap(({ ref, readable, editable }) => {
            const [object = '', fieldName = ''] = ref.split('.');
            const f = field(object, fieldName);
            if (!f) return [`${ref}: no such field`];
            if (f.type === 'MasterDetail' || f.required) return [`${ref}: required fields cannot be in FLS`];
            if (editable && !readable) return [`${ref}: editable but not readable`];
            if (editable && READ_ONLY_TYPES.has(f.type)) return [`${ref}: ${f.type} cannot be editable`];
            return [];
          });
          expect(problems).to.deep.equal([]);
        });

        it('lists every non-required custom field exactly once', () => {
          const refs = fieldPerms().map((p) => p.ref);
          expect(refs.length, 'duplicates').to.equal(new Set(refs).size);
          const expected = objects.flatMap((o) =>
            o.fields.filter((f) => !f.required).map((f) => `${o.name}.${f.name}`),
          );
          expect([...refs].sort()).to.deep.equal([...expected].sort());
        });

        it('grants object permissions only on objects that exist, with their dependencies', () => {
          const perms = objectPerms();
          const problems: string[] = [];
          for (const [object, p] of perms) {
            if (!objectExists(object)) problems.push(`${object}: no such object`);
            if ((p.create || p.edit || p.del || p.viewAll) && !p.read) problems.push(`${object}: needs read`);
            if ((p.del || p.modifyAll) && !p.edit) problems.push(`${object}: delete/modify all needs edit`);
            if (p.modifyAll && !(p.viewAll && p.del))
              problems.push(`${object}: modify all needs view all + delete`);
          }
          // Salesforce ties contact and case access to account access.
          for (const child of ['Contact', 'Case']) {
            if (perms.get(child)?.read && !perms.get('Account')?.read)
              problems.push(`${child}: needs Account read`);
          }
          // Field permissions are useless without read access to their object.
          for (const { ref } of fieldPerms()) {
            const object = ref.split('.')[0] ?? '';
            if (!perms.get(object)?.read) problems.push(`${ref}: no read access to ${object}`);
          }
          expect([...new Set(problems)]).to.deep.equal([]);
          for (const object of ['Social_Post__c', 'Social_Persona__c', 'Social_Saved_Reply__c']) {
            expect(perms.get(object)?.read, `${object} read`).to.equal(true);
          }
        });

        it('shows the package tabs and app, and only those that exist', () => {
          const tabSettings = elements(content(), 'tabSettings').map((t) => text(t, 'tab') ?? '');
          expect([...tabSettings].sort()).to.deep.equal([...tabs].sort());
          const visibilities = elements(content(), 'applicationVisibilities').map((a) =>
            text(a, 'application'),
          );
          expect(visibilities).to.deep.equal([...apps]);
        });
      });
    }

    it('agents read everything, write outbound posts, persona suggestions and inbox state, and delete only claims', () => {
      const file = permsets.find((f) => f.endsWith('Social_CRM_Agent.permissionset-meta.xml'));
      expect(file).to.be.a('string');
      const content = readXml(file ?? '').content;
      const perms = Object.fromEntries(
        elements(content, 'objectPermissions').map((p) => [
          text(p, 'object'),
          ['allowCreate', 'allowRead', 'allowEdit', 'allowDelete', 'modifyAllRecords']
            .filter((k) => text(p, k) === 'true')
            .join(' '),
        ]),
      );
      expect(perms).to.include({
        Social_Post__c: 'allowCreate allowRead allowEdit',
        // Taking a post creates its claim; handing it back to a queue deletes it.
        Social_Reply_Claim__c: 'allowCreate allowRead allowEdit allowDelete',
        Social_Persona__c: 'allowRead allowEdit',
        Social_Saved_Reply__c: 'allowRead',
        Contact: 'allowRead',
        Lead: 'allowRead',
      });
      const editable = new Set(
        elements(content, 'fieldPermissions')
          .filter((p) => text(p, 'editable') === 'true')
          .map((p) => text(p, 'field')),
      );
      for (const ref of [
        'Social_Post__c.Body__c',
        'Social_Post__c.In_Reply_To__c',
        'Social_Post__c.Is_Outbound__c',
        'Social_Post__c.Status__c',
        'Social_Post__c.Idempotency_Key__c',
        'Social_Persona__c.Suggested_Contact__c',
        'Social_Persona__c.Suggested_Lead__c',
        'Social_Persona__c.Contact__c',
        'Social_Persona__c.Lead__c',
        'Social_Post__c.Inbox_Status__c',
        'Social_Post__c.Done_Reason__c',
        'Social_Post__c.Done_At__c',
        'Social_Post__c.Done_By__c',
        'Social_Reply_Claim__c.Key__c',
        'Social_Reply_Claim__c.Claimed_By__c',
      ]) {
        expect(editable.has(ref), ref).to.equal(true);
      }
      // What routing and the reply-time targets decide is the sync server's to write, not an agent's.
      for (const ref of [
        'Social_Post__c.Raw_Payload__c',
        'Social_Post__c.Sentiment__c',
        'Contact.Social_Influence__c',
        'Contact.Social_Customer_Value__c',
        'Account.Social_Customer_Value__c',
        'Social_Post__c.Reply_Due__c',
        'Social_Post__c.Priority__c',
        'Social_Post__c.Target_Met__c',
        'Social_Post__c.Escalated_At__c',
        'Social_Post__c.Routed_By__c',
        'Case.Social_Target_Met__c',
      ]) {
        expect(editable.has(ref), ref).to.equal(false);
      }
    });

    it('both read the routing rules and reply targets (custom metadata type access)', () => {
      for (const file of permsets) {
        const access = elements(readXml(file).content, 'customMetadataTypeAccesses').map(
          (a) => `${text(a, 'name') ?? ''}:${text(a, 'enabled') ?? ''}`,
        );
        expect([...access].sort(), basename(file)).to.deep.equal([
          'Social_Reply_Target__mdt:true',
          'Social_Routing_Rule__mdt:true',
        ]);
      }
    });

    it('admins have full access and modify all on the package objects, and edit every field', () => {
      const file = permsets.find((f) => f.endsWith('Social_CRM_Admin.permissionset-meta.xml'));
      const content = readXml(file ?? '').content;
      for (const p of elements(content, 'objectPermissions')) {
        if (!text(p, 'object')?.endsWith('__c')) continue;
        for (const k of [
          'allowCreate',
          'allowRead',
          'allowEdit',
          'allowDelete',
          'viewAllRecords',
          'modifyAllRecords',
        ]) {
          expect(text(p, k), `${text(p, 'object')} ${k}`).to.equal('true');
        }
      }
      const notEditable = elements(content, 'fieldPermissions').filter((p) => text(p, 'editable') !== 'true');
      expect(notEditable.map((p) => text(p, 'field'))).to.deep.equal([]);
    });
  });

  describe('UI references', () => {
    it('every list view column and filter names a field of its object, with valid filter values', () => {
      const problems: string[] = [];
      for (const file of listFiles(join(DEFAULT_DIR, 'objects')).filter((f) =>
        f.endsWith('.listView-meta.xml'),
      )) {
        const object = ownerObject(file);
        const view = readXml(file).content;
        for (const column of texts(view, 'columns')) {
          if (!fieldRefExists(object, column, STANDARD_COLUMNS))
            problems.push(`${rel(file)}: column ${column}`);
        }
        for (const filter of elements(view, 'filters')) {
          const name = text(filter, 'field') ?? '';
          const value = text(filter, 'value') ?? '';
          const f = field(object, name);
          if (!f) problems.push(`${rel(file)}: filter on ${name}`);
          else if (f.type === 'Checkbox' && !['0', '1'].includes(value))
            problems.push(`${rel(file)}: ${name}=${value}`);
          else if (f.type === 'Picklist') {
            const allowed = new Set(f.values.map((v) => v.value));
            for (const v of value.split(','))
              if (!allowed.has(v)) problems.push(`${rel(file)}: ${name}=${v}`);
          } else if (f.type === 'LongTextArea')
            problems.push(`${rel(file)}: cannot filter on long text ${name}`);
        }
      }
      expect(problems).to.deep.equal([]);
    });

    it('has the list views agents work from', () => {
      const views = listFiles(join(DEFAULT_DIR, 'objects'))
        .filter((f) => f.endsWith('.listView-meta.xml'))
        .map((f) => `${ownerObject(f)}.${basename(f, '.listView-meta.xml')}`);
      expect(views).to.include.members([
        'Social_Post__c.All',
        'Social_Post__c.Needs_Reply',
        'Social_Post__c.Negative',
        'Social_Post__c.Pending_Replies',
        'Social_Post__c.Social_Inbox_Open',
        'Social_Post__c.My_Social_Posts',
        'Social_Post__c.Overdue',
        'Social_Persona__c.All',
        'Social_Persona__c.Top_Influencers',
      ]);
    });

    it('the inbox list views: open and assigned posts due first, my posts, and the overdue ones', () => {
      const view = (name: string) =>
        readXml(join(DEFAULT_DIR, 'objects', 'Social_Post__c', 'listViews', `${name}.listView-meta.xml`))
          .content;
      const filters = (v: XmlElement) =>
        elements(v, 'filters').map((f) =>
          `${text(f, 'field')} ${text(f, 'operation')} ${text(f, 'value') ?? ''}`.trim(),
        );

      const open = view('Social_Inbox_Open');
      expect(text(open, 'label')).to.equal('Social Inbox — Open');
      expect(text(open, 'filterScope')).to.equal('Everything');
      expect(filters(open)).to.deep.equal(['Inbox_Status__c equals Open,Assigned']);
      // List views carry no sort order in the Metadata API: the due time is the first column to sort by.
      expect(texts(open, 'columns').slice(0, 2)).to.deep.equal(['NAME', 'Reply_Due__c']);
      expect(texts(open, 'columns')).to.include('OWNER.ALIAS');

      const mine = view('My_Social_Posts');
      expect(text(mine, 'filterScope')).to.equal('Mine');
      expect(texts(mine, 'columns')).to.include.members(['Reply_Due__c', 'Inbox_Status__c']);

      const overdue = view('Overdue');
      expect(text(overdue, 'booleanFilter')).to.equal('1 AND (2 OR 3)');
      expect(filters(overdue)).to.deep.equal([
        'Inbox_Status__c equals Open,Assigned',
        'Escalated_At__c notEqual',
        'Reply_Due__c lessThan TODAY',
      ]);
    });

    it('every layout places existing fields, required ones as Required, and related lists that exist', () => {
      const problems: string[] = [];
      const layouts = filesIn('layouts', '.layout-meta.xml');
      expect(layouts).to.have.length(3);
      for (const file of layouts) {
        const object = basename(file).split('-')[0] ?? '';
        const layout = readXml(file).content;
        const placed = new Map<string, string>();
        for (const section of elements(layout, 'layoutSections')) {
          for (const column of elements(section, 'layoutColumns')) {
            for (const item of elements(column, 'layoutItems')) {
              const name = text(item, 'field');
              if (name === undefined) continue;
              if (placed.has(name)) problems.push(`${rel(file)}: ${name} placed twice`);
              placed.set(name, text(item, 'behavior') ?? '');
              if (!fieldRefExists(object, name, STANDARD_LAYOUT_FIELDS))
                problems.push(`${rel(file)}: field ${name}`);
            }
          }
        }
        const custom = byName.get(object);
        if (!custom?.custom) problems.push(`${rel(file)}: no object ${object}`);
        for (const f of custom?.fields ?? []) {
          if (f.required && placed.get(f.name) !== 'Required')
            problems.push(`${rel(file)}: ${f.name} must be Required`);
        }
        if (custom?.custom && custom.nameField.type === 'Text' && placed.get('Name') !== 'Required') {
          problems.push(`${rel(file)}: Name must be Required`);
        }
        for (const list of elements(layout, 'relatedLists')) {
          const ref = text(list, 'relatedList') ?? '';
          if (ref === 'RelatedEntityHistoryList') continue;
          const [child = '', lookup = ''] = ref.split('.');
          const f = field(child, lookup);
          if (f?.type !== 'Lookup' || f.referenceTo !== object)
            problems.push(`${rel(file)}: related list ${ref}`);
          for (const column of texts(list, 'fields')) {
            if (!fieldRefExists(child, column, STANDARD_COLUMNS))
              problems.push(`${rel(file)}: ${ref} column ${column}`);
          }
        }
      }
      expect(problems).to.deep.equal([]);
    });

    it('the post layout shows every inbox field, and the compact layout the ones agents scan', () => {
      const layout = readXml(
        join(DEFAULT_DIR, 'layouts', 'Social_Post__c-Social Post Layout.layout-meta.xml'),
      ).content;
      const placed = elements(layout, 'layoutSections').flatMap((s) =>
        elements(s, 'layoutColumns').flatMap((c) => elements(c, 'layoutItems').map((i) => text(i, 'field'))),
      );
      expect(placed).to.include.members([
        'OwnerId',
        'Reply_Due__c',
        'Priority__c',
        'Inbox_Status__c',
        'Done_Reason__c',
        'Done_At__c',
        'Done_By__c',
        'Target_Met__c',
        'Escalated_At__c',
        'Routed_By__c',
      ]);
      const compact = readXml(
        join(
          DEFAULT_DIR,
          'objects',
          'Social_Post__c',
          'compactLayouts',
          'Social_Post_Compact.compactLayout-meta.xml',
        ),
      ).content;
      const fields = texts(compact, 'fields');
      expect(fields).to.include.members(['Inbox_Status__c', 'Priority__c', 'Reply_Due__c', 'OwnerId']);
      expect(fields.length, 'a compact layout shows at most 10 fields').to.be.at.most(10);
    });

    it('compact layouts, search layouts and validation rules name existing fields', () => {
      const problems: string[] = [];
      for (const file of listFiles(join(DEFAULT_DIR, 'objects'))) {
        const object = ownerObject(file);
        if (file.endsWith('.compactLayout-meta.xml')) {
          for (const name of texts(readXml(file).content, 'fields')) {
            if (!fieldRefExists(object, name, STANDARD_LAYOUT_FIELDS)) problems.push(`${rel(file)}: ${name}`);
            const type = field(object, name)?.type;
            if (type === 'LongTextArea' || type === 'MultiselectPicklist')
              problems.push(`${rel(file)}: ${type}`);
          }
        }
        if (file.endsWith('.validationRule-meta.xml')) {
          const name = text(readXml(file).content, 'errorDisplayField');
          if (name && !field(object, name)) problems.push(`${rel(file)}: ${name}`);
        }
        if (file.endsWith('.object-meta.xml') && !file.endsWith('__mdt.object-meta.xml')) {
          const objectName = basename(file, '.object-meta.xml');
          const content = readXml(file).content;
          for (const search of elements(content, 'searchLayouts')) {
            for (const [k, v] of Object.entries(search)) {
              for (const name of Array.isArray(v) ? v : [v]) {
                if (!field(objectName, String(name))) problems.push(`${rel(file)}: ${k} ${String(name)}`);
              }
            }
          }
          const compact = text(content, 'compactLayoutAssignment');
          const compactFile = join(dirname(file), 'compactLayouts', `${compact}.compactLayout-meta.xml`);
          if (compact !== 'SYSTEM' && !listFiles(dirname(file)).includes(compactFile)) {
            problems.push(`${rel(file)}: compact layout ${compact}`);
          }
        }
      }
      expect(problems).to.deep.equal([]);
    });

    it('each package object people work with has a tab, and the app shows those tabs plus standard ones', () => {
      const tabs = filesIn('tabs', '.tab-meta.xml').map((f) => basename(f, '.tab-meta.xml'));
      // Lightning page tabs (<flexiPage>) show an app page of the package; the others are object tabs.
      const pageTabs = tabs.filter((t) =>
        text(readXml(join(DEFAULT_DIR, 'tabs', `${t}.tab-meta.xml`)).content, 'flexiPage'),
      );
      const pages = filesIn('flexipages', '.flexipage-meta.xml').map((f) =>
        basename(f, '.flexipage-meta.xml'),
      );
      for (const t of pageTabs) {
        const page = text(readXml(join(DEFAULT_DIR, 'tabs', `${t}.tab-meta.xml`)).content, 'flexiPage') ?? '';
        expect(pages, `${t} shows ${page}`).to.include(page);
      }
      // Send claims are the sync server's bookkeeping: reachable from a reply's related list, no tab.
      const internal = new Set(['Social_Reply_Claim__c']);
      const customObjects = objects.filter((o) => o.custom && !internal.has(o.name)).map((o) => o.name);
      const objectTabs = tabs.filter((t) => !pageTabs.includes(t));
      expect([...objectTabs].sort()).to.deep.equal([...customObjects].sort());
      const [app] = filesIn('applications', '.app-meta.xml');
      const content = readXml(app ?? '').content;
      expect(text(content, 'label')).to.equal('Social CRM');
      expect(text(content, 'uiType')).to.equal('Lightning');
      const appTabs = texts(content, 'tabs');
      expect(appTabs).to.include.members([
        ...tabs,
        'standard-Contact',
        'standard-Lead',
        'standard-Account',
        'standard-Case',
      ]);
      const unknown = appTabs.filter((t) => !t.startsWith('standard-') && !tabs.includes(t));
      expect(unknown).to.deep.equal([]);
    });

    it('the Social Inbox: a Lightning page tab, first in the app, showing one region with the socialInbox component', () => {
      const tab = readXml(join(DEFAULT_DIR, 'tabs', 'Social_Inbox.tab-meta.xml')).content;
      expect(text(tab, 'flexiPage')).to.equal('Social_Inbox');
      expect(text(tab, 'label')).to.equal('Social Inbox');
      expect(text(tab, 'motif')).to.match(/^Custom\d+: \w+$/);
      const [app] = filesIn('applications', '.app-meta.xml');
      expect(texts(readXml(app ?? '').content, 'tabs')[0]).to.equal('Social_Inbox');

      const page = readXml(join(DEFAULT_DIR, 'flexipages', 'Social_Inbox.flexipage-meta.xml')).content;
      expect(text(page, 'type')).to.equal('AppPage');
      expect(text(page, 'masterLabel')).to.equal('Social Inbox');
      expect(text(elements(page, 'template')[0] ?? {}, 'name')).to.equal('flexipage:defaultAppHomeTemplate');
      const regions = elements(page, 'flexiPageRegions');
      expect(regions.map((r) => [text(r, 'name'), text(r, 'type')])).to.deep.equal([['main', 'Region']]);
      const instances = elements(regions[0] ?? {}, 'itemInstances').map(
        (i) => elements(i, 'componentInstance')[0] ?? {},
      );
      expect(instances.map((c) => [text(c, 'componentName'), text(c, 'identifier')])).to.deep.equal([
        ['socialInbox', 'c_socialInbox'],
      ]);
      // The component it places exists and may go on app pages.
      const meta = readXml(join(DEFAULT_DIR, 'lwc', 'socialInbox', 'socialInbox.js-meta.xml')).content;
      expect(text(meta, 'isExposed')).to.equal('true');
      expect(elements(meta, 'targets').flatMap((t) => texts(t, 'target'))).to.include.members([
        'lightning__AppPage',
        'lightning__Tab',
      ]);
    });
  });
});

describe('manifests: routing rules, reply targets and queues', () => {
  let types: CustomMetadataType[] = [];
  let queues: ReturnType<typeof readQueues> = [];
  const type = (name: string): CustomMetadataType => {
    const t = types.find((x) => x.name === name);
    if (!t) throw new Error(`no custom metadata type ${name}`);
    return t;
  };
  const list = (value: unknown): string[] =>
    typeof value === 'string'
      ? value
          .split(/[,\n]/)
          .map((s) => s.trim())
          .filter(Boolean)
      : [];

  before('read the package', () => {
    objects = readManifests(SOURCE_DIR);
    byName = new Map(objects.map((o) => [o.name, o]));
    types = readCustomMetadata(SOURCE_DIR);
    queues = readQueues(SOURCE_DIR);
  });

  it('has the two custom metadata types with the contract fields and types', () => {
    expect(types.map((t) => t.name)).to.deep.equal(['Social_Reply_Target__mdt', 'Social_Routing_Rule__mdt']);
    for (const [name, fields] of Object.entries(METADATA_TYPES)) {
      const actual = Object.fromEntries(type(name).fields.map((f) => [f.name, f.type]));
      expect(actual, name).to.deep.equal(fields);
    }
    const order = type('Social_Routing_Rule__mdt').fields.find((f) => f.name === 'Order__c');
    expect(order).to.include({ precision: 5, scale: 0, required: true });
    const influence = type('Social_Routing_Rule__mdt').fields.find((f) => f.name === 'Min_Influence__c');
    expect(influence).to.include({ precision: 5, scale: 2 });
    const minutes = type('Social_Reply_Target__mdt').fields.find((f) => f.name === 'Minutes__c');
    expect(minutes).to.include({ precision: 6, scale: 0, required: true });
  });

  it('custom metadata fields are editable by subscribers, and every field explains itself', () => {
    const problems: string[] = [];
    for (const t of types) {
      const dir = join(DEFAULT_DIR, 'objects', t.name, 'fields');
      for (const f of t.fields) {
        const content = readXml(join(dir, `${f.name}.field-meta.xml`)).content;
        if (text(content, 'fieldManageability') !== 'SubscriberControlled')
          problems.push(`${t.name}.${f.name}: manageability`);
        if (!f.description || !f.inlineHelpText) problems.push(`${t.name}.${f.name}: description or help`);
      }
      const object = readXml(join(DEFAULT_DIR, 'objects', t.name, `${t.name}.object-meta.xml`)).content;
      if (text(object, 'visibility') !== 'Public') problems.push(`${t.name}: visibility`);
    }
    expect(problems).to.deep.equal([]);
  });

  it('has the three queues, each for social posts', () => {
    expect(queues.map((q) => [q.name, q.label, q.sobjectTypes])).to.deep.equal([
      ['Social_Sales', 'Social Sales', ['Social_Post__c']],
      ['Social_Support', 'Social Support', ['Social_Post__c']],
      ['Social_VIP', 'Social VIP', ['Social_Post__c']],
    ]);
  });

  it('has the routing rules of the spec, tried in order, ending with a catch-all Default', () => {
    const rules = type('Social_Routing_Rule__mdt').records;
    const summary = Object.fromEntries(
      rules.map((r) => [
        r.name,
        {
          order: r.values['Order__c'],
          active: r.values['Active__c'],
          intent: r.values['Intent__c'],
          language: r.values['Language__c'],
          minInfluence: r.values['Min_Influence__c'],
          queue: r.values['Queue__c'],
          supervisor: r.values['Supervisor__c'],
        },
      ]),
    );
    const base = {
      active: true,
      intent: null,
      language: null,
      minInfluence: null,
      supervisor: 'admin@socialcrm.dev',
    };
    expect(summary).to.deep.equal({
      VIP_Complaints: { ...base, order: 10, intent: 'complaint', minInfluence: 70, queue: 'Social_VIP' },
      Sales_Leads: { ...base, order: 20, intent: 'purchase_intent', queue: 'Social_Sales' },
      Spanish: { ...base, order: 30, language: 'es', queue: 'Social_Support' },
      Default: { ...base, order: 9999, queue: 'Social_Support' },
    });
    // The catch-all has no conditions and comes last, so it never hides a rule.
    const conditions = [
      'Network__c',
      'Language__c',
      'Intent__c',
      'Min_Influence__c',
      'Accounts__c',
      'Keywords__c',
    ];
    const catchAll = rules.filter((r) => conditions.every((c) => r.values[c] === null));
    expect(catchAll.map((r) => r.name)).to.deep.equal(['Default']);
    const maxOrder = Math.max(...rules.map((r) => Number(r.values['Order__c'])));
    expect(catchAll[0]?.values['Order__c']).to.equal(maxOrder);
    const orders = rules.filter((r) => r.values['Active__c']).map((r) => r.values['Order__c']);
    expect(new Set(orders).size, 'active rules have distinct orders').to.equal(orders.length);
  });

  it('every rule routes to (and escalates to) a queue of the package that takes social posts', () => {
    const postQueues = new Set(
      queues.filter((q) => q.sobjectTypes.includes('Social_Post__c')).map((q) => q.name),
    );
    const problems: string[] = [];
    for (const r of type('Social_Routing_Rule__mdt').records) {
      for (const field of ['Queue__c', 'Escalation_Queue__c']) {
        const queue = r.values[field];
        if (field === 'Queue__c' && typeof queue !== 'string') problems.push(`${r.name}: no queue`);
        if (typeof queue === 'string' && !postQueues.has(queue))
          problems.push(`${r.name}.${field}: ${queue}`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('rule conditions use the values posts carry', () => {
    const intents = (field('Social_Post__c', 'Intent__c') as PicklistField).values.map((v) => v.value);
    const problems: string[] = [];
    for (const r of type('Social_Routing_Rule__mdt').records) {
      for (const n of list(r.values['Network__c']))
        if (!NETWORKS.includes(n)) problems.push(`${r.name}: network ${n}`);
      for (const i of list(r.values['Intent__c']))
        if (!intents.includes(i)) problems.push(`${r.name}: intent ${i}`);
      for (const l of list(r.values['Language__c']))
        if (!/^[a-z]{2}$/.test(l)) problems.push(`${r.name}: language ${l} is not ISO 639-1`);
      const min = r.values['Min_Influence__c'];
      if (typeof min === 'number' && (min < 0 || min > 100)) problems.push(`${r.name}: influence ${min}`);
    }
    expect(problems).to.deep.equal([]);
  });

  it('has a reply-time target for every priority on any network, plus the faster one for urgent posts on X', () => {
    const priorities = (field('Social_Post__c', 'Priority__c') as PicklistField).values.map((v) => v.value);
    const targets = type('Social_Reply_Target__mdt').records;
    const summary = Object.fromEntries(
      targets.map((t) => [t.name, [t.values['Priority__c'], t.values['Network__c'], t.values['Minutes__c']]]),
    );
    expect(summary).to.deep.equal({
      Urgent: ['Urgent', null, 30],
      High: ['High', null, 60],
      Normal: ['Normal', null, 240],
      Low: ['Low', null, 1440],
      X_Urgent: ['Urgent', 'x', 15],
    });
    for (const p of priorities) {
      expect(
        targets.filter((t) => t.values['Priority__c'] === p && t.values['Network__c'] === null),
        p,
      ).to.have.length(1);
    }
    for (const t of targets) {
      expect(priorities, t.name).to.include(t.values['Priority__c']);
      if (t.values['Network__c'] !== null) expect(NETWORKS, t.name).to.include(t.values['Network__c']);
    }
    // Two targets for one priority and network would make the due time depend on which one is read first.
    const keys = targets.map((t) => `${t.values['Priority__c']}/${t.values['Network__c']}`);
    expect(new Set(keys).size).to.equal(keys.length);
  });
});
