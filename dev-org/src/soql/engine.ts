/**
 * The SOQL query engine: parses with @jetstreamapp/soql-parser-js, compiles each SELECT to one
 * parameterized SQLite statement (LEFT JOINs for parent relationships, subqueries for semi-joins, one
 * extra windowed statement per child subquery), and shapes rows as Salesforce REST returns them.
 */
import type {
  FieldFunctionExpression,
  FunctionExp,
  GroupByClause,
  OrderByClause,
  Query,
  FieldType as SelectField,
  Subquery,
} from '@jetstreamapp/soql-parser-js';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { SalesforceError } from '../errors.ts';
import type { FieldDef, ObjectDef, Schema } from '../schema/model.ts';
import { toApiValue } from '../store/values.ts';
import { compileBool, comparisonSql, semiJoinSql } from './filter.ts';
import type { Operand } from './filter.ts';
import { locate, parseSoql, positioned } from './parse.ts';
import { badRelationship, queryError, Scope, Statement } from './scope.ts';
import type { Env, Node, Resolved } from './scope.ts';
import { conditionTree } from './where.ts';
import type { Atom } from './where.ts';

export interface ApiRecord {
  /** `url` is absent on AggregateResult rows, as in Salesforce. */
  attributes: { type: string; url?: string };
  [field: string]: unknown;
}

export interface QueryResult {
  totalSize: number;
  done: true;
  records: ApiRecord[];
}

export interface QueryOptions {
  /** e.g. `/services/data/v62.0`; record urls are `${apiPath}/sobjects/${type}/${Id}`. */
  apiPath: string;
  /** "Now" for date literals (TODAY, LAST_N_DAYS:n, ...); defaults to the current time. */
  now?: Date;
  /** queryAll: include soft-deleted rows (IsDeleted = 1). */
  includeDeleted?: boolean;
}

type Row = Record<string, SQLInputValue>;

interface ValueEntry {
  kind: 'value';
  key: string;
  col: string;
  field: FieldDef;
}
interface ParentEntry {
  kind: 'parent';
  key: string;
  shape: RecordShape;
}
interface ChildEntry {
  kind: 'child';
  key: string;
  plan: SelectPlan;
}
type Entry = ValueEntry | ParentEntry | ChildEntry;

interface RecordShape {
  type: string | null;
  typeCol: string | null;
  /**
   * A polymorphic parent (`Owner` of a Case, `Who` of a Task) is a `Name` record, as Salesforce answers it:
   * `attributes.type` is `Name`, its url names the object the row points at.
   */
  polymorphic: boolean;
  idCol: string;
  entries: Map<string, Entry>;
}

interface SelectPlan {
  sql: string;
  params: Record<string, SQLInputValue>;
  shape: RecordShape;
  /** Child subqueries: the column holding the parent Id each row belongs to. */
  fkCol: string | null;
}

const MAX_OFFSET = 2000;

function invalidType(env: Env, name: string): SalesforceError {
  const from = locate(env.soql, 'FROM') ?? 0;
  return new SalesforceError(
    400,
    'INVALID_TYPE',
    positioned(
      env.soql,
      locate(env.soql, name, from),
      `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    ),
  );
}

function unsupported(env: Env, near: string, what: string): SalesforceError {
  return queryError(env, 'MALFORMED_QUERY', near, `${what} is not supported by the dev org`);
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function fieldPath(field: SelectField): string | null {
  if (field.type === 'Field') return field.field;
  if (field.type === 'FieldRelationship') return [...field.relationships, field.field].join('.');
  return null;
}

/** Column aliases for one statement's SELECT list, shared by identical expressions. */
class Columns {
  readonly #byExpr = new Map<string, string>();

  col(expr: string): string {
    let name = this.#byExpr.get(expr);
    if (name === undefined) {
      name = `c${this.#byExpr.size}`;
      this.#byExpr.set(expr, name);
    }
    return name;
  }

  sql(): string {
    return [...this.#byExpr].map(([expr, name]) => `${expr} AS ${name}`).join(', ');
  }
}

function checkOffset(env: Env, query: Query | Subquery): void {
  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw new SalesforceError(
      400,
      'NUMBER_OUTSIDE_VALID_RANGE',
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  }
  if (query.limit !== undefined && query.limit < 0) {
    throw queryError(env, 'MALFORMED_QUERY', 'LIMIT', `unexpected token: '-'`);
  }
}

function limitSql(query: Query | Subquery): string {
  if (query.limit === undefined && query.offset === undefined) return '';
  return ` LIMIT ${query.limit ?? -1}${query.offset ? ` OFFSET ${query.offset}` : ''}`;
}

/** WHERE → SQL conditions (without soft-delete filters). */
function whereConditions(scope: Scope, query: Query | Subquery): string[] {
  if (!query.where) return [];
  const env = scope.env;
  const tree = conditionTree(query.where, (token) =>
    queryError(env, 'MALFORMED_QUERY', token === '<EOF>' ? null : token, `unexpected token: '${token}'`),
  );
  return [`(${compileBool(tree, (atom) => atomSql(scope, atom))})`];
}

function atomSql(scope: Scope, atom: Atom): string {
  const env = scope.env;
  if ('fn' in atom) {
    throw unsupported(env, atom.fn.functionName ?? '(', `function ${atom.fn.functionName ?? ''}() in WHERE`);
  }
  const resolved = scope.resolve(atom.field);
  if (!resolved.field.filterable) {
    throw queryError(
      env,
      'INVALID_FIELD',
      atom.field,
      `field '${resolved.field.name}' can not be filtered in a query call`,
    );
  }
  if ('valueQuery' in atom && atom.valueQuery) return semiJoinSql(scope, resolved, atom, whereConditions);
  if (!('value' in atom))
    throw queryError(env, 'MALFORMED_QUERY', atom.field, `unexpected token: '${atom.field}'`);
  const operand: Operand = { expr: resolved.expr, field: resolved.field, name: atom.field };
  return comparisonSql(scope, operand, atom.operator, atom.value, atom.literalType);
}

function orderDirection(clause: OrderByClause): string {
  const order = clause.order ?? 'ASC';
  const nulls = clause.nulls ?? (order === 'ASC' ? 'FIRST' : 'LAST');
  return `${order} NULLS ${nulls}`;
}

function checkSortable(env: Env, resolved: Resolved, name: string): void {
  if (!resolved.field.sortable) {
    throw queryError(
      env,
      'INVALID_FIELD',
      name,
      `field '${resolved.field.name}' can not be sorted in a query call`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Plain (non-aggregate) SELECTs

interface ChildSpec {
  fkField: FieldDef;
}

function compileSelect(
  env: Env,
  object: ObjectDef,
  query: Query | Subquery,
  sObjectAlias: string | undefined,
  child: ChildSpec | null,
): SelectPlan {
  checkOffset(env, query);
  const stmt = new Statement();
  const scope = new Scope(env, stmt, object, sObjectAlias);
  const columns = new Columns();
  const shape: RecordShape = {
    type: object.name,
    typeCol: null,
    polymorphic: false,
    idCol: columns.col(scope.idExpr(scope.root)),
    entries: new Map(),
  };

  const addPath = (path: string, explicit: boolean): void => {
    const resolved = scope.resolve(path);
    let target = shape;
    for (const { key, node } of resolved.chain) {
      let entry = target.entries.get(key.toLowerCase());
      if (entry?.kind !== 'parent') {
        entry = { kind: 'parent', key, shape: parentShape(scope, columns, node) };
        target.entries.set(key.toLowerCase(), entry);
      }
      target = entry.shape;
    }
    const lower = resolved.field.name.toLowerCase();
    if (target.entries.has(lower)) {
      if (explicit) throw queryError(env, 'MALFORMED_QUERY', path, `duplicate field selected: ${path}`);
      return;
    }
    target.entries.set(lower, {
      kind: 'value',
      key: resolved.field.name,
      col: columns.col(resolved.expr),
      field: resolved.field,
    });
  };

  for (const field of query.fields ?? []) {
    switch (field.type) {
      case 'Field':
      case 'FieldRelationship': {
        if ('alias' in field && field.alias) {
          throw queryError(env, 'MALFORMED_QUERY', field.alias, `unexpected token: '${field.alias}'`);
        }
        addPath(fieldPath(field) ?? '', true);
        break;
      }
      case 'FieldFunctionExpression': {
        if (field.functionName.toUpperCase() !== 'FIELDS') {
          throw unsupported(env, field.functionName, `${field.functionName}() in a non-aggregate query`);
        }
        for (const name of fieldsFunction(env, object, query, field)) addPath(name, false);
        break;
      }
      case 'FieldSubquery': {
        const sub = field.subquery;
        const relationship = env.schema.childRelationship(object.name, sub.relationshipName);
        const childObject = relationship && env.schema.object(relationship.childSObject);
        const fkField = relationship && env.schema.field(relationship.childSObject, relationship.field);
        if (!relationship || !childObject || !fkField) {
          throw queryError(
            env,
            'INVALID_TYPE',
            sub.relationshipName,
            badRelationship(sub.relationshipName).replace('in field path', 'in FROM part of query call'),
          );
        }
        const key = relationship.relationshipName ?? sub.relationshipName;
        if (shape.entries.has(key.toLowerCase())) {
          throw queryError(env, 'MALFORMED_QUERY', sub.relationshipName, `duplicate field selected: ${key}`);
        }
        const plan = compileSelect(env, childObject, sub, undefined, { fkField });
        shape.entries.set(key.toLowerCase(), { kind: 'child', key, plan });
        break;
      }
      default:
        throw unsupported(env, 'TYPEOF', 'TYPEOF');
    }
  }

  const conditions = [...scope.baseConditions(), ...whereConditions(scope, query)];
  const order: string[] = [];
  for (const clause of asArray(query.orderBy)) {
    if ('fn' in clause) throw unsupported(env, clause.fn.functionName ?? 'ORDER', 'ORDER BY a function');
    const resolved = scope.resolve(clause.field);
    checkSortable(env, resolved, clause.field);
    order.push(`${resolved.expr} ${orderDirection(clause)}`);
  }
  order.push(`${scope.alias}.rowid`);

  if (!child) {
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const sql = `SELECT ${columns.sql()} FROM ${scope.from()}${where} ORDER BY ${order.join(', ')}${limitSql(query)}`;
    return { sql, params: stmt.params, shape, fkCol: null };
  }

  const fk = `${scope.alias}."${child.fkField.name.replaceAll('"', '""')}"`;
  const fkCol = columns.col(fk);
  conditions.unshift(`${fk} IN (SELECT value FROM json_each(:parents))`);
  const rowNumber = `ROW_NUMBER() OVER (PARTITION BY ${fk} ORDER BY ${order.join(', ')})`;
  const inner = `SELECT ${columns.sql()}, ${rowNumber} AS rn FROM ${scope.from()} WHERE ${conditions.join(' AND ')}`;
  const bounds: string[] = [];
  if (query.offset) bounds.push(`rn > ${query.offset}`);
  if (query.limit !== undefined) bounds.push(`rn <= ${(query.offset ?? 0) + query.limit}`);
  const sql = `SELECT * FROM (${inner})${bounds.length > 0 ? ` WHERE ${bounds.join(' AND ')}` : ''} ORDER BY rn`;
  return { sql, params: stmt.params, shape, fkCol };
}

function parentShape(scope: Scope, columns: Columns, node: Node): RecordShape {
  const type = scope.typeExpr(node);
  return {
    type: 'type' in type ? type.type : null,
    typeCol: 'expr' in type ? columns.col(type.expr) : null,
    polymorphic: 'expr' in type,
    idCol: columns.col(scope.idExpr(node)),
    entries: new Map(),
  };
}

/** FIELDS(ALL | STANDARD | CUSTOM) → field names; ALL and CUSTOM need LIMIT ≤ 200, as in Salesforce. */
function fieldsFunction(
  env: Env,
  object: ObjectDef,
  query: Query | Subquery,
  fn: FieldFunctionExpression,
): string[] {
  const which = String(fn.parameters[0] ?? '').toUpperCase();
  if (which !== 'ALL' && which !== 'STANDARD' && which !== 'CUSTOM') {
    throw queryError(env, 'MALFORMED_QUERY', 'FIELDS', `unexpected token: '${which}'`);
  }
  if (which !== 'STANDARD' && (query.limit === undefined || query.limit > 200)) {
    throw queryError(
      env,
      'MALFORMED_QUERY',
      'FIELDS',
      'The SOQL FIELDS function must have a LIMIT of at most 200',
    );
  }
  return object.fields.filter((f) => which === 'ALL' || (which === 'CUSTOM') === f.custom).map((f) => f.name);
}

// ---------------------------------------------------------------------------------------------------
// Aggregate SELECTs

type AggregateKind = 'int' | 'number' | 'field';

interface AggregateOut {
  key: string;
  col: string;
  kind: AggregateKind;
  field: FieldDef;
}

const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);
const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

function numberField(name: string): FieldDef {
  return {
    name,
    label: name,
    type: 'double',
    length: 0,
    precision: 18,
    scale: 0,
    nillable: true,
    unique: false,
    externalId: false,
    caseSensitive: false,
    createable: false,
    updateable: false,
    filterable: true,
    sortable: true,
    custom: false,
    nameField: false,
    autoNumber: false,
    calculated: true,
    defaultValue: null,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
  };
}

function aggregateSql(
  scope: Scope,
  fn: FunctionExp | FieldFunctionExpression,
): { expr: string; kind: AggregateKind; field: FieldDef } {
  const env = scope.env;
  const name = (fn.functionName ?? '').toUpperCase();
  const raw = fn.rawValue ?? name;
  if (!AGGREGATES.has(name)) throw unsupported(env, fn.functionName ?? raw, `${fn.functionName ?? raw}()`);
  const params = fn.parameters ?? [];
  const [param] = params;
  if (param === undefined) {
    if (name !== 'COUNT') throw queryError(env, 'MALFORMED_QUERY', raw, `unexpected token: ')'`);
    return { expr: 'COUNT(*)', kind: 'int', field: numberField(raw) };
  }
  if (typeof param !== 'string' || params.length > 1)
    throw unsupported(env, raw, `nested functions in ${name}()`);
  const resolved = scope.resolve(param);
  const field = resolved.field;
  switch (name) {
    case 'COUNT':
      return { expr: `COUNT(${resolved.expr})`, kind: 'int', field: numberField(raw) };
    case 'COUNT_DISTINCT':
      return { expr: `COUNT(DISTINCT ${resolved.expr})`, kind: 'int', field: numberField(raw) };
    case 'SUM':
    case 'AVG':
      if (!NUMBER_TYPES.has(field.type)) {
        throw queryError(
          env,
          'INVALID_FIELD',
          raw,
          `field ${field.name} does not support aggregate operator ${name}`,
        );
      }
      return { expr: `${name}(${resolved.expr})`, kind: 'number', field: numberField(raw) };
    default:
      if (field.type === 'boolean' || field.type === 'multipicklist' || !field.sortable) {
        throw queryError(
          env,
          'INVALID_FIELD',
          raw,
          `field ${field.name} does not support aggregate operator ${name}`,
        );
      }
      return { expr: `${name}(${resolved.expr})`, kind: 'field', field };
  }
}

function isGroupable(field: FieldDef): boolean {
  const ungroupable = ['datetime', 'time', 'double', 'currency', 'percent', 'multipicklist'];
  return field.filterable && field.sortable && !ungroupable.includes(field.type);
}

interface AggregatePlan {
  sql: string;
  params: Record<string, SQLInputValue>;
  outputs: AggregateOut[];
}

function compileAggregate(env: Env, object: ObjectDef, query: Query): AggregatePlan {
  checkOffset(env, query);
  const stmt = new Statement();
  const scope = new Scope(env, stmt, object, query.sObjectAlias);
  const columns = new Columns();
  const groups = new Map<string, string>();
  for (const clause of asArray<GroupByClause>(query.groupBy)) {
    if ('fn' in clause) throw unsupported(env, clause.fn.functionName ?? 'GROUP', 'GROUP BY a function');
    const resolved = scope.resolve(clause.field);
    if (!isGroupable(resolved.field)) {
      throw queryError(
        env,
        'INVALID_FIELD',
        clause.field,
        `field '${resolved.field.name}' can not be grouped in a query call`,
      );
    }
    groups.set(resolved.canonical, resolved.expr);
  }
  const grouped = (path: string): Resolved => {
    const resolved = scope.resolve(path);
    if (!groups.has(resolved.canonical)) {
      throw queryError(env, 'MALFORMED_QUERY', path, `Field must be grouped or aggregated: ${path}`);
    }
    return resolved;
  };

  const outputs: AggregateOut[] = [];
  const keys = new Set<string>();
  let exprIndex = 0;
  const addOutput = (out: AggregateOut, near: string): void => {
    if (keys.has(out.key.toLowerCase())) {
      throw queryError(env, 'MALFORMED_QUERY', near, `duplicate alias: ${out.key}`);
    }
    keys.add(out.key.toLowerCase());
    outputs.push(out);
  };
  for (const field of query.fields ?? []) {
    const path = fieldPath(field);
    if (path !== null) {
      const resolved = grouped(path);
      const key = 'alias' in field && field.alias ? field.alias : resolved.field.name;
      addOutput({ key, col: columns.col(resolved.expr), kind: 'field', field: resolved.field }, path);
    } else if (field.type === 'FieldFunctionExpression') {
      const aggregate = aggregateSql(scope, field);
      const key = field.alias ?? `expr${exprIndex++}`;
      addOutput({ key, col: columns.col(aggregate.expr), kind: aggregate.kind, field: aggregate.field }, key);
    } else {
      throw unsupported(env, 'SELECT', 'a subquery in an aggregate query');
    }
  }

  const conditions = [...scope.baseConditions(), ...whereConditions(scope, query)];
  let having = '';
  if (query.having) {
    const tree = conditionTree(query.having, (token) =>
      queryError(env, 'MALFORMED_QUERY', token === '<EOF>' ? null : token, `unexpected token: '${token}'`),
    );
    having = ` HAVING (${compileBool(tree, (atom) => {
      if ('valueQuery' in atom) throw unsupported(env, 'HAVING', 'a subquery in HAVING');
      let operand: Operand;
      if ('fn' in atom) {
        const aggregate = aggregateSql(scope, atom.fn);
        operand = { expr: aggregate.expr, field: aggregate.field, name: atom.fn.rawValue ?? '' };
      } else {
        const resolved = grouped(atom.field);
        operand = { expr: resolved.expr, field: resolved.field, name: atom.field };
      }
      return comparisonSql(scope, operand, atom.operator, atom.value, atom.literalType);
    })})`;
  }

  const order = asArray(query.orderBy).map((clause) => {
    if ('fn' in clause) return `${aggregateSql(scope, clause.fn).expr} ${orderDirection(clause)}`;
    const resolved = grouped(clause.field);
    checkSortable(env, resolved, clause.field);
    return `${resolved.expr} ${orderDirection(clause)}`;
  });

  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const groupBy = groups.size > 0 ? ` GROUP BY ${[...groups.values()].join(', ')}` : '';
  const orderBy = order.length > 0 ? ` ORDER BY ${order.join(', ')}` : '';
  const sql = `SELECT ${columns.sql() || '1'} FROM ${scope.from()}${where}${groupBy}${having}${orderBy}${limitSql(query)}`;
  return { sql, params: stmt.params, outputs };
}

function aggregateValue(out: AggregateOut, value: SQLInputValue | undefined): unknown {
  if (value === null || value === undefined) return out.kind === 'field' ? toApiValue(out.field, null) : null;
  if (out.kind === 'int') return Number(value);
  if (out.kind === 'number') return Number(value);
  return toApiValue(out.field, value);
}

// ---------------------------------------------------------------------------------------------------
// SELECT COUNT()

function compileCount(
  env: Env,
  object: ObjectDef,
  query: Query,
): { sql: string; params: Record<string, SQLInputValue> } {
  checkOffset(env, query);
  const stmt = new Statement();
  const scope = new Scope(env, stmt, object, query.sObjectAlias);
  const conditions = [...scope.baseConditions(), ...whereConditions(scope, query)];
  const groups = asArray<GroupByClause>(query.groupBy).map((clause) => {
    if ('fn' in clause) throw unsupported(env, clause.fn.functionName ?? 'GROUP', 'GROUP BY a function');
    return scope.resolve(clause.field).expr;
  });
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const groupBy = groups.length > 0 ? ` GROUP BY ${groups.join(', ')}` : '';
  const inner = `SELECT 1 FROM ${scope.from()}${where}${groupBy}${limitSql(query)}`;
  return { sql: `SELECT COUNT(*) AS n FROM (${inner})`, params: stmt.params };
}

// ---------------------------------------------------------------------------------------------------
// Execution and record shaping

function runPlan(db: DatabaseSync, env: Env, plan: SelectPlan, rows: Row[]): ApiRecord[] {
  const childResults = new Map<ChildEntry, Map<string, ApiRecord[]>>();
  const ids = rows.map((row) => row[plan.shape.idCol]).filter((id): id is string => typeof id === 'string');
  for (const entry of plan.shape.entries.values()) {
    if (entry.kind !== 'child') continue;
    const byParent = new Map<string, ApiRecord[]>();
    childResults.set(entry, byParent);
    if (ids.length === 0 || entry.plan.fkCol === null) continue;
    const fkCol = entry.plan.fkCol;
    const childRows = db
      .prepare(entry.plan.sql)
      .all({ ...entry.plan.params, parents: JSON.stringify(ids) }) as Row[];
    const records = runPlan(db, env, entry.plan, childRows);
    childRows.forEach((row, i) => {
      const parentId = String(row[fkCol]);
      const record = records[i];
      if (!record) return;
      const list = byParent.get(parentId);
      if (list) list.push(record);
      else byParent.set(parentId, [record]);
    });
  }
  return rows.map((row) => shapeRecord(env, plan.shape, row, childResults) ?? { attributes: { type: '' } });
}

function shapeRecord(
  env: Env,
  shape: RecordShape,
  row: Row,
  children: Map<ChildEntry, Map<string, ApiRecord[]>>,
): ApiRecord | null {
  const id = row[shape.idCol];
  if (id === null || id === undefined) return null;
  const type = shape.typeCol === null ? (shape.type ?? '') : String(row[shape.typeCol]);
  const record: ApiRecord = {
    attributes: {
      type: shape.polymorphic ? 'Name' : type,
      url: `${env.apiPath}/sobjects/${type}/${String(id)}`,
    },
  };
  for (const entry of shape.entries.values()) {
    if (entry.kind === 'value') {
      record[entry.key] = toApiValue(entry.field, row[entry.col]);
    } else if (entry.kind === 'parent') {
      record[entry.key] = shapeRecord(env, entry.shape, row, children);
    } else {
      const records = children.get(entry)?.get(String(id));
      record[entry.key] =
        records && records.length > 0 ? { totalSize: records.length, done: true, records } : null;
    }
  }
  return record;
}

function isCountQuery(query: Query): boolean {
  return (query.fields ?? []).some(
    (f) =>
      f.type === 'FieldFunctionExpression' &&
      f.functionName.toUpperCase() === 'COUNT' &&
      f.parameters.length === 0,
  );
}

function isAggregateQuery(query: Query): boolean {
  if (asArray(query.groupBy).length > 0) return true;
  return (query.fields ?? []).some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn === true);
}

/** Runs a SOQL query against the dev org's tables. Throws SalesforceError(400, ...) as Salesforce does. */
export function executeQuery(
  db: DatabaseSync,
  schema: Schema,
  soql: string,
  options: QueryOptions,
): QueryResult {
  const query = parseSoql(soql);
  const env: Env = {
    schema,
    soql,
    now: options.now ?? new Date(),
    includeDeleted: options.includeDeleted ?? false,
    apiPath: options.apiPath,
  };
  const objectName = query.sObject ?? '';
  const object = schema.object(objectName);
  if (!object) throw invalidType(env, objectName);

  if (isCountQuery(query)) {
    if ((query.fields ?? []).length !== 1) {
      throw queryError(env, 'MALFORMED_QUERY', 'COUNT', 'COUNT() cannot be combined with other fields');
    }
    const plan = compileCount(env, object, query);
    const row = db.prepare(plan.sql).get(plan.params) as { n: number } | undefined;
    return { totalSize: Number(row?.n ?? 0), done: true, records: [] };
  }

  if (isAggregateQuery(query)) {
    const plan = compileAggregate(env, object, query);
    const rows = db.prepare(plan.sql).all(plan.params) as Row[];
    const records = rows.map((row) => {
      const record: ApiRecord = { attributes: { type: 'AggregateResult' } };
      for (const out of plan.outputs) record[out.key] = aggregateValue(out, row[out.col]);
      return record;
    });
    return { totalSize: records.length, done: true, records };
  }

  const plan = compileSelect(env, object, query, query.sObjectAlias, null);
  const rows = db.prepare(plan.sql).all(plan.params) as Row[];
  const records = runPlan(db, env, plan, rows);
  return { totalSize: records.length, done: true, records };
}
