/**
 * WHERE/HAVING conditions → SQL. SOQL logic is two-valued: a comparison with a null field is false,
 * `!=` and `NOT IN` match nulls, and NOT of a false comparison is true.
 */
import type { LiteralType, Query, ValueQueryCondition } from '@jetstreamapp/soql-parser-js';
import type { SQLInputValue } from 'node:sqlite';
import type { FieldDef } from '../schema/model.ts';
import { isSalesforceId, parseDateTime, to18 } from '../store/values.ts';
import { dateLiteralRange } from './dates.ts';
import type { DateRange } from './dates.ts';
import { HOURS_MARKER } from './parse.ts';
import { isTextType, queryError, Scope } from './scope.ts';
import type { Env, Resolved } from './scope.ts';
import type { Atom, BoolExpr } from './where.ts';

type Literal =
  { kind: 'null' } | { kind: 'value'; value: SQLInputValue } | { kind: 'range'; range: DateRange };

/** What a condition compares: a column (or aggregate) expression typed like a field. */
export interface Operand {
  expr: string;
  field: FieldDef;
  /** The name as written, for error positions and messages. */
  name: string;
}

export function compileBool(expr: BoolExpr, atom: (a: Atom) => string): string {
  switch (expr.kind) {
    case 'atom':
      return atom(expr.atom);
    case 'not':
      return `NOT IFNULL((${compileBool(expr.expr, atom)}), 0)`;
    default:
      return expr.items
        .map((item) => `(${compileBool(item, atom)})`)
        .join(expr.kind === 'and' ? ' AND ' : ' OR ');
  }
}

/** SOQL string literal (with quotes) → its value; for LIKE, `\%` and `\_` stay escaped for `ESCAPE '\'`. */
export function unescapeString(raw: string, forLike: boolean): string {
  const body = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body.charAt(++i);
    switch (next) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u':
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      case '%':
      case '_':
      case '\\':
        out += forLike ? `\\${next}` : next;
        break;
      default:
        out += next;
    }
  }
  return out;
}

function apiTypeName(field: FieldDef): string {
  switch (field.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'int';
    case 'double':
    case 'currency':
    case 'percent':
      return 'double';
    case 'date':
      return 'date';
    case 'datetime':
      return 'dateTime';
    case 'time':
      return 'time';
    default:
      return 'string';
  }
}

function typeMismatch(env: Env, operand: Operand): Error {
  const quoted = isTextType(operand.field)
    ? 'should be enclosed in quotes'
    : 'should not be enclosed in quotes';
  return queryError(
    env,
    'INVALID_FIELD',
    operand.name,
    `value of filter criterion for field '${operand.field.name}' must be of type ${apiTypeName(operand.field)} and ${quoted}`,
  );
}

function toLiteral(
  env: Env,
  operand: Operand,
  type: LiteralType | undefined,
  raw: string,
  operator: string,
): Literal {
  const field = operand.field;
  if (type === 'NULL') return { kind: 'null' };
  if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') {
    if (field.type !== 'date' && field.type !== 'datetime') throw typeMismatch(env, operand);
    const [name = '', n] = raw.split(':');
    const literal = HOURS_MARKER[name] ?? name;
    const range = dateLiteralRange(literal, n === undefined ? undefined : Number(n), env.now);
    if (!range) throw queryError(env, 'MALFORMED_QUERY', name, `unexpected token: '${literal}'`);
    return { kind: 'range', range };
  }
  if (isTextType(field)) {
    if (type !== 'STRING') throw typeMismatch(env, operand);
    const value = unescapeString(raw, operator === 'LIKE');
    if (value === '') return { kind: 'null' };
    if ((field.type === 'id' || field.type === 'reference') && operator !== 'LIKE') {
      if (!isSalesforceId(value)) {
        throw queryError(env, 'INVALID_QUERY_FILTER_OPERATOR', operand.name, `invalid ID field: ${value}`);
      }
      return { kind: 'value', value: to18(value) };
    }
    return { kind: 'value', value };
  }
  switch (field.type) {
    case 'boolean':
      if (type !== 'BOOLEAN') throw typeMismatch(env, operand);
      return { kind: 'value', value: raw.toUpperCase() === 'TRUE' ? 1 : 0 };
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      if (type !== 'INTEGER' && type !== 'DECIMAL' && !type?.endsWith('_WITH_CURRENCY_PREFIX')) {
        throw typeMismatch(env, operand);
      }
      return { kind: 'value', value: Number(raw.replace(/^[A-Za-z]+/, '')) };
    }
    case 'date':
      if (type !== 'DATE') throw typeMismatch(env, operand);
      return { kind: 'value', value: raw };
    case 'datetime': {
      const millis = type === 'DATETIME' ? parseDateTime(raw) : null;
      if (millis === null) throw typeMismatch(env, operand);
      return { kind: 'value', value: new Date(millis).toISOString() };
    }
    default:
      throw typeMismatch(env, operand);
  }
}

function rangeSql(scope: Scope, operand: Operand, operator: string, range: DateRange): string {
  const bound = (ms: number): string => {
    const iso = new Date(ms).toISOString();
    return scope.stmt.param(operand.field.type === 'date' ? iso.slice(0, 10) : iso);
  };
  const { expr } = operand;
  switch (operator) {
    case '=':
    case 'IN':
      return `(${expr} >= ${bound(range.start)} AND ${expr} < ${bound(range.end)})`;
    case '!=':
    case 'NOT IN':
      return `NOT IFNULL(${expr} >= ${bound(range.start)} AND ${expr} < ${bound(range.end)}, 0)`;
    case '<':
      return `${expr} < ${bound(range.start)}`;
    case '<=':
      return `${expr} < ${bound(range.end)}`;
    case '>':
      return `${expr} >= ${bound(range.lastN ? range.start : range.end)}`;
    case '>=':
      return `${expr} >= ${bound(range.start)}`;
    default:
      throw queryError(
        scope.env,
        'INVALID_QUERY_FILTER_OPERATOR',
        operand.name,
        `invalid operator on date field`,
      );
  }
}

function includesSql(scope: Scope, operand: Operand, values: string[]): string {
  const alternatives = values.map((value) => {
    const parts = value
      .split(';')
      .map((p) => p.trim().toLowerCase())
      .filter((p) => p !== '');
    const checks = parts.map(
      (p) => `instr(';' || lower(${operand.expr}) || ';', ${scope.stmt.param(`;${p};`)}) > 0`,
    );
    return checks.length === 0 ? '0' : `(${checks.join(' AND ')})`;
  });
  return `IFNULL(${alternatives.length === 0 ? '0' : alternatives.join(' OR ')}, 0)`;
}

/** One comparison: `operand <operator> value(s)` with the parser's literal types. */
export function comparisonSql(
  scope: Scope,
  operand: Operand,
  operator: string,
  value: string | string[],
  literalType: LiteralType | LiteralType[] | undefined,
): string {
  const env = scope.env;
  const { expr } = operand;
  const values = Array.isArray(value) ? value : [value];
  const typeAt = (i: number): LiteralType | undefined =>
    Array.isArray(literalType) ? literalType[i] : literalType;
  if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
    if (operand.field.type !== 'multipicklist') {
      throw queryError(
        env,
        'INVALID_QUERY_FILTER_OPERATOR',
        operand.name,
        'includes or excludes operator only valid on multipicklist field',
      );
    }
    values.forEach((_, i) => {
      if (typeAt(i) !== 'STRING') throw typeMismatch(env, operand);
    });
    const sql = includesSql(
      scope,
      operand,
      values.map((v) => unescapeString(v, false)),
    );
    return operator === 'INCLUDES' ? sql : `NOT ${sql}`;
  }
  const literals = values.map((raw, i) => toLiteral(env, operand, typeAt(i), raw, operator));
  if (operator === 'IN' || operator === 'NOT IN') {
    const plain: string[] = [];
    const extra: string[] = [];
    let hasNull = false;
    for (const literal of literals) {
      if (literal.kind === 'null') hasNull = true;
      else if (literal.kind === 'range') extra.push(rangeSql(scope, operand, '=', literal.range));
      else plain.push(scope.stmt.param(literal.value));
    }
    const matches = [
      ...(plain.length > 0 ? [`${expr} IN (${plain.join(', ')})`] : []),
      ...extra,
      ...(hasNull ? [`${expr} IS NULL`] : []),
    ];
    const any = matches.length === 0 ? '0' : matches.join(' OR ');
    return operator === 'IN' ? `(${any})` : `NOT IFNULL(${any}, 0)`;
  }
  const [literal] = literals;
  if (!literal || literals.length !== 1) {
    throw queryError(env, 'MALFORMED_QUERY', operand.name, `unexpected token: '('`);
  }
  if (literal.kind === 'range') return rangeSql(scope, operand, operator, literal.range);
  if (literal.kind === 'null') {
    if (operator === '=') return `${expr} IS NULL`;
    if (operator === '!=') return `${expr} IS NOT NULL`;
    return '0';
  }
  const param = scope.stmt.param(literal.value);
  switch (operator) {
    case '=':
      return `${expr} = ${param}`;
    case '!=':
      return `${expr} IS NOT ${param}`;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return `${expr} ${operator} ${param}`;
    case 'LIKE':
      if (!isTextType(operand.field)) {
        throw queryError(env, 'INVALID_QUERY_FILTER_OPERATOR', operand.name, `invalid operator on field`);
      }
      return `${expr} LIKE ${param} ESCAPE '\\'`;
    default:
      throw queryError(env, 'MALFORMED_QUERY', operand.name, `unexpected token: '${operator}'`);
  }
}

/** `Id IN (SELECT Contact__c FROM Social_Post__c ...)` and its NOT IN form, as SQL subqueries. */
export function semiJoinSql(
  scope: Scope,
  left: Resolved,
  condition: ValueQueryCondition,
  compileWhere: (scope: Scope, query: Query) => string[],
): string {
  const env = scope.env;
  const query = condition.valueQuery;
  const objectName = query.sObject ?? '';
  const object = env.schema.object(objectName);
  if (!object) {
    throw queryError(
      env,
      'INVALID_TYPE',
      objectName,
      `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  if (condition.operator !== 'IN' && condition.operator !== 'NOT IN') {
    throw queryError(env, 'MALFORMED_QUERY', condition.field, `unexpected token: '${condition.operator}'`);
  }
  const inner = new Scope(env, scope.stmt, object, query.sObjectAlias);
  const fields = query.fields ?? [];
  const [selected] = fields;
  if (
    fields.length !== 1 ||
    !selected ||
    (selected.type !== 'Field' && selected.type !== 'FieldRelationship')
  ) {
    throw queryError(
      env,
      'MALFORMED_QUERY',
      objectName,
      'semi join sub-selects can only select one id field',
    );
  }
  const path =
    selected.type === 'Field' ? selected.field : [...selected.relationships, selected.field].join('.');
  const resolved = inner.resolve(path);
  const idTypes = ['id', 'reference'];
  if (!idTypes.includes(resolved.field.type) || !idTypes.includes(left.field.type)) {
    throw queryError(
      env,
      'INVALID_FIELD',
      condition.field,
      `The selected field '${resolved.field.name}' in the subquery and the left operand field in the where expression in the outer query '${left.field.name}' should point to the same object type`,
    );
  }
  const conditions = [
    ...inner.baseConditions(),
    ...compileWhere(inner, query),
    `${resolved.expr} IS NOT NULL`,
  ];
  const sub = `SELECT ${resolved.expr} FROM ${inner.from()} WHERE ${conditions.join(' AND ')}`;
  return condition.operator === 'IN'
    ? `${left.expr} IN (${sub})`
    : `(${left.expr} IS NULL OR ${left.expr} NOT IN (${sub}))`;
}
