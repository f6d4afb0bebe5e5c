/**
 * Bulk API 2.0 query jobs, as jsforce's `conn.bulk2.query` and `sf data export bulk` drive them:
 *
 *   POST   /jobs/query                 {operation: query | queryAll, query, contentType: CSV, lineEnding, columnDelimiter}
 *   GET    /jobs/query/:id             the job (UploadComplete → JobComplete, or Failed)
 *   GET    /jobs/query/:id/results     text/csv, `?maxRecords=&locator=` pages; `Sforce-Locator` names the next
 *                                      page (`null` after the last), `Sforce-NumberOfRecords` counts this one
 *   PATCH  /jobs/query/:id             {state: Aborted}
 *   DELETE /jobs/query/:id
 *
 * The query is checked when the job is created (a bad query is refused with the SOQL error) and run in
 * the background, as Salesforce does; clients poll. As in Salesforce, a bulk query has no child
 * subqueries and no aggregates; columns are the selected fields, relationship fields as `Owner.Name`,
 * booleans `true`/`false`, nulls empty. Jobs live in memory.
 */
import express, { Router, type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { SalesforceError } from '../errors.ts';
import type { RecordStore } from '../store/record-store.ts';
import { executeQuery, queryColumns, type QueryColumn } from '../soql/index.ts';

type QueryState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';

interface QueryJob {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  query: string;
  columns: string[];
  state: QueryState;
  createdDate: string;
  systemModstamp: string;
  rows: string[][];
  errorMessage: string | null;
}

/** Rows per results page unless the client asks for fewer (Salesforce sizes pages by bytes; rows suffice here). */
const DEFAULT_PAGE_ROWS = 50_000;

/** `Owner.Name`-style paths of the plain columns; subqueries and aggregates are refused as Bulk API refuses them. */
function flatColumns(columns: QueryColumn[], prefix = ''): string[] {
  return columns.flatMap((c) => {
    if (c.aggregate) {
      throw new SalesforceError(
        400,
        'INVALIDJOB',
        `${c.joinColumns.length > 0 ? 'Nested queries' : 'Aggregate functions'} are not supported by Bulk API 2.0 query jobs`,
      );
    }
    const path = `${prefix}${c.columnName}`;
    return c.joinColumns.length > 0 ? flatColumns(c.joinColumns, `${path}.`) : [path];
  });
}

function cell(record: Record<string, unknown>, path: string): string {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return '';
    const entry = Object.entries(value).find(([k]) => k.toLowerCase() === part.toLowerCase());
    value = entry?.[1];
  }
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function createBulkQueryRouter(deps: { store: RecordStore; now: () => Date; userId: string }): Router {
  const router = Router();
  const jobs = new Map<string, QueryJob>();
  const version = (req: Request): string => /\/v(\d+\.\d+)\//.exec(req.originalUrl)?.[1] ?? '62.0';
  const apiPath = (req: Request): string => `/services/data/v${version(req)}`;

  const info = (job: QueryJob, req: Request): Record<string, unknown> => ({
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: deps.userId,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(version(req)),
    jobType: 'V2Query',
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: job.state === 'JobComplete' ? job.rows.length : 0,
    retries: 0,
    totalProcessingTime: 0,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  });

  const route =
    (handler: (req: Request, res: Response) => void) =>
    (req: Request, res: Response): void => {
      try {
        handler(req, res);
      } catch (error) {
        const e =
          error instanceof SalesforceError ? error : new SalesforceError(400, 'INVALIDJOB', String(error));
        res.status(e.statusCode).json([{ errorCode: e.errorCode, message: e.message }]);
      }
    };
  const find = (req: Request): QueryJob => {
    const job = jobs.get(String(req.params['jobId']));
    if (!job) throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return job;
  };

  router.post(
    '/jobs/query',
    express.json({ type: () => true }),
    route((req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const operation = body['operation'];
      if (operation !== 'query' && operation !== 'queryAll') {
        throw new SalesforceError(
          400,
          'INVALIDJOB',
          `Invalid operation: ${String(operation)}; use query or queryAll`,
        );
      }
      if (body['contentType'] !== undefined && body['contentType'] !== 'CSV') {
        throw new SalesforceError(400, 'INVALIDJOB', 'Only contentType CSV is supported');
      }
      const query = typeof body['query'] === 'string' ? body['query'] : '';
      if (!query) throw new SalesforceError(400, 'INVALIDJOB', 'The query is missing');
      const described = queryColumns(deps.store.schema, query, apiPath(req));
      const now = deps.now().toISOString();
      const job: QueryJob = {
        id: `750Dv${randomBytes(5).toString('hex').toUpperCase()}AAA`.slice(0, 18),
        operation,
        object: described.entityName,
        query,
        columns: flatColumns(described.columnMetadata),
        state: 'UploadComplete',
        createdDate: now,
        systemModstamp: now,
        rows: [],
        errorMessage: null,
      };
      jobs.set(job.id, job);
      res.status(200).json(info(job, req));
      const path = apiPath(req);
      setImmediate(() => {
        if (job.state === 'Aborted') return;
        try {
          const result = executeQuery(deps.store.db, deps.store.schema, query, {
            apiPath: path,
            now: deps.now(),
            includeDeleted: operation === 'queryAll',
          });
          job.rows = result.records.map((r) => job.columns.map((c) => cell(r, c)));
          job.state = 'JobComplete';
        } catch (error) {
          job.state = 'Failed';
          job.errorMessage = error instanceof Error ? error.message : String(error);
        }
        job.systemModstamp = deps.now().toISOString();
      });
    }),
  );

  router.get(
    '/jobs/query/:jobId',
    route((req, res) => {
      res.json(info(find(req), req));
    }),
  );

  router.get(
    '/jobs/query/:jobId/results',
    route((req, res) => {
      const job = find(req);
      if (job.state !== 'JobComplete') {
        throw new SalesforceError(
          400,
          'INVALIDJOBSTATE',
          `Job is ${job.state}: results are ready once it is JobComplete`,
        );
      }
      const start = Number(req.query['locator'] ?? 0);
      const max = Number(req.query['maxRecords'] ?? DEFAULT_PAGE_ROWS);
      if (!Number.isInteger(start) || start < 0 || !Number.isInteger(max) || max < 1) {
        throw new SalesforceError(
          400,
          'INVALIDLOCATOR',
          'locator and maxRecords must be positive whole numbers',
        );
      }
      const page = job.rows.slice(start, start + max);
      const next = start + page.length < job.rows.length ? String(start + page.length) : 'null';
      res
        .set('Sforce-Locator', next)
        .set('Sforce-NumberOfRecords', String(page.length))
        .type('text/csv')
        .send(stringify([job.columns, ...page]));
    }),
  );

  router.patch(
    '/jobs/query/:jobId',
    express.json({ type: () => true }),
    route((req, res) => {
      const job = find(req);
      const state = (req.body as { state?: string } | undefined)?.state;
      if (state !== 'Aborted')
        throw new SalesforceError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)}`);
      if (job.state === 'UploadComplete' || job.state === 'InProgress') job.state = 'Aborted';
      res.json(info(job, req));
    }),
  );

  router.delete(
    '/jobs/query/:jobId',
    route((req, res) => {
      jobs.delete(find(req).id);
      res.status(204).end();
    }),
  );
  return router;
}
