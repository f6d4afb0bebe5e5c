/**
 * The query's columns, as REST answers `GET …/query?q=<soql>&columns=true` (what the Salesforce CLI asks
 * after every `sf data query` that returns rows, to lay out its table): one entry per selected item, a
 * parent relationship as a column with `joinColumns`, a child subquery as an `aggregate` column with the
 * child's columns, an aggregate function as `expr<n>` (or its alias) with its text as `displayName`.
 * Names are checked as the query itself checks them, so a bad query fails here with the same error.
 */
import type { FieldFunctionExpression, Query, Subquery } from '@jetstreamapp/soql-parser-js';
import { SalesforceError } from '../errors.ts';
import type { FieldDef, ObjectDef, Schema } from '../schema/model.ts';
import { parseSoql } from './parse.ts';
import { Scope, Statement, badRelationship, queryError, type Env } from './scope.ts';

export interface QueryColumn {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: QueryColumn[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

export interface QueryColumns {
  columnMetadata: QueryColumn[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
  keyPrefix: string;
}

const APEX_TYPES: Record<FieldDef['type'], string> = {
  id: 'Id',
  reference: 'Id',
  string: 'String',
  textarea: 'String',
  email: 'String',
  phone: 'String',
  url: 'String',
  picklist: 'String',
  multipicklist: 'String',
  boolean: 'Boolean',
  int: 'Integer',
  double: 'Double',
  currency: 'Decimal',
  percent: 'Double',
  date: 'Date',
  datetime: 'Datetime',
  time: 'Time',
};

function fieldColumn(field: FieldDef, displayName: string): QueryColumn {
  const apexType = APEX_TYPES[field.type];
  return {
    aggregate: false,
    apexType,
    booleanType: field.type === 'boolean',
    columnName: field.name,
    custom: field.custom,
    displayName,
    foreignKeyName: null,
    insertable: field.createable,
    joinColumns: [],
    numberType: ['Integer', 'Double', 'Decimal'].includes(apexType),
    textType: apexType === 'String',
    updatable: field.updateable,
  };
}

function groupColumn(
  name: string,
  apexType: string | null,
  aggregate: boolean,
  joinColumns: QueryColumn[],
): QueryColumn {
  return {
    aggregate,
    apexType,
    booleanType: false,
    columnName: name,
    custom: name.endsWith('__r'),
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns,
    numberType: false,
    textType: false,
    updatable: false,
  };
}

function functionColumn(fn: FieldFunctionExpression, name: string): QueryColumn {
  const counts = /^COUNT/i.test(fn.functionName);
  return {
    aggregate: true,
    apexType: counts ? 'Integer' : null,
    booleanType: false,
    columnName: name,
    custom: false,
    displayName: fn.rawValue ?? `${fn.functionName}()`,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: counts,
    textType: false,
    updatable: false,
  };
}

/** Adds `path` (e.g. `Contact__r.Account.Name`) under the right parent columns, merging shared parents. */
function addPath(scope: Scope, columns: QueryColumn[], path: string): void {
  const resolved = scope.resolve(path);
  let level = columns;
  let display = '';
  for (const { key, node } of resolved.chain) {
    display = display ? `${display}.${key}` : key;
    let parent = level.find((c) => c.columnName.toLowerCase() === key.toLowerCase() && c.joinColumns.length);
    if (!parent) {
      parent = groupColumn(key, node.candidates[0]?.object.name ?? null, false, []);
      parent.displayName = display;
      level.push(parent);
    }
    level = parent.joinColumns;
  }
  level.push(
    fieldColumn(resolved.field, display ? `${display}.${resolved.field.name}` : resolved.field.name),
  );
}

function selectColumns(env: Env, object: ObjectDef, query: Query | Subquery, alias?: string): QueryColumn[] {
  const scope = new Scope(env, new Statement(), object, alias);
  const columns: QueryColumn[] = [];
  let exprIndex = 0;
  for (const field of query.fields ?? []) {
    switch (field.type) {
      case 'Field':
        addPath(scope, columns, field.field);
        break;
      case 'FieldRelationship':
        addPath(scope, columns, [...field.relationships, field.field].join('.'));
        break;
      case 'FieldFunctionExpression':
        if (field.functionName.toUpperCase() === 'FIELDS') {
          const which = String(field.parameters[0] ?? '').toUpperCase();
          for (const f of object.fields) {
            if (which === 'ALL' || (which === 'CUSTOM') === f.custom) addPath(scope, columns, f.name);
          }
        } else if (!(field.functionName.toUpperCase() === 'COUNT' && field.parameters.length === 0)) {
          columns.push(functionColumn(field, field.alias ?? `expr${exprIndex++}`));
        }
        break;
      case 'FieldSubquery': {
        const sub = field.subquery;
        const relationship = env.schema.childRelationship(object.name, sub.relationshipName);
        const child = relationship && env.schema.object(relationship.childSObject);
        if (!relationship || !child) {
          throw queryError(
            env,
            'INVALID_TYPE',
            sub.relationshipName,
            badRelationship(sub.relationshipName).replace('in field path', 'in FROM part of query call'),
          );
        }
        columns.push(
          groupColumn(
            relationship.relationshipName ?? sub.relationshipName,
            child.name,
            true,
            selectColumns(env, child, sub),
          ),
        );
        break;
      }
      default:
        throw new SalesforceError(400, 'MALFORMED_QUERY', 'TYPEOF is not supported by the dev org');
    }
  }
  return columns;
}

export function queryColumns(schema: Schema, soql: string, apiPath: string): QueryColumns {
  const query = parseSoql(soql);
  const env: Env = { schema, soql, now: new Date(), includeDeleted: false, apiPath };
  const object = schema.object(query.sObject ?? '');
  if (!object) {
    throw queryError(
      env,
      'INVALID_TYPE',
      query.sObject ?? null,
      `sObject type '${query.sObject ?? ''}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const columnMetadata = selectColumns(env, object, query, query.sObjectAlias);
  const groupBy = query.groupBy !== undefined && (!Array.isArray(query.groupBy) || query.groupBy.length > 0);
  return {
    columnMetadata,
    entityName: object.name,
    groupBy,
    idSelected: columnMetadata.some((c) => c.columnName === 'Id' && c.joinColumns.length === 0),
    keyPrefix: object.keyPrefix,
  };
}
