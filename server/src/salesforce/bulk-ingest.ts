/**
 * Large writes through Bulk API 2.0 ingest jobs: one job per object (a few API calls whatever the number
 * of records) where sObject Collections would spend one call per 1,000 records and hold a request open
 * while the org saves them. The job's life, each step one counted call:
 *
 *   create (POST /jobs/ingest) → upload the CSV (PUT …/batches) → close (PATCH UploadComplete)
 *   → poll (GET …, with growing waits) → failed rows (only if any) → successful rows (only if their Ids
 *   are wanted, or the job ended early).
 *
 * Only idempotent operations (upsert by an external ID, update by Id) are offered: a job that outlives
 * our patience may still finish in the org, and writing its records again must change nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../domain/errors.ts';

export interface BulkJobSpec {
  object: string;
  operation: 'upsert' | 'update';
  /** For upserts. */
  externalIdFieldName?: string;
}

/** A record as the REST API takes it: `{ Persona__r: { External_Id__c: 'x:1' } }` sets a lookup. */
export type BulkRecord = Record<string, unknown>;

export interface BulkRecordOutcome {
  ok: boolean;
  /** Null when the job succeeded and the Ids were not asked for. */
  id: string | null;
  created: boolean | null;
  error: { code: string; message: string; transient: boolean } | null;
}

export interface BulkIngestOptions {
  /** Fetch the successful rows (the records' Ids, whether each was created): one more call per job. */
  wantIds: boolean;
  /** First wait before asking whether the job is done; each next wait is 1.5× longer, up to `maxPollMs`. */
  pollMs?: number;
  maxPollMs?: number;
  /** Give up on a job after this long: it is aborted, and the caller's records are written again later. */
  timeoutMs?: number;
  /** Salesforce takes up to 150 MB of CSV per job (base64 encoded); above this size the records are split. */
  maxUploadBytes?: number;
  /** Told of each job as it ends (for metrics). */
  onJob?: (job: {
    id: string;
    object: string;
    state: string;
    records: number;
    processed: number;
    failed: number;
  }) => void;
}

/** What this module needs from the gateway: one counted `/jobs/ingest…` request. */
export interface BulkTransport {
  bulkRequest<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: { json: unknown } | { csv: string },
    answer?: 'json' | 'csv',
  ): Promise<T>;
}

interface JobInfo {
  id: string;
  state: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
}

const TERMINAL = new Set(['JobComplete', 'Failed', 'Aborted']);
const DEFAULTS = {
  pollMs: 1_000,
  maxPollMs: 15_000,
  timeoutMs: 10 * 60_000,
  maxUploadBytes: 100 * 1024 * 1024,
};

/** A record's cell: `#N/A` clears a field (as `null` does in REST), an empty cell leaves it as it is. */
function cell(value: unknown): string {
  if (value === undefined) return '';
  if (value === null || value === '') return '#N/A';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** REST-shaped records → CSV columns and rows; a relationship `{ X__r: { Key__c: v } }` is column `X__r.Key__c`. */
export function toCsvRows(records: readonly BulkRecord[]): { columns: string[]; rows: string[][] } {
  const flat = records.map((record) => {
    const out = new Map<string, string>();
    for (const [name, value] of Object.entries(record)) {
      if (name === 'attributes') continue;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [key, keyValue] of Object.entries(value as Record<string, unknown>)) {
          if (key !== 'attributes' && keyValue != null) out.set(`${name}.${key}`, cell(keyValue));
        }
      } else {
        out.set(name, cell(value));
      }
    }
    return out;
  });
  const columns = [...new Set(flat.flatMap((f) => [...f.keys()]))];
  return { columns, rows: flat.map((f) => columns.map((c) => f.get(c) ?? '')) };
}

/** `UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--` → code and message. */
export function parseBulkError(text: string): { code: string; message: string } {
  const match = /^([A-Z][A-Z0-9_]+):(.*)$/s.exec(text.trim());
  if (!match) return { code: 'BULK_ERROR', message: text.trim() || 'rejected without a reason' };
  const message = match[2]!.replace(/:?\s*--\s*$/, '').trim();
  return { code: match[1]!, message: message || match[1]! };
}

/** Ids compare by their case-sensitive 15-character form (the org may echo either form). */
function keyOf(column: string, value: string): string {
  return column === 'Id' && value.length === 18 ? value.slice(0, 15) : value;
}

function parseCsv(text: unknown): Record<string, string>[] {
  if (typeof text !== 'string' || text.trim() === '') return [];
  return parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
}

export class BulkIngest {
  readonly #transport: BulkTransport;
  readonly #transientCodes: ReadonlySet<string>;

  constructor(transport: BulkTransport, transientCodes: ReadonlySet<string>) {
    this.#transport = transport;
    this.#transientCodes = transientCodes;
  }

  /**
   * Writes `records` with as many jobs as their size needs (usually one) and returns one outcome per
   * record, in order. Each record's key (the external ID for upserts, `Id` for updates) must be unique.
   * A job the org cannot even take (bad object, session expired, org down) throws an AppError.
   */
  async write(
    spec: BulkJobSpec,
    records: readonly BulkRecord[],
    options: BulkIngestOptions,
  ): Promise<BulkRecordOutcome[]> {
    const keyColumn = spec.operation === 'upsert' ? spec.externalIdFieldName : 'Id';
    if (!keyColumn)
      throw new AppError('internal', `a Bulk upsert of ${spec.object} needs an external ID field`);
    const { columns, rows } = toCsvRows(records);
    const keyIndex = columns.indexOf(keyColumn);
    if (keyIndex < 0)
      throw new AppError('internal', `Bulk ${spec.operation} of ${spec.object} without ${keyColumn}`);
    const header = stringify([columns]);
    const lines = rows.map((row) => stringify([row]));
    const limit = options.maxUploadBytes ?? DEFAULTS.maxUploadBytes;

    const outcomes: BulkRecordOutcome[] = new Array<BulkRecordOutcome>(records.length);
    let start = 0;
    while (start < lines.length) {
      let bytes = Buffer.byteLength(header);
      let end = start;
      while (end < lines.length && (end === start || bytes + Buffer.byteLength(lines[end]!) <= limit)) {
        bytes += Buffer.byteLength(lines[end]!);
        end += 1;
      }
      const indexes = Array.from({ length: end - start }, (_, i) => start + i);
      const keys = new Map(indexes.map((i) => [keyOf(keyColumn, rows[i]![keyIndex]!), i]));
      if (keys.size !== indexes.length) {
        throw new AppError(
          'internal',
          `Bulk ${spec.operation} of ${spec.object}: ${keyColumn} values repeat`,
        );
      }
      const csv = header + indexes.map((i) => lines[i]).join('');
      const jobOutcomes = await this.#runJob(spec, keyColumn, keys, csv, options);
      for (const [i, outcome] of jobOutcomes) outcomes[i] = outcome;
      start = end;
    }
    return outcomes;
  }

  async #runJob(
    spec: BulkJobSpec,
    keyColumn: string,
    keys: ReadonlyMap<string, number>,
    csv: string,
    options: BulkIngestOptions,
  ): Promise<Map<number, BulkRecordOutcome>> {
    const t = this.#transport;
    const job = await t.bulkRequest<JobInfo>('POST', '', {
      json: {
        object: spec.object,
        operation: spec.operation,
        ...(spec.externalIdFieldName ? { externalIdFieldName: spec.externalIdFieldName } : {}),
        contentType: 'CSV',
        lineEnding: 'LF',
      },
    });
    try {
      await t.bulkRequest('PUT', `/${job.id}/batches`, { csv });
      await t.bulkRequest('PATCH', `/${job.id}`, { json: { state: 'UploadComplete' } });
    } catch (error) {
      // Not uploaded or not closed: abort it so it does not sit open in the org (best effort).
      await t.bulkRequest('PATCH', `/${job.id}`, { json: { state: 'Aborted' } }).catch(() => undefined);
      throw error;
    }
    const info = await this.#poll(spec, job.id, options);
    options.onJob?.({
      id: job.id,
      object: spec.object,
      state: info.state,
      records: keys.size,
      processed: info.numberRecordsProcessed ?? 0,
      failed: info.numberRecordsFailed ?? 0,
    });

    const outcomes = new Map<number, BulkRecordOutcome>();
    if ((info.numberRecordsFailed ?? 0) > 0) {
      for (const row of parseCsv(await t.bulkRequest('GET', `/${job.id}/failedResults`, undefined, 'csv'))) {
        const index = keys.get(keyOf(keyColumn, row[keyColumn] ?? ''));
        if (index === undefined) continue;
        const { code, message } = parseBulkError(row['sf__Error'] ?? '');
        outcomes.set(index, {
          ok: false,
          id: null,
          created: null,
          error: { code, message, transient: this.#transientCodes.has(code) },
        });
      }
    }
    const complete = info.state === 'JobComplete';
    if (options.wantIds || !complete) {
      for (const row of parseCsv(
        await t.bulkRequest('GET', `/${job.id}/successfulResults`, undefined, 'csv'),
      )) {
        const index = keys.get(keyOf(keyColumn, row[keyColumn] ?? ''));
        if (index === undefined) continue;
        outcomes.set(index, {
          ok: true,
          id: row['sf__Id'] || null,
          created: row['sf__Created'] === undefined ? null : row['sf__Created'] === 'true',
          error: null,
        });
      }
    }
    // The rest: saved (a complete job whose successes were not fetched), or never processed (a failed job).
    const invalid = /^InvalidBatch/i.test(info.errorMessage ?? '');
    for (const index of keys.values()) {
      if (outcomes.has(index)) continue;
      outcomes.set(
        index,
        complete
          ? { ok: true, id: null, created: null, error: null }
          : {
              ok: false,
              id: null,
              created: null,
              error: {
                code: invalid ? 'INVALID_BATCH' : 'BULK_JOB_' + info.state.toUpperCase(),
                message: `Bulk API job ${job.id} ended ${info.state} before this record: ${info.errorMessage ?? 'no reason given'}`,
                // A header the org refuses will be refused again; anything else is worth another try.
                transient: !invalid,
              },
            },
      );
    }
    return outcomes;
  }

  async #poll(spec: BulkJobSpec, id: string, options: BulkIngestOptions): Promise<JobInfo> {
    const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    let wait = options.pollMs ?? DEFAULTS.pollMs;
    for (;;) {
      await sleep(wait);
      const info = await this.#transport.bulkRequest<JobInfo>('GET', `/${id}`);
      if (TERMINAL.has(info.state)) return info;
      if (Date.now() >= deadline) {
        await this.#transport
          .bulkRequest('PATCH', `/${id}`, { json: { state: 'Aborted' } })
          .catch(() => undefined);
        throw new AppError(
          'unavailable',
          `the org's Bulk API job ${id} (${spec.object}) did not finish within ${Math.round(timeoutMs / 1000)} s; it was aborted`,
          {
            hint: 'The sync writes these records again later (upserts: nothing is written twice). Setup > Bulk Data Load Jobs shows what holds the org up.',
          },
        );
      }
      wait = Math.min(options.maxPollMs ?? DEFAULTS.maxPollMs, wait * 1.5);
    }
  }
}
