/**
 * Name resolution for one SELECT: field paths (`Name`, `Contact__r.Account.Name`, `Owner.Name`) become
 * SQL column expressions over the object's table and LEFT JOINs to its parents.
 */
import type { SQLInputValue } from 'node:sqlite';
import { SalesforceError } from '../errors.ts';
import type { FieldDef, ObjectDef, Schema } from '../schema/model.ts';
import { field as fieldDef } from '../schema/standard-objects.ts';
import { quoteIdent } from '../store/tables.ts';
import { locate, positioned } from './parse.ts';

export interface Env {
  schema: Schema;
  /** The query text as sent, for error positions. */
  soql: string;
  now: Date;
  includeDeleted: boolean;
  apiPath: string;
}

/** One SQL statement's named parameters and table aliases. */
export class Statement {
  readonly params: Record<string, SQLInputValue> = {};
  #nextParam = 0;
  #nextAlias = 0;

  param(value: SQLInputValue): string {
    const name = `p${this.#nextParam++}`;
    this.params[name] = value;
    return `:${name}`;
  }

  alias(): string {
    return `t${this.#nextAlias++}`;
  }
}

export interface Candidate {
  object: ObjectDef;
  alias: string;
}

/** A table reached from the query's object; polymorphic lookups reach several candidate tables. */
export interface Node {
  candidates: Candidate[];
  parents: Map<string, Node>;
}

export interface Resolved {
  field: FieldDef;
  expr: string;
  node: Node;
  /** Parent relationships walked, with their describe casing. */
  chain: { key: string; node: Node }[];
  /** Lower-cased canonical path, e.g. `contact__r.account.name`. */
  canonical: string;
}

const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist']);

/**
 * The fields of Salesforce's `Name` object: what a polymorphic relationship (`Owner` of a Case or custom
 * object, `Who`/`What` of a Task) can reach, whichever object the row points at. A field the pointed-at
 * object lacks is null (a queue's `Owner.Alias`).
 */
const NAME_OBJECT_FIELDS = new Set(
  [
    'Id',
    'Name',
    'Alias',
    'Email',
    'FirstName',
    'LastName',
    'IsActive',
    'Phone',
    'Title',
    'Username',
    'ProfileId',
  ].map((n) => n.toLowerCase()),
);

export function isTextType(field: FieldDef): boolean {
  return TEXT_TYPES.has(field.type) || field.type === 'id' || field.type === 'reference';
}

export function noSuchColumn(name: string, entity: string): string {
  return `No such column '${name}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`;
}

export function badRelationship(name: string): string {
  return `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`;
}

export function queryError(
  env: Env,
  errorCode: string,
  near: string | null,
  message: string,
): SalesforceError {
  const offset = near === null ? null : locate(env.soql, near);
  return new SalesforceError(400, errorCode, positioned(env.soql, offset, message));
}

export function notDeleted(env: Env, object: ObjectDef, alias: string): string | null {
  if (env.includeDeleted) return null;
  const field = env.schema.field(object.name, 'IsDeleted');
  return field?.type === 'boolean' ? `${alias}.${quoteIdent(field.name)} = 0` : null;
}

export class Scope {
  readonly env: Env;
  readonly stmt: Statement;
  readonly object: ObjectDef;
  readonly alias: string;
  readonly root: Node;
  readonly #sObjectAlias: string | undefined;
  readonly #joins: string[] = [];

  constructor(env: Env, stmt: Statement, object: ObjectDef, sObjectAlias?: string) {
    this.env = env;
    this.stmt = stmt;
    this.object = object;
    this.alias = stmt.alias();
    this.#sObjectAlias = sObjectAlias;
    this.root = { candidates: [{ object, alias: this.alias }], parents: new Map() };
  }

  /** `"Object" AS t0 LEFT JOIN ...` — call after every name is resolved. */
  from(): string {
    return [`${quoteIdent(this.object.name)} AS ${this.alias}`, ...this.#joins].join(' ');
  }

  /** Conditions every row of the object must meet (soft deletes). */
  baseConditions(): string[] {
    const condition = notDeleted(this.env, this.object, this.alias);
    return condition === null ? [] : [condition];
  }

  idExpr(node: Node): string {
    return this.#column(node.candidates, 'Id', 'id');
  }

  /** The sObject type of the row a node reached: a constant, or a CASE for polymorphic lookups. */
  typeExpr(node: Node): { type: string } | { expr: string } {
    const [first, ...rest] = node.candidates;
    if (first && rest.length === 0) return { type: first.object.name };
    const whens = node.candidates.map(
      (c) => `WHEN ${c.alias}."Id" IS NOT NULL THEN '${c.object.name.replaceAll("'", "''")}'`,
    );
    return { expr: `CASE ${whens.join(' ')} END` };
  }

  #column(candidates: Candidate[], name: string, type: string): string {
    const columns = candidates.map((c) => `${c.alias}.${quoteIdent(name)}`);
    if (columns.length === 1) return columns[0] ?? '';
    const collate = TEXT_TYPES.has(type) ? ' COLLATE NOCASE' : '';
    return `COALESCE(${columns.join(', ')})${collate}`;
  }

  #parent(node: Node, relationship: string, path: string): Node {
    const existing = node.parents.get(relationship.toLowerCase());
    if (existing) return existing;
    const [from, ...others] = node.candidates;
    const ref =
      from && others.length === 0
        ? this.env.schema.parentRelationship(from.object.name, relationship)
        : undefined;
    const targets = (ref?.referenceTo ?? [])
      .map((name) => this.env.schema.object(name))
      .filter((o): o is ObjectDef => o !== undefined);
    if (!from || !ref || targets.length === 0) {
      throw queryError(this.env, 'INVALID_FIELD', path, badRelationship(relationship));
    }
    const candidates = targets.map((object) => {
      const alias = this.stmt.alias();
      const on = [`${alias}."Id" = ${from.alias}.${quoteIdent(ref.name)}`];
      const deleted = notDeleted(this.env, object, alias);
      if (deleted !== null) on.push(deleted);
      this.#joins.push(`LEFT JOIN ${quoteIdent(object.name)} AS ${alias} ON ${on.join(' AND ')}`);
      return { object, alias };
    });
    const parent: Node = { candidates, parents: new Map() };
    node.parents.set(relationship.toLowerCase(), parent);
    return parent;
  }

  #relationshipKey(node: Node, relationship: string): string {
    const [from] = node.candidates;
    return (
      (from && this.env.schema.parentRelationship(from.object.name, relationship)?.relationshipName) ??
      relationship
    );
  }

  /** Resolves a field path; throws INVALID_FIELD as Salesforce does for unknown fields and relationships. */
  resolve(path: string): Resolved {
    const parts = path.split('.');
    if (parts.length > 1) {
      const first = (parts[0] ?? '').toLowerCase();
      const isAlias = this.#sObjectAlias !== undefined && first === this.#sObjectAlias.toLowerCase();
      const isObjectName =
        first === this.object.name.toLowerCase() &&
        !this.env.schema.parentRelationship(this.object.name, parts[0] ?? '');
      if (isAlias || isObjectName) parts.shift();
    }
    const name = parts.pop() ?? '';
    let node = this.root;
    const chain: Resolved['chain'] = [];
    for (const relationship of parts) {
      const key = this.#relationshipKey(node, relationship);
      node = this.#parent(node, relationship, path);
      chain.push({ key, node });
    }
    const polymorphic = node.candidates.length > 1;
    const prefix = chain.map((c) => c.key);
    if (polymorphic && name.toLowerCase() === 'type') {
      const field = this.#nameType(node);
      return {
        field,
        expr: this.#typeColumn(node),
        node,
        chain,
        canonical: [...prefix, 'Type'].join('.').toLowerCase(),
      };
    }
    const having = node.candidates.filter((c) => this.env.schema.field(c.object.name, name) !== undefined);
    const field = having[0] && this.env.schema.field(having[0].object.name, name);
    if (!field || (polymorphic && !NAME_OBJECT_FIELDS.has(name.toLowerCase()))) {
      const entity = polymorphic ? 'Name' : (node.candidates[0]?.object.name ?? '');
      throw queryError(this.env, 'INVALID_FIELD', path, noSuchColumn(name, entity));
    }
    const canonical = [...prefix, field.name].join('.').toLowerCase();
    return { field, expr: this.#column(having, field.name, field.type), node, chain, canonical };
  }

  /** `Owner.Type`: `Queue` for a queue, else the object's name (`User`, `Contact`, …). */
  #typeColumn(node: Node): string {
    const whens = node.candidates.map((c) => {
      const value =
        c.object.name === 'Group' ? `${c.alias}."Type"` : `'${c.object.name.replaceAll("'", "''")}'`;
      return `WHEN ${c.alias}."Id" IS NOT NULL THEN ${value}`;
    });
    return `(CASE ${whens.join(' ')} END) COLLATE NOCASE`;
  }

  #nameType(node: Node): FieldDef {
    const values = node.candidates.map((c) => (c.object.name === 'Group' ? 'Queue' : c.object.name));
    return fieldDef({
      name: 'Type',
      label: 'Type',
      type: 'picklist',
      length: 40,
      picklistValues: values,
      restrictedPicklist: true,
      createable: false,
      updateable: false,
    });
  }
}
