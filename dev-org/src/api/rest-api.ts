/**
 * The REST API v62.0 resources the product uses, as a transport-free dispatcher: a request in, a status
 * and JSON body out. The HTTP shell (http/app.ts) and `/composite` subrequests both go through it, so a
 * subrequest behaves exactly like the same call made on its own.
 */
import { SalesforceError, collectionRecordError, type CollectionRecordError } from '../errors.ts';
import type { Schema } from '../schema/model.ts';
import type { RecordStore } from '../store/record-store.ts';
import { executeQuery, queryColumns } from '../soql/index.ts';
import { isSalesforceId, to18 } from '../store/values.ts';
import { describeGlobal, describeObject, objectInfo } from './describe.ts';
import { QueryLocators } from './query-locators.ts';
import { createTree } from './sobject-tree.ts';
import type { ApiUsage } from './api-usage.ts';

export const API_VERSION = '62.0';
/** A REST version root; versions from 31.0 (when sObject Collections and composite arrived later) are served alike. */
export const VERSION_ROOT = /^\/services\/data\/v(3[1-9]|[4-5]\d|6[0-2])\.0/;
const MAX_COLLECTION = 200;
const MAX_COMPOSITE = 25;
/** Of the 25, at most 5 may be sObject Collections or query subrequests. */
const MAX_COMPOSITE_HEAVY = 5;

export interface ApiRequest {
  method: string;
  /** The version root the client called, e.g. `/services/data/v62.0` (any version from v31.0 is served). */
  apiPath: string;
  /** The session user's identity URL, listed as `identity` by the version root. */
  identityUrl?: string;
  /** Path below the version root, e.g. `/sobjects/Contact/003...`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | undefined>;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
}

type Handler = (params: string[], request: ApiRequest) => ApiResponse;

interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
}

interface SaveResult {
  id: string | null;
  success: boolean;
  errors: CollectionRecordError[];
  created?: boolean;
}

export class RestApi {
  readonly #store: RecordStore;
  readonly #schema: Schema;
  readonly #usage: ApiUsage;
  readonly #now: () => Date;
  readonly #locators = new QueryLocators();
  readonly #routes: Route[];

  constructor(store: RecordStore, usage: ApiUsage, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#schema = store.schema;
    this.#usage = usage;
    this.#now = now;
    this.#routes = [
      {
        pattern: /^\/?$/,
        methods: { GET: (_p, r) => ok(this.#resources(r.apiPath, r.identityUrl)) },
      },
      { pattern: /^\/limits\/?$/, methods: { GET: () => ok(this.#usage.limitsBody()) } },
      {
        pattern: /^\/sobjects\/?$/,
        methods: { GET: (_p, r) => ok(describeGlobal(r.apiPath, this.#schema)) },
      },
      {
        pattern: /^\/sobjects\/([^/]+)\/?$/,
        methods: {
          GET: ([type], r) => ok(objectInfo(r.apiPath, this.#store.objectOrThrow(type!))),
          POST: ([type], r) => this.#createOne(type!, r.body),
        },
      },
      {
        pattern: /^\/sobjects\/([^/]+)\/describe\/?$/,
        methods: { GET: ([type], r) => ok(describeObject(r.apiPath, this.#store.objectOrThrow(type!))) },
      },
      {
        pattern: /^\/sobjects\/([^/]+)\/([^/]+)\/?$/,
        methods: {
          GET: ([type, id], r) => ok(this.#store.get(type!, id!, r.apiPath, fieldList(r.query))),
          PATCH: ([type, id], r) => {
            this.#store.update(type!, id!, recordBody(r.body));
            return { status: 204 };
          },
          DELETE: ([type, id]) => {
            this.#store.delete(type!, id!);
            return { status: 204 };
          },
        },
      },
      {
        pattern: /^\/sobjects\/([^/]+)\/([^/]+)\/(.+)$/,
        methods: {
          GET: ([type, field, value], r) => this.#getByExternalId(type!, field!, value!, r),
          PATCH: ([type, field, value], r) => this.#upsertOne(type!, field!, value!, r.body),
          POST: ([type, field, value], r) => this.#upsertOne(type!, field!, value!, r.body),
        },
      },
      { pattern: /^\/query\/?$/, methods: { GET: (_p, r) => this.#query(r, false) } },
      { pattern: /^\/queryAll\/?$/, methods: { GET: (_p, r) => this.#query(r, true) } },
      {
        pattern: /^\/(?:query|queryAll)\/([^/]+)$/,
        methods: { GET: ([locator], r) => ok(this.#locators.next(locator!, r.apiPath)) },
      },
      {
        pattern: /^\/composite\/sobjects\/?$/,
        methods: {
          POST: (_p, r) => this.#collectionCreate(r.body),
          PATCH: (_p, r) => this.#collectionUpdate(r.body),
          DELETE: (_p, r) => this.#collectionDelete(r.query),
        },
      },
      {
        pattern: /^\/composite\/sobjects\/([^/]+)\/?$/,
        methods: {
          GET: ([type], r) =>
            this.#collectionRetrieve(
              r.apiPath,
              type!,
              (r.query.get('ids') ?? '').split(','),
              fieldList(r.query),
            ),
          POST: ([type], r) => {
            const body = objectBody(r.body);
            return this.#collectionRetrieve(
              r.apiPath,
              type!,
              stringArray(body['ids'], 'ids'),
              stringArray(body['fields'], 'fields'),
            );
          },
        },
      },
      {
        pattern: /^\/composite\/sobjects\/([^/]+)\/([^/]+)\/?$/,
        methods: { PATCH: ([type, field], r) => this.#collectionUpsert(type!, field!, r.body) },
      },
      {
        pattern: /^\/composite\/tree\/([^/]+)\/?$/,
        methods: { POST: ([type], r) => createTree(this.#store, type!, r.body) },
      },
      { pattern: /^\/composite\/?$/, methods: { POST: (_p, r) => this.#composite(r) } },
    ];
  }

  dispatch(request: ApiRequest): ApiResponse {
    try {
      for (const route of this.#routes) {
        const match = route.pattern.exec(request.path);
        if (!match) continue;
        const handler = route.methods[request.method.toUpperCase()];
        if (!handler) {
          throw new SalesforceError(
            405,
            'METHOD_NOT_ALLOWED',
            `HTTP Method '${request.method.toUpperCase()}' not allowed. Allowed are ${Object.keys(route.methods).join(',')}`,
          );
        }
        return handler(match.slice(1).map(decodeURIComponent), request);
      }
      throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    } catch (error) {
      if (error instanceof SalesforceError) return { status: error.statusCode, body: [error.toBody()] };
      throw error;
    }
  }

  #resources(apiPath: string, identityUrl: string | undefined): Record<string, string> {
    const names = ['limits', 'sobjects', 'query', 'queryAll', 'composite'];
    const resources = Object.fromEntries(names.map((n) => [n, `${apiPath}/${n}`]));
    return identityUrl ? { ...resources, identity: identityUrl } : resources;
  }

  #createOne(type: string, body: unknown): ApiResponse {
    const id = this.#store.create(type, recordBody(body));
    return { status: 201, body: { id, success: true, errors: [] } };
  }

  #upsertOne(type: string, field: string, value: string, body: unknown): ApiResponse {
    const outcome = this.#store.transaction(() => this.#store.upsert(type, field, value, recordBody(body)));
    return {
      status: outcome.created ? 201 : 200,
      body: { id: outcome.id, success: true, errors: [], created: outcome.created },
    };
  }

  #getByExternalId(type: string, field: string, value: string, request: ApiRequest): ApiResponse {
    const ids = this.#store.idsByExternalId(type, field, value);
    if (ids.length === 0)
      throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return ok(this.#store.get(type, ids[0]!, request.apiPath, fieldList(request.query)));
  }

  #query(request: ApiRequest, includeDeleted: boolean): ApiResponse {
    const soql = request.query.get('q');
    if (!soql) throw new SalesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    // The columns of the query instead of its rows (the Salesforce CLI lays its tables out with them).
    if (request.query.get('columns') === 'true') return ok(queryColumns(this.#schema, soql, request.apiPath));
    const result = executeQuery(this.#store.db, this.#schema, soql, {
      apiPath: request.apiPath,
      now: this.#now(),
      includeDeleted,
    });
    return ok(
      this.#locators.first(result, batchSize(request.headers['sforce-query-options']), request.apiPath),
    );
  }

  /** Runs each record's DML; with allOrNone a failure rolls all back and every record reports an error. */
  #collection<T>(
    allOrNone: boolean,
    items: T[],
    each: (item: T) => { id: string; created?: boolean },
  ): ApiResponse {
    if (items.length > MAX_COLLECTION) {
      throw new SalesforceError(
        400,
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`,
      );
    }
    const attemptEach = (): SaveResult[] =>
      items.map((item) => {
        try {
          const outcome = this.#store.transaction(() => each(item));
          return {
            id: outcome.id,
            success: true,
            errors: [],
            ...(outcome.created === undefined ? {} : { created: outcome.created }),
          };
        } catch (error) {
          if (!(error instanceof SalesforceError)) throw error;
          return { id: null, success: false, errors: [collectionRecordError(error)] };
        }
      });
    if (!allOrNone) return ok(attemptEach());
    let results: SaveResult[] = [];
    try {
      this.#store.transaction(() => {
        results = attemptEach();
        if (results.some((r) => !r.success)) throw new RollbackAll();
      });
    } catch (error) {
      if (!(error instanceof RollbackAll)) throw error;
      const rolledBack: CollectionRecordError = {
        statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
        message:
          'Record rolled back because not all records were valid and the request was using AllOrNone header',
        fields: [],
      };
      results = results.map((r) =>
        r.success ? { id: null, success: false, errors: [rolledBack] } : { ...r, id: null },
      );
    }
    return ok(results);
  }

  #collectionCreate(body: unknown): ApiResponse {
    const { allOrNone, records } = collectionBody(body);
    return this.#collection(allOrNone, records, (record) => {
      const { attributes, ...fields } = record;
      if (fields['Id'] !== undefined || fields['id'] !== undefined) {
        throw new SalesforceError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
      }
      return { id: this.#store.create(recordType(attributes), fields) };
    });
  }

  #collectionUpdate(body: unknown): ApiResponse {
    const { allOrNone, records } = collectionBody(body);
    return this.#collection(allOrNone, records, (record) => {
      const { attributes, id, Id, ...fields } = record;
      const recordId = String(id ?? Id ?? '');
      if (!recordId)
        throw new SalesforceError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
      this.#store.update(recordType(attributes), recordId, fields);
      return { id: isSalesforceId(recordId) ? to18(recordId) : recordId };
    });
  }

  #collectionUpsert(type: string, field: string, body: unknown): ApiResponse {
    const { allOrNone, records } = collectionBody(body);
    const object = this.#store.objectOrThrow(type);
    const def = this.#schema.field(object.name, field);
    if (!def || !(def.externalId || def.type === 'id')) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        `Field name provided, ${field} is not an External ID or indexed field for ${object.name}`,
      );
    }
    return this.#collection(allOrNone, records, (record) => {
      const { attributes, ...fields } = record;
      if (attributes !== undefined && recordType(attributes).toLowerCase() !== object.name.toLowerCase()) {
        throw new SalesforceError(
          400,
          'INVALID_TYPE',
          `Record type ${recordType(attributes)} does not match ${object.name}`,
        );
      }
      const key = Object.entries(fields).find(([k]) => k.toLowerCase() === def.name.toLowerCase())?.[1];
      if (key === undefined || key === null || key === '') {
        throw new SalesforceError(
          400,
          'REQUIRED_FIELD_MISSING',
          `Required fields are missing: [${def.name}]`,
          [def.name],
        );
      }
      return this.#store.upsert(object.name, def.name, String(key), fields);
    });
  }

  #collectionDelete(query: URLSearchParams): ApiResponse {
    const ids = (query.get('ids') ?? '').split(',').filter(Boolean);
    if (ids.length === 0) throw new SalesforceError(400, 'MISSING_ARGUMENT', 'ids parameter not specified');
    const allOrNone = query.get('allOrNone') === 'true';
    return this.#collection(allOrNone, ids, (id) => {
      const object = this.#schema.objectByKeyPrefix(id.slice(0, 3));
      if (!object) throw new SalesforceError(400, 'MALFORMED_ID', `malformed id ${id}`);
      this.#store.delete(object.name, id);
      return { id };
    });
  }

  #collectionRetrieve(
    apiPath: string,
    type: string,
    ids: string[],
    fields: string[] | undefined,
  ): ApiResponse {
    if (!fields || fields.length === 0)
      throw new SalesforceError(400, 'MISSING_ARGUMENT', 'fields parameter not specified');
    return ok(
      ids.map((id) => {
        try {
          return this.#store.get(type, id, apiPath, fields);
        } catch (error) {
          if (
            error instanceof SalesforceError &&
            error.statusCode === 404 &&
            error.errorCode === 'NOT_FOUND'
          ) {
            this.#store.objectOrThrow(type);
            return null;
          }
          throw error;
        }
      }),
    );
  }

  /** `/composite`: up to 25 subrequests in order, `@{ref.path}` references to earlier results. */
  #composite(request: ApiRequest): ApiResponse {
    const body = objectBody(request.body);
    const subrequests = body['compositeRequest'];
    if (!Array.isArray(subrequests) || subrequests.length === 0) {
      throw new SalesforceError(
        400,
        'INVALID_INPUT',
        'compositeRequest is required and must be a non-empty array',
      );
    }
    if (subrequests.length > MAX_COMPOSITE) {
      throw new SalesforceError(
        400,
        'LIMIT_EXCEEDED',
        `Limit Exceeded: The maximum number of subrequests is ${MAX_COMPOSITE}`,
      );
    }
    const heavy = (subrequests as unknown[]).filter((raw) =>
      /\/(composite\/sobjects|query|queryAll)(\/|\?|$)/.test(
        String((raw as { url?: unknown } | null)?.url ?? ''),
      ),
    );
    if (heavy.length > MAX_COMPOSITE_HEAVY) {
      throw new SalesforceError(
        400,
        'LIMIT_EXCEEDED',
        `Limit Exceeded: at most ${MAX_COMPOSITE_HEAVY} subrequests can be sObject Collections or queries`,
      );
    }
    const allOrNone = body['allOrNone'] === true;
    const results = new Map<string, unknown>();
    const responses: {
      body: unknown;
      httpHeaders: Record<string, string>;
      httpStatusCode: number;
      referenceId: string;
    }[] = [];
    const run = (): boolean => {
      let failed = false;
      for (const raw of subrequests as unknown[]) {
        const sub = objectBody(raw);
        const referenceId = String(sub['referenceId'] ?? '');
        if (failed && allOrNone) {
          responses.push({
            body: [
              {
                errorCode: 'PROCESSING_HALTED',
                message:
                  'The transaction was rolled back since another operation in the same transaction failed.',
              },
            ],
            httpHeaders: {},
            httpStatusCode: 400,
            referenceId,
          });
          continue;
        }
        let response: ApiResponse;
        try {
          const url = resolveReferences(String(sub['url'] ?? ''), results);
          const parsed = new URL(url, 'http://dev-org.invalid');
          const version = VERSION_ROOT.exec(parsed.pathname);
          const rest = version ? parsed.pathname.slice(version[0].length) : '';
          if (!version || (rest.startsWith('/composite') && !rest.startsWith('/composite/sobjects'))) {
            throw new SalesforceError(400, 'INVALID_INPUT', `Invalid subrequest url: ${url}`);
          }
          response = this.dispatch({
            method: String(sub['method'] ?? 'GET'),
            apiPath: version[0],
            path: parsed.pathname.slice(version[0].length),
            query: parsed.searchParams,
            body: resolveReferences(sub['body'], results),
            headers: {},
          });
        } catch (error) {
          if (!(error instanceof SalesforceError)) throw error;
          response = { status: error.statusCode, body: [error.toBody()] };
        }
        if (response.status >= 400) failed = true;
        results.set(referenceId, response.body);
        responses.push({
          body: response.body ?? null,
          httpHeaders: {},
          httpStatusCode: response.status,
          referenceId,
        });
      }
      return failed;
    };
    if (!allOrNone) {
      run();
      return ok({ compositeResponse: responses });
    }
    try {
      this.#store.transaction(() => {
        if (run()) throw new RollbackAll();
      });
    } catch (error) {
      if (!(error instanceof RollbackAll)) throw error;
      for (const response of responses) {
        if (response.httpStatusCode < 400) {
          response.httpStatusCode = 400;
          response.body = [
            {
              errorCode: 'PROCESSING_HALTED',
              message:
                'The transaction was rolled back since another operation in the same transaction failed.',
            },
          ];
        }
      }
    }
    return ok({ compositeResponse: responses });
  }
}

class RollbackAll extends Error {}

function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

function fieldList(query: URLSearchParams): string[] | undefined {
  const fields = query.get('fields');
  return fields
    ? fields
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
    : undefined;
}

function batchSize(header: string | undefined): number {
  const match = /batchSize=(\d+)/i.exec(header ?? '');
  const size = match ? Number(match[1]) : 2000;
  return Math.min(2000, Math.max(200, size));
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SalesforceError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of object from a non-object value',
    );
  }
  return body as Record<string, unknown>;
}

function recordBody(body: unknown): Record<string, unknown> {
  const { attributes: _attributes, ...fields } = objectBody(body);
  return fields;
}

function stringArray(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', `${name} must be an array of strings`);
  }
  return value as string[];
}

function recordType(attributes: unknown): string {
  const type = (attributes as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string' || type === '') {
    throw new SalesforceError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
  }
  return type;
}

function collectionBody(body: unknown): { allOrNone: boolean; records: Record<string, unknown>[] } {
  const parsed = objectBody(body);
  const records = parsed['records'];
  if (!Array.isArray(records)) {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'records is required and must be an array');
  }
  return { allOrNone: parsed['allOrNone'] === true, records: records.map(objectBody) };
}

/** Follows `name`, `name[0]` or `[0]` segments of a reference path. */
function follow(current: unknown, segment: string): unknown {
  const parts = /^([^[]*)((?:\[\d+\])*)$/.exec(segment);
  if (!parts) return undefined;
  let value = parts[1] ? (current as Record<string, unknown> | null | undefined)?.[parts[1]] : current;
  for (const index of parts[2]!.matchAll(/\[(\d+)\]/g)) {
    value = (value as unknown[] | null | undefined)?.[Number(index[1])];
  }
  return value;
}

/** Replaces `@{ref.path}` (e.g. `@{persona.id}`, `@{newCases[2].id}`) in strings, deeply, with earlier results. */
function resolveReferences<T>(value: T, results: Map<string, unknown>): T {
  if (typeof value === 'string') {
    return value.replace(/@\{([^}]+)\}/g, (_m, expr: string) => {
      const [head = '', ...path] = expr.split('.');
      const ref = /^[^[]+/.exec(head)?.[0] ?? '';
      let current: unknown = follow(results.get(ref), head.slice(ref.length));
      for (const segment of path) current = follow(current, segment);
      if (current === undefined || current === null) {
        throw new SalesforceError(
          400,
          'INVALID_REFERENCE',
          `Invalid reference specified. No value for ${expr} found in ${ref}.`,
        );
      }
      return String(current);
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, results)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, results)])) as T;
  }
  return value;
}
