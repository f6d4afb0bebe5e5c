// The Lightning host: the socialPanel Lightning web component and the socialComponents static resource it
// loads. What a deploy would not catch until someone opens a record page: the component is offered on the
// four record pages, every field it reads or writes exists, and the static resource is the current
// components bundle in a form loadScript can run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { expect } from 'chai';
import { Kind, parse } from 'graphql';
import type { ASTNode, FragmentDefinitionNode, ObjectValueNode, SelectionSetNode } from 'graphql';
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
import { DEFAULT_DIR, elements, readXml, text, texts } from './helpers.ts';

const TAGS = ['social-timeline', 'social-persona-card', 'social-respond-box'];
const PANEL_DIR = join(DEFAULT_DIR, 'lwc', 'socialPanel');
const panelJs = (): string => readFileSync(join(PANEL_DIR, 'socialPanel.js'), 'utf8');
const mappingJs = (): string => readFileSync(join(PANEL_DIR, 'mapping.js'), 'utf8');

/** Standard fields the panel may name, by object (`*`: every object); a value is a relationship's target. */
const STANDARD_FIELDS: Record<string, Record<string, string | null>> = {
  '*': { Id: null, Name: null, CreatedDate: null },
  Contact: { FirstName: null },
  Lead: { FirstName: null },
  Case: { CaseNumber: null, Contact: 'Contact' },
  Account: {},
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
const GRAPHQL_OPERATORS = new Set(['or', 'and', 'not', 'eq', 'ne', 'in', 'nin', 'order', 'nulls']);

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

/** The gql`…` query of socialPanel.js. */
function panelQuery(): string {
  const match = /gql`([^`]*)`/.exec(panelJs());
  if (!match?.[1]) throw new Error('socialPanel.js has no gql`…` query');
  return match[1];
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
        if (name.endsWith('__r')) walk(selection.selectionSet, `${path}.${name}`);
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
});
