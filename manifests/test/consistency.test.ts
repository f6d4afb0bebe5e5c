// Cross-file rules a deploy would reject (or an admin would trip over) that no single file shows:
// every reference points at something that exists, FLS never names a required field, and the CRM
// schema other parts rely on (manifests/README.md, "The schema") is all there with the right types.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { expect } from 'chai';
import { XMLValidator } from 'fast-xml-parser';
import { readManifests } from '../src/read-manifests.ts';
import type {
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
  },
  Lead: {
    Social_Handles__c: 'LongTextArea',
    Social_Influence__c: 'Number',
    Social_Sentiment__c: 'Number',
    Last_Social_Activity__c: 'DateTime',
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
  return listFiles(join(DEFAULT_DIR, folder)).filter((f) => f.endsWith(suffix));
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
      for (const object of ['Social_Post__c', 'Social_Persona__c', 'Social_Saved_Reply__c']) {
        expect(values(object, 'Network__c'), `${object}.Network__c`).to.deep.equal(NETWORKS);
      }
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

    it('agents read everything, write outbound posts and persona suggestions, and delete nothing', () => {
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
      ]) {
        expect(editable.has(ref), ref).to.equal(true);
      }
      for (const ref of [
        'Social_Post__c.Raw_Payload__c',
        'Social_Post__c.Sentiment__c',
        'Contact.Social_Influence__c',
      ]) {
        expect(editable.has(ref), ref).to.equal(false);
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
        'Social_Persona__c.All',
        'Social_Persona__c.Top_Influencers',
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
        if (file.endsWith('.object-meta.xml')) {
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
      // Send claims are the sync server's bookkeeping: reachable from a reply's related list, no tab.
      const internal = new Set(['Social_Reply_Claim__c']);
      const customObjects = objects.filter((o) => o.custom && !internal.has(o.name)).map((o) => o.name);
      expect([...tabs].sort()).to.deep.equal([...customObjects].sort());
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
  });
});
