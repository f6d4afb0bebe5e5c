/**
 * Bulk API 2.0 ingest jobs, as jsforce's `conn.bulk2` and the Salesforce CLI drive them:
 *
 *   POST   /jobs/ingest                      {object, operation, externalIdFieldName?, contentType: CSV, lineEnding}
 *   PUT    /jobs/ingest/:id/batches          text/csv (header row of field names; `#N/A` sets a field to null)
 *   PATCH  /jobs/ingest/:id                  {state: UploadComplete | Aborted}
 *   GET    /jobs/ingest/:id                  the job info (state Open → UploadComplete → JobComplete)
 *   GET    /jobs/ingest/:id/successfulResults | failedResults | unprocessedrecords   text/csv
 *   DELETE /jobs/ingest/:id
 *
 * As in Salesforce, processing is asynchronous: closing the job answers `UploadComplete` at once, then the
 * job is `InProgress` while its records are processed in chunks of 200 (other requests are served between
 * chunks), then `JobComplete`; clients poll. Each record is processed on its own (one failing record does
 * not stop the others) with the same validation as the REST API. A column `Persona__r.External_Id__c` sets
 * a lookup by the parent's external ID. A header naming no field of the object fails the whole job, as
 * Salesforce does (`InvalidBatch : Field name not found : …`), leaving every record unprocessed.
 * Jobs live in memory: they are an operation, not data.
 */
import express, { Router, type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { SalesforceError } from '../errors.ts';
import type { RecordStore } from '../store/record-store.ts';

type Operation = 'insert' | 'update' | 'upsert' | 'delete';
type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';

interface Job {
  id: string;
  object: string;
  operation: Operation;
  externalIdFieldName: string | null;
  state: JobState;
  createdDate: string;
  systemModstamp: string;
  rows: Record<string, string>[];
  columns: string[];
  successes: { id: string; created: boolean; row: Record<string, string> }[];
  failures: { id: string; error: string; row: Record<string, string> }[];
  errorMessage: string | null;
}

/** Records processed between two turns of the event loop (Salesforce processes jobs in chunks of 200). */
const CHUNK = 200;

const OPERATIONS: readonly Operation[] = ['insert', 'update', 'upsert', 'delete'];

function info(job: Job, apiVersion: string, userId: string): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: userId,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(apiVersion),
    jobType: 'V2Ingest',
    contentUrl: `services/data/v${apiVersion}/jobs/ingest/${job.id}/batches`,
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: job.successes.length + job.failures.length,
    numberRecordsFailed: job.failures.length,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  };
}

function fieldsOf(row: Record<string, string>, skip: readonly string[] = []): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (skip.some((s) => s.toLowerCase() === name.toLowerCase())) continue;
    if (value === '') continue; // an empty cell leaves the field as it is
    const dot = name.indexOf('.');
    if (dot > 0) {
      // `Persona__r.External_Id__c`: the lookup, by the parent's external ID.
      if (value !== '#N/A') fields[name.slice(0, dot)] = { [name.slice(dot + 1)]: value };
      continue;
    }
    fields[name] = value === '#N/A' ? null : value;
  }
  return fields;
}

export function createBulkIngestRouter(deps: {
  store: RecordStore;
  now: () => Date;
  userId: string;
}): Router {
  const router = Router();
  const jobs = new Map<string, Job>();
  const version = (req: Request): string => /\/v(\d+\.\d+)\//.exec(req.originalUrl)?.[1] ?? '62.0';
  const find = (req: Request): Job => {
    const job = jobs.get(String(req.params['jobId']));
    if (!job) throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return job;
  };
  const fail = (res: Response, error: unknown): void => {
    const e =
      error instanceof SalesforceError ? error : new SalesforceError(400, 'INVALIDJOB', String(error));
    res.status(e.statusCode).json([{ errorCode: e.errorCode, message: e.message }]);
  };
  /** A handler whose errors answer in Bulk API 2.0's error shape. */
  const route =
    (handler: (req: Request, res: Response) => void) =>
    (req: Request, res: Response): void => {
      try {
        handler(req, res);
      } catch (error) {
        fail(res, error);
      }
    };

  const processRow = (job: Job, row: Record<string, string>): void => {
    const { store } = deps;
    try {
      if (job.operation === 'insert') {
        job.successes.push({ id: store.create(job.object, fieldsOf(row)), created: true, row });
      } else if (job.operation === 'update') {
        const id = row['Id'] ?? row['id'] ?? '';
        store.update(job.object, id, fieldsOf(row, ['Id']));
        job.successes.push({ id, created: false, row });
      } else if (job.operation === 'upsert') {
        const field = job.externalIdFieldName ?? 'Id';
        const key = Object.keys(row).find((k) => k.toLowerCase() === field.toLowerCase()) ?? field;
        const outcome = store.upsert(job.object, field, row[key] ?? '', fieldsOf(row, [key]));
        job.successes.push({ id: outcome.id, created: outcome.created, row });
      } else {
        const id = row['Id'] ?? row['id'] ?? '';
        store.delete(job.object, id);
        job.successes.push({ id, created: false, row });
      }
    } catch (error) {
      const message =
        error instanceof SalesforceError ? `${error.errorCode}:${error.message}` : String(error);
      job.failures.push({ id: row['Id'] ?? '', error: message, row });
    }
  };

  /** A column that is neither a field of the object nor `Relationship__r.ExternalId__c`. */
  const unknownColumn = (job: Job): string | undefined =>
    job.columns.find((column) => {
      const dot = column.indexOf('.');
      if (dot < 0) return !deps.store.schema.field(job.object, column);
      return !deps.store.schema.parentRelationship(job.object, column.slice(0, dot));
    });

  const finish = (job: Job, state: JobState, errorMessage: string | null = null): void => {
    job.state = state;
    job.errorMessage = errorMessage;
    job.systemModstamp = deps.now().toISOString();
  };

  /** Processes the job a chunk per turn of the event loop, as the org works through a job in the background. */
  const process = (job: Job): void => {
    const column = unknownColumn(job);
    if (column) {
      finish(job, 'Failed', `InvalidBatch : Field name not found : ${column}`);
      return;
    }
    job.state = 'InProgress';
    const step = (): void => {
      if (job.state === 'Aborted') return;
      for (const row of job.rows.splice(0, CHUNK)) processRow(job, row);
      if (job.rows.length > 0) setImmediate(step);
      else finish(job, 'JobComplete');
    };
    setImmediate(step);
  };

  router.post(
    '/jobs/ingest',
    express.json({ type: () => true }),
    route((req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const operation = String(body['operation'] ?? '') as Operation;
      if (!OPERATIONS.includes(operation)) {
        throw new SalesforceError(400, 'INVALIDJOB', `Invalid operation: ${String(body['operation'])}`);
      }
      const object = deps.store.objectOrThrow(String(body['object'] ?? '')).name;
      if (body['contentType'] !== undefined && body['contentType'] !== 'CSV') {
        throw new SalesforceError(400, 'INVALIDJOB', 'Only contentType CSV is supported');
      }
      const externalIdFieldName =
        typeof body['externalIdFieldName'] === 'string' ? body['externalIdFieldName'] : null;
      if (operation === 'upsert' && !externalIdFieldName) {
        throw new SalesforceError(400, 'INVALIDJOB', 'External ID was blank for upsert');
      }
      const now = deps.now().toISOString();
      const job: Job = {
        id: `750Dv${randomBytes(5).toString('hex').toUpperCase()}AAA`.slice(0, 18),
        object,
        operation,
        externalIdFieldName,
        state: 'Open',
        createdDate: now,
        systemModstamp: now,
        rows: [],
        columns: [],
        successes: [],
        failures: [],
        errorMessage: null,
      };
      jobs.set(job.id, job);
      res.status(200).json(info(job, version(req), deps.userId));
    }),
  );

  router.put(
    '/jobs/ingest/:jobId/batches',
    express.text({ type: () => true, limit: '150mb' }),
    (req, res) => {
      try {
        const job = find(req);
        if (job.state !== 'Open') throw new SalesforceError(409, 'INVALIDJOBSTATE', `Job is ${job.state}`);
        const rows = parse(String(req.body ?? ''), { columns: true, skip_empty_lines: true }) as Record<
          string,
          string
        >[];
        job.rows.push(...rows);
        if (rows[0]) job.columns = Object.keys(rows[0]);
        res.status(201).end();
      } catch (error) {
        fail(res, error);
      }
    },
  );

  router.patch(
    '/jobs/ingest/:jobId',
    express.json({ type: () => true }),
    route((req, res) => {
      const job = find(req);
      const state = (req.body as { state?: string } | undefined)?.state;
      if (state === 'Aborted') {
        job.state = 'Aborted';
      } else if (state === 'UploadComplete') {
        if (job.state !== 'Open') throw new SalesforceError(409, 'INVALIDJOBSTATE', `Job is ${job.state}`);
        job.state = 'UploadComplete';
        res.json(info(job, version(req), deps.userId));
        setImmediate(() => process(job));
        return;
      } else {
        throw new SalesforceError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(state)}`);
      }
      res.json(info(job, version(req), deps.userId));
    }),
  );

  router.get(
    '/jobs/ingest/:jobId',
    route((req, res) => {
      res.json(info(find(req), version(req), deps.userId));
    }),
  );

  const csv = (res: Response, header: string[], rows: unknown[][]): void => {
    res.type('text/csv').send(stringify([header, ...rows]));
  };
  router.get(
    '/jobs/ingest/:jobId/successfulResults',
    route((req, res) => {
      const job = find(req);
      csv(
        res,
        ['sf__Id', 'sf__Created', ...job.columns],
        job.successes.map((s) => [s.id, String(s.created), ...job.columns.map((c) => s.row[c] ?? '')]),
      );
    }),
  );
  router.get(
    '/jobs/ingest/:jobId/failedResults',
    route((req, res) => {
      const job = find(req);
      csv(
        res,
        ['sf__Id', 'sf__Error', ...job.columns],
        job.failures.map((f) => [f.id, f.error, ...job.columns.map((c) => f.row[c] ?? '')]),
      );
    }),
  );
  router.get(
    '/jobs/ingest/:jobId/unprocessedrecords',
    route((req, res) => {
      const job = find(req);
      csv(
        res,
        job.columns,
        job.rows.map((r) => job.columns.map((c) => r[c] ?? '')),
      );
    }),
  );
  router.delete(
    '/jobs/ingest/:jobId',
    route((req, res) => {
      const job = find(req);
      if (job.state === 'Open' || job.state === 'InProgress') {
        throw new SalesforceError(400, 'INVALIDJOBSTATE', 'Close or abort the job before deleting it');
      }
      jobs.delete(job.id);
      res.status(204).end();
    }),
  );
  return router;
}
