// The Lightning hosts: the socialPanel (record pages) and socialInbox (the Social Inbox app page) Lightning
// web components, the socialShared module they share, and the socialComponents static resource they load.
// What a deploy would not catch until someone opens the page: the components are offered where they
// belong, every field they read or write exists (and agents may write it), and the static resource is
// the current components bundle in a form loadScript can run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { expect } from 'chai';
import { Kind, parse, print } from 'graphql';
import type { ASTNode, FragmentDefinitionNode, ObjectValueNode, SelectionSetNode } from 'graphql';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../scripts/browser.ts';
import { readManifests } from '../src/read-manifests.ts';
import type { ManifestObject } from '../src/read-manifests.ts';
import {
  RESOURCE_META,
  RESOURCE_META_PATH,
  RESOURCE_PATH,
  renderStaticResource,
} from '../scripts/build-static-resource.ts';
import { DEFAULT_DIR, MANIFESTS_DIR, elements, readXml, text, texts } from './helpers.ts';

const TAGS = ['social-timeline', 'social-persona-card', 'social-respond-box'];
const INBOX_TAG = 'social-inbox';
const LWC_DIR = join(DEFAULT_DIR, 'lwc');
const PANEL_DIR = join(LWC_DIR, 'socialPanel');
const INBOX_DIR = join(LWC_DIR, 'socialInbox');
const SHARED_JS = join(LWC_DIR, 'socialShared', 'socialShared.js');
const read = (file: string): string => readFileSync(file, 'utf8');
const panelJs = (): string => read(join(PANEL_DIR, 'socialPanel.js'));
const inboxJs = (): string => read(join(INBOX_DIR, 'socialInbox.js'));
const sharedJs = (): string => read(SHARED_JS);
/** The panel's mapping: its own module and the shared one it re-exports. */
const mappingJs = (): string => read(join(PANEL_DIR, 'mapping.js')) + sharedJs();
const inboxMappingJs = (): string => read(join(INBOX_DIR, 'mapping.js'));

/**
 * Standard fields the hosts may name, by object (`*`: every object); a value is a relationship's target.
 * `User`, `Group`, `GroupMember` and `QueueSobject` are read by the inbox for its assign menu.
 */
const STANDARD_FIELDS: Record<string, Record<string, string | null>> = {
  '*': { Id: null, Name: null, CreatedDate: null, OwnerId: null, Owner: 'User' },
  Contact: { FirstName: null, LastName: null },
  Lead: { FirstName: null, LastName: null, Company: null },
  Case: { CaseNumber: null, Contact: 'Contact' },
  Account: {},
  User: { IsActive: null, UserType: null },
  Group: { DeveloperName: null, Type: null },
  GroupMember: { GroupId: null, UserOrGroupId: null },
  QueueSobject: { QueueId: null, SobjectType: null },
};
/** GraphQL connection and value wrappers: not fields. */
const GRAPHQL_WRAPPERS = new Set([
  'edges',
  'node',
  'pageInfo',
  'hasNextPage',
  'endCursor',
  'value',
  'displayValue',
]);
/** Filter and order operators in GraphQL arguments: not fields. */
const GRAPHQL_OPERATORS = new Set([
  'or',
  'and',
  'not',
  'eq',
  'ne',
  'in',
  'nin',
  'like',
  'lt',
  'lte',
  'gt',
  'gte',
  'order',
  'nulls',
]);

let objects = new Map<string, ManifestObject>();

/**
 * Resolves `ref` (`Object.Field`, `Object.Lookup__r.Field`, …) against the package and the standard fields
 * above. Returns why it does not resolve, or null.
 */
function unresolved(ref: string): string | null {
  const [first = '', ...path] = ref.split('.');
  let object = first;
  if (!objects.has(object) && !STANDARD_FIELDS[object]) return `${ref}: no object ${object}`;
  for (const [i, name] of path.entries()) {
    const last = i === path.length - 1;
    const standard = { ...STANDARD_FIELDS['*'], ...STANDARD_FIELDS[object] };
    if (name in standard) {
      const target = standard[name];
      if (last) return null;
      if (!target) return `${ref}: ${object}.${name} is not a relationship`;
      object = target;
      continue;
    }
    const fieldName = name.endsWith('__r') ? name.replace(/__r$/, '__c') : name;
    const field = objects.get(object)?.fields.find((f) => f.name === fieldName);
    if (!field && name.endsWith('__r')) {
      // A child relationship (`Send_Claims__r` on Social_Post__c): the lookup on the child that names it.
      const child = childRelationship(object, name.replace(/__r$/, ''));
      if (!child) return `${ref}: no field or child relationship ${object}.${name}`;
      if (last) return null;
      object = child;
      continue;
    }
    if (!field) return `${ref}: no field ${object}.${fieldName}`;
    if (name.endsWith('__r') || !last) {
      if (field.type !== 'Lookup' && field.type !== 'MasterDetail')
        return `${ref}: ${fieldName} is no lookup`;
      if (last) return null;
      object = field.referenceTo;
    }
  }
  return null;
}

/** The object whose lookup to `parent` has the child relationship name `relationshipName`. */
function childRelationship(parent: string, relationshipName: string): string | null {
  for (const o of objects.values()) {
    for (const f of o.fields) {
      if ((f.type === 'Lookup' || f.type === 'MasterDetail') && f.referenceTo === parent)
        if (f.relationshipName === relationshipName) return o.name;
    }
  }
  return null;
}

/** The gql`…` queries of a module. */
function queriesOf(source: string, file: string): string[] {
  const queries = [...source.matchAll(/gql`([^`]*)`/g)].map((m) => m[1] ?? '');
  if (queries.length === 0) throw new Error(`${file} has no gql\`…\` query`);
  return queries;
}

/** The gql`…` query of socialPanel.js. */
function panelQuery(): string {
  return queriesOf(panelJs(), 'socialPanel.js')[0] ?? '';
}

/** The gql`…` queries of socialInbox.js, by operation name. */
function inboxQueries(): Map<string, string> {
  return new Map(queriesOf(inboxJs(), 'socialInbox.js').map((q) => [/query\s+(\w+)/.exec(q)?.[1] ?? '', q]));
}

/** The source of one exported function of a module (up to the next top-level closing brace). */
function functionSource(source: string, name: string): string {
  const start = source.indexOf(`export function ${name}(`);
  if (start < 0) throw new Error(`no function ${name}`);
  return source.slice(start, source.indexOf('\n}\n', start) + 3);
}

/** The names `value(node, 'X__c')` reads in a piece of mapping code. */
function valueReads(source: string): string[] {
  return [...source.matchAll(/value\([a-zA-Z?.]+, '([A-Za-z0-9_]+)'\)/g)].map((m) => m[1] ?? '');
}

/** Every field reference of a UI API GraphQL query, as `Object.Field` paths (relationships followed). */
function graphqlFieldRefs(query: string): string[] {
  const document = parse(query);
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const refs: string[] = [];

  const argumentFields = (node: ObjectValueNode, path: string): void => {
    for (const field of node.fields) {
      if (!GRAPHQL_OPERATORS.has(field.name.value)) refs.push(`${path}.${field.name.value}`);
      walkValue(field.value, path);
    }
  };
  const walkValue = (value: ASTNode, path: string): void => {
    if (value.kind === Kind.OBJECT) argumentFields(value, path);
    if (value.kind === Kind.LIST) for (const v of value.values) walkValue(v, path);
  };

  // `path` is the object (and relationships) the selections belong to; null above the object level.
  const walk = (set: SelectionSetNode | undefined, path: string | null): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) throw new Error(`no fragment ${selection.name.value}`);
        const type = fragment.typeCondition.name.value;
        if (path !== null && !path.endsWith(type) && unresolved(path) !== null)
          refs.push(`${path} (fragment on ${type})`);
        walk(fragment.selectionSet, path ?? type);
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, path);
        continue;
      }
      const name = selection.name.value;
      if (path === null) {
        const isObject = objects.has(name) || name in STANDARD_FIELDS;
        const objectPath = isObject ? name : null;
        if (objectPath) {
          refs.push(objectPath);
          for (const arg of selection.arguments ?? []) walkValue(arg.value, objectPath);
        }
        walk(selection.selectionSet, objectPath);
      } else if (GRAPHQL_WRAPPERS.has(name)) {
        walk(selection.selectionSet, path);
      } else {
        refs.push(`${path}.${name}`);
        const standardTarget = STANDARD_FIELDS['*']?.[name] ?? null;
        if (name.endsWith('__r') || (standardTarget && selection.selectionSet)) {
          const child = `${path}.${name}`;
          // A child relationship's filter names the child's fields.
          for (const arg of selection.arguments ?? []) walkValue(arg.value, child);
          walk(selection.selectionSet, child);
        }
      }
    }
  };

  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) walk(definition.selectionSet, null);
  }
  return refs;
}

/** The `@salesforce/schema/…` imports of a module, without the prefix. */
function schemaImports(source: string): string[] {
  return [...source.matchAll(/from\s+'@salesforce\/schema\/([^']+)'/g)].map((m) => m[1] ?? '');
}

describe('Lightning host: socialPanel', () => {
  before('read the package', () => {
    objects = new Map(readManifests().map((o) => [o.name, o]));
  });

  describe('socialPanel.js-meta.xml', () => {
    const meta = () => readXml(join(PANEL_DIR, 'socialPanel.js-meta.xml')).content;

    it('is exposed at the package API version, on record pages only', () => {
      expect(text(meta(), 'isExposed')).to.equal('true');
      expect(text(meta(), 'apiVersion')).to.equal('62.0');
      const targets = elements(meta(), 'targets').flatMap((t) => texts(t, 'target'));
      expect(targets).to.deep.equal(['lightning__RecordPage']);
    });

    it('is offered on Contact, Lead, Account and Case pages, with the SLA target as a design property', () => {
      const [config, ...more] = elements(elements(meta(), 'targetConfigs')[0] ?? {}, 'targetConfig');
      expect(more).to.deep.equal([]);
      expect(config?.['@_targets']).to.equal('lightning__RecordPage');
      const objectNames = elements(config ?? {}, 'objects').flatMap((o) => texts(o, 'object'));
      expect([...objectNames].sort()).to.deep.equal(['Account', 'Case', 'Contact', 'Lead']);
      const property = elements(config ?? {}, 'property').find((p) => p['@_name'] === 'slaMinutes');
      expect(property).to.include({ '@_type': 'Integer', '@_default': '60' });
      expect(panelJs()).to.match(/@api slaMinutes = 60;/);
    });

    it('has a Social_Post__c lookup for every object it is offered on', () => {
      const lookups = objects.get('Social_Post__c')?.fields.filter((f) => f.type === 'Lookup') ?? [];
      for (const object of ['Contact', 'Lead', 'Account', 'Case']) {
        expect(
          lookups.find((f) => f.name === `${object}__c`),
          `Social_Post__c.${object}__c`,
        ).to.include({ referenceTo: object });
        expect(mappingJs(), `mapping for ${object}`).to.include(`${object}: '${object}__c'`);
      }
    });
  });

  describe('field references', () => {
    it('finds the query, its fields and the schema imports', () => {
      const refs = graphqlFieldRefs(panelQuery());
      expect(refs).to.include.members([
        'Social_Post__c.Body__c',
        'Social_Post__c.Contact__c',
        'Social_Post__c.Persona__r.Handle__c',
        'Social_Persona__c.Suggested_Contact__c',
        'Social_Saved_Reply__c.Active__c',
      ]);
      expect(schemaImports(panelJs())).to.include('Case.Contact.FirstName');
    });

    it('every field the GraphQL query reads or filters on exists', () => {
      const problems = graphqlFieldRefs(panelQuery()).flatMap((ref) => unresolved(ref) ?? []);
      expect(problems).to.deep.equal([]);
    });

    it('every @salesforce/schema import names an existing object or field', () => {
      const problems = schemaImports(panelJs()).flatMap((ref) => unresolved(ref) ?? []);
      expect(problems).to.deep.equal([]);
    });

    it('every field the mapping reads or writes exists, and the fields it reads are queried', () => {
      const queried = new Set(graphqlFieldRefs(panelQuery()).map((ref) => ref.split('.').pop()));
      const names = new Set([...mappingJs().matchAll(/\b[A-Za-z][A-Za-z0-9_]*__[cr]\b/g)].map((m) => m[0]));
      const problems: string[] = [];
      for (const name of names) {
        if (objects.has(name)) continue;
        const owners = [...objects.values()].filter((o) => o.fields.some((f) => f.name === name));
        if (owners.length === 0 && !queried.has(name)) problems.push(`${name}: no such field`);
        // value(node, 'X__c') reads a query result: the query must ask for it.
        if (new RegExp(`value\\([a-z]+, '${name}'\\)`).test(mappingJs()) && !queried.has(name))
          problems.push(`${name}: read but not queried`);
      }
      expect(problems).to.deep.equal([]);
    });

    it('writes replies and suggestion decisions only to fields the agent permission set may edit', () => {
      const agent = readXml(join(DEFAULT_DIR, 'permissionsets', 'Social_CRM_Agent.permissionset-meta.xml'));
      const editable = new Set(
        elements(agent.content, 'fieldPermissions')
          .filter((p) => text(p, 'editable') === 'true')
          .map((p) => text(p, 'field')),
      );
      const required = (object: string, name: string) =>
        objects.get(object)?.fields.find((f) => f.name === name)?.required === true;
      const writes = {
        Social_Post__c: ['Is_Outbound__c', 'Status__c', 'In_Reply_To__c', 'Body__c', 'Network__c'],
        Social_Persona__c: ['Contact__c', 'Lead__c', 'Suggested_Contact__c', 'Suggested_Lead__c'],
      };
      writes.Social_Post__c.push('Idempotency_Key__c', 'Contact__c', 'Lead__c', 'Account__c', 'Case__c');
      writes.Social_Persona__c.push('Match_Confidence__c', 'Match_Reason__c');
      const problems = Object.entries(writes).flatMap(([object, fields]) =>
        fields
          .filter((f) => !required(object, f) && !editable.has(`${object}.${f}`))
          .map((f) => `${object}.${f}`),
      );
      expect(problems).to.deep.equal([]);
    });
  });

  describe('talks only to Salesforce', () => {
    it('loads its static resource and calls no server of its own', () => {
      const source = panelJs() + mappingJs();
      expect(source).to.include("from '@salesforce/resourceUrl/socialComponents'");
      expect(source).to.include('loadScript(this, SOCIAL_COMPONENTS)');
      for (const banned of [
        'fetch(',
        'XMLHttpRequest',
        'WebSocket',
        'EventSource',
        'http://',
        'https://',
        '/api/',
      ])
        expect(source, banned).not.to.include(banned);
    });

    it('renders the three components as lwc:external custom elements', () => {
      const html = readFileSync(join(PANEL_DIR, 'socialPanel.html'), 'utf8');
      for (const tag of ['social-timeline', 'social-persona-card', 'social-respond-box']) {
        expect(html).to.match(new RegExp(`<${tag}\\s+lwc:external`));
      }
    });
  });
});

describe('Lightning host: socialInbox', () => {
  const agentEditable = (): Set<string | undefined> => {
    const agent = readXml(join(DEFAULT_DIR, 'permissionsets', 'Social_CRM_Agent.permissionset-meta.xml'));
    return new Set(
      elements(agent.content, 'fieldPermissions')
        .filter((p) => text(p, 'editable') === 'true')
        .map((p) => text(p, 'field')),
    );
  };

  before('read the package', () => {
    objects = new Map(readManifests().map((o) => [o.name, o]));
  });

  it('is exposed at the package API version on app pages and tabs', () => {
    const meta = readXml(join(INBOX_DIR, 'socialInbox.js-meta.xml')).content;
    expect(text(meta, 'isExposed')).to.equal('true');
    expect(text(meta, 'apiVersion')).to.equal('62.0');
    const targets = elements(meta, 'targets').flatMap((t) => texts(t, 'target'));
    expect([...targets].sort()).to.deep.equal(['lightning__AppPage', 'lightning__Tab']);
    const shared = readXml(join(LWC_DIR, 'socialShared', 'socialShared.js-meta.xml')).content;
    expect(text(shared, 'isExposed')).to.equal('false');
  });

  it('has its five queries, each wired under its own operation name', () => {
    expect([...inboxQueries().keys()].sort()).to.deep.equal([
      'socialInbox',
      'socialInboxMemberships',
      'socialInboxOptions',
      'socialInboxPostQueues',
      'socialInboxThread',
    ]);
    for (const name of inboxQueries().keys()) expect(inboxJs(), name).to.include(`'${name}'`);
  });

  it('reads the open and assigned posts due first, with the owner, record, author and claim of each', () => {
    const query = inboxQueries().get('socialInbox') ?? '';
    expect(graphqlFieldRefs(query)).to.include.members([
      'Social_Post__c.Inbox_Status__c',
      'Social_Post__c.Reply_Due__c',
      'Social_Post__c.Priority__c',
      'Social_Post__c.OwnerId',
      'Social_Post__c.Owner.Name',
      'Social_Post__c.Contact__r.Name',
      'Social_Post__c.Case__r.CaseNumber',
      'Social_Post__c.Persona__r.Suggested_Contact__r.Name',
      'Social_Post__c.Send_Claims__r.Key__c',
      'Social_Post__c.Send_Claims__r.Claimed_By__c',
    ]);
    const printed = print(parse(query));
    expect(printed).to.include('Inbox_Status__c: { in: ["Open", "Assigned"] }');
    expect(printed).to.include(
      'orderBy: { Reply_Due__c: { order: ASC, nulls: LAST }, Posted_At__c: { order: ASC } }',
    );
  });

  it('every field its queries read or filter on exists', () => {
    const problems = [...inboxQueries().values()].flatMap((q) =>
      graphqlFieldRefs(q).flatMap((ref) => unresolved(ref) ?? []),
    );
    expect(problems).to.deep.equal([]);
  });

  it('every @salesforce/schema import names an existing object or field', () => {
    const imports = schemaImports(inboxJs());
    expect(imports).to.include.members(['Social_Reply_Claim__c', 'Social_Post__c', 'User.Name']);
    expect(imports.flatMap((ref) => unresolved(ref) ?? [])).to.deep.equal([]);
  });

  it('every field the inbox mapping reads is queried, and the thread query reads all that toPost does', () => {
    const queries = inboxQueries();
    const lastOf = (names: string[]) =>
      new Set(names.flatMap((n) => graphqlFieldRefs(queries.get(n) ?? '').map((r) => r.split('.').pop())));
    const inboxRead = lastOf(['socialInbox']);
    const mapping = inboxMappingJs();
    const itemReads = valueReads(
      ['toInboxItem', 'linkedRecord', 'suggestionsOf', 'contextOf', 'claimOf', 'ownerName']
        .map((f) => {
          const start = mapping.search(new RegExp(`function ${f}\\(`));
          return start < 0 ? '' : mapping.slice(start, mapping.indexOf('\n}\n', start) + 3);
        })
        .join('\n'),
    );
    expect(itemReads).to.include.members(['Inbox_Status__c', 'Reply_Due__c', 'Claimed_By__c']);
    expect(itemReads.filter((n) => !inboxRead.has(n))).to.deep.equal([]);
    // suggestionsOf reads the suggested contact and lead through a template string: both are queried.
    for (const type of ['Contact', 'Lead'])
      expect(inboxRead.has(`Suggested_${type}__c`), type).to.equal(true);

    const optionsRead = lastOf(['socialInboxOptions', 'socialInboxMemberships', 'socialInboxPostQueues']);
    const optionReads = valueReads(functionSource(mapping, 'mapOptions'));
    expect(optionReads).to.include.members(['GroupId', 'QueueId']);
    expect(optionReads.filter((n) => !optionsRead.has(n))).to.deep.equal([]);

    const threadRead = lastOf(['socialInboxThread']);
    const toPostReads = valueReads(functionSource(sharedJs(), 'toPost'));
    expect(toPostReads.length).to.be.greaterThan(15);
    expect(toPostReads.filter((n) => !threadRead.has(n))).to.deep.equal([]);
  });

  it('writes only fields that exist and that the agent permission set may edit', () => {
    const editable = agentEditable();
    const writes: Record<string, string[]> = {
      // assign, done, reply (a Pending outbound post with the post's record lookups), link
      Social_Post__c: [
        'Inbox_Status__c',
        'Done_Reason__c',
        'Done_At__c',
        'Done_By__c',
        'Is_Outbound__c',
        'Status__c',
        'In_Reply_To__c',
        'Body__c',
        'Network__c',
        'Idempotency_Key__c',
        'Contact__c',
        'Lead__c',
        'Account__c',
        'Case__c',
      ],
      // taking a post
      Social_Reply_Claim__c: ['Key__c', 'Reply__c', 'Claimed_By__c'],
      // linking an author
      Social_Persona__c: ['Contact__c', 'Lead__c', 'Suggested_Contact__c', 'Suggested_Lead__c'],
      // a new person from an author
      Contact: ['Social_Handles__c'],
      Lead: ['Social_Handles__c'],
    };
    const source = inboxJs() + inboxMappingJs() + sharedJs();
    const problems: string[] = [];
    for (const [object, fields] of Object.entries(writes)) {
      for (const name of fields) {
        const f = objects.get(object)?.fields.find((x) => x.name === name);
        if (!f) problems.push(`${object}.${name}: no such field`);
        else if (!f.required && !editable.has(`${object}.${name}`))
          problems.push(`${object}.${name}: not editable`);
        if (!source.includes(name)) problems.push(`${object}.${name}: not written by the inbox (stale list)`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('talks only to Salesforce, and renders <social-inbox> as an lwc:external custom element', () => {
    const source = inboxJs() + inboxMappingJs() + sharedJs();
    expect(source).to.include("from '@salesforce/resourceUrl/socialComponents'");
    expect(source).to.include('loadScript(this, SOCIAL_COMPONENTS)');
    for (const banned of [
      'fetch(',
      'XMLHttpRequest',
      'WebSocket',
      'EventSource',
      'http://',
      'https://',
      '/api/',
    ])
      expect(source, banned).not.to.include(banned);
    const html = read(join(INBOX_DIR, 'socialInbox.html'));
    expect(html).to.match(new RegExp(`<${INBOX_TAG}\\s+lwc:external`));
    for (const property of [
      'items',
      'current-user-id',
      'queues',
      'users',
      'saved-replies',
      'threads',
      'replies',
    ])
      expect(html, property).to.match(new RegExp(`\\s${property}=\\{`));
  });
});

/** True when ui-components registers <social-inbox> in its bundle (ui-components/src/index.ts). */
function componentsRegisterInbox(): boolean {
  const index = join(MANIFESTS_DIR, '..', 'ui-components', 'src', 'index.ts');
  return existsSync(index) && read(index).includes(`'${INBOX_TAG}'`);
}

/**
 * The inbox host's mapping (socialInbox/mapping.js with c/socialShared) as a classic script defining
 * `inboxMapping`, so a browser page maps GraphQL data the way the Lightning host does.
 */
async function inboxMappingScript(): Promise<string> {
  const result = await build({
    stdin: { contents: "export * from './mapping.js';", resolveDir: INBOX_DIR, loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'inboxMapping',
    plugins: [
      {
        name: 'lwc-modules',
        setup(b) {
          b.onResolve({ filter: /^c\// }, (args) => {
            const name = args.path.slice(2);
            return { path: join(LWC_DIR, name, `${name}.js`) };
          });
        },
      },
    ],
  });
  return result.outputFiles[0]?.text ?? '';
}

/** A GraphQL result of the inbox query: two posts in a queue, one linked to a contact, one a stranger's. */
const INBOX_DATA = {
  uiapi: {
    query: {
      Social_Post__c: {
        edges: ['a01000000000001AAA', 'a01000000000002AAA'].map((id, i) => ({
          node: {
            Id: id,
            External_Id__c: { value: `x:${i}` },
            Network__c: { value: 'x' },
            Body__c: { value: i ? 'Where is my order?' : 'Love the new app' },
            Posted_At__c: { value: '2025-01-02T10:00:00.000Z' },
            Author_Handle__c: { value: '@ann_lee' },
            Priority__c: { value: i ? 'Urgent' : 'Normal' },
            Reply_Due__c: { value: '2025-01-02T11:00:00.000Z' },
            Inbox_Status__c: { value: 'Open' },
            OwnerId: { value: '00G000000000001AAA' },
            Owner: { Name: { value: 'Social Support' } },
            Contact__c: { value: i ? null : '003000000000001AAA' },
            Contact__r: i ? null : { Name: { value: 'Ann Lee' } },
            Persona__c: { value: 'a02000000000001AAA' },
            Persona__r: { Handle__c: { value: 'ann_lee' }, Display_Name__c: { value: 'Ann Lee' } },
            Send_Claims__r: { edges: [] },
          },
        })),
        pageInfo: { hasNextPage: false },
      },
    },
  },
};

describe('Lightning host: socialComponents static resource', function () {
  // Builds the components bundle when it is missing or older than its sources.
  this.timeout(180_000);
  let fresh = '';
  before('render the resource from the current components bundle', async () => {
    fresh = await renderStaticResource();
  });

  it('is committed, and equal to a build of the current components (run `npm run build`)', () => {
    expect(readFileSync(RESOURCE_PATH, 'utf8') === fresh, 'socialComponents.js is stale').to.equal(true);
  });

  it('is public, cacheable JavaScript', () => {
    expect(readFileSync(RESOURCE_META_PATH, 'utf8')).to.equal(RESOURCE_META);
    const meta = readXml(RESOURCE_META_PATH).content;
    expect(text(meta, 'contentType')).to.equal('application/javascript');
    expect(text(meta, 'cacheControl')).to.equal('Public');
  });

  it('is a classic script (what loadScript runs), not an ES module', () => {
    expect(() => new Script(fresh, { filename: 'socialComponents.js' })).not.to.throw();
  });

  it('defines the three custom elements, with closed shadow roots, in a browser', async () => {
    const browser = await chromium.launch({
      executablePath: await chromiumExecutable(),
      args: [...CHROMIUM_ARGS],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><html lang="en"><body></body></html>');
      await page.addScriptTag({ content: fresh });
      // Page code as a string: this project's TypeScript has no DOM types.
      const result = (await page.evaluate(`(async () => {
        const out = {};
        for (const tag of ${JSON.stringify(TAGS)}) {
          const el = document.createElement(tag);
          document.body.append(el);
          await el.updateComplete;
          out[tag] = {
            defined: customElements.get(tag) !== undefined,
            openShadowRoot: el.shadowRoot !== null,
            // A closed root shows no DOM, but the component still lays itself out.
            rendered: el.getBoundingClientRect().height > 0,
          };
        }
        return out;
      })()`)) as Record<string, unknown>;
      expect(errors).to.deep.equal([]);
      for (const tag of TAGS) {
        expect(result[tag], tag).to.deep.equal({ defined: true, openShadowRoot: false, rendered: true });
      }
    } finally {
      await browser.close();
    }
  });

  it('mounts <social-inbox> with the inbox as the Lightning host maps it, in a browser', async function () {
    // Until ui-components registers <social-inbox>, only the host's side can be checked: its mapping runs
    // in the browser and gives the items the component's contract expects.
    const registered = componentsRegisterInbox();
    const browser = await chromium.launch({
      executablePath: await chromiumExecutable(),
      args: [...CHROMIUM_ARGS],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><html lang="en"><body></body></html>');
      await page.addScriptTag({ content: fresh });
      await page.addScriptTag({ content: await inboxMappingScript() });
      const result = (await page.evaluate(`(async () => {
        const me = { id: '005000000000000AAA', name: 'Maya Me' };
        const { items, context } = inboxMapping.mapInbox(${JSON.stringify(INBOX_DATA)});
        const { queues, users } = inboxMapping.mapOptions({ items, currentUser: me });
        const out = { items, queues, users, contextIds: Object.keys(context) };
        out.defined = customElements.get('${INBOX_TAG}') !== undefined;
        if (!out.defined) return out;
        const el = document.createElement('${INBOX_TAG}');
        document.body.append(el);
        Object.assign(el, { items, queues, users, currentUserId: me.id, loading: false });
        await el.updateComplete;
        out.openShadowRoot = el.shadowRoot !== null;
        out.rendered = el.getBoundingClientRect().height > 0;
        out.itemsKept = el.items === items;
        return out;
      })()`)) as Record<string, unknown>;
      expect(errors).to.deep.equal([]);
      const items = result['items'] as {
        postId: string;
        priority: string;
        recordType: string | null;
        ownerIsQueue: boolean;
      }[];
      expect(items.map((i) => [i.postId, i.priority, i.recordType, i.ownerIsQueue])).to.deep.equal([
        ['a01000000000001AAA', 'Normal', 'Contact', true],
        ['a01000000000002AAA', 'Urgent', null, true],
      ]);
      expect(result['queues']).to.deep.equal([{ id: '00G000000000001AAA', name: 'Social Support' }]);
      expect(result['users']).to.deep.equal([{ id: '005000000000000AAA', name: 'Maya Me' }]);
      expect(result['contextIds']).to.have.length(2);
      if (!registered) {
        expect(
          result['defined'],
          '<social-inbox> defined though ui-components does not register it',
        ).to.equal(false);
        this.skip();
      }
      expect(result).to.include({ defined: true, openShadowRoot: false, rendered: true, itemsKept: true });
    } finally {
      await browser.close();
    }
  });
});
