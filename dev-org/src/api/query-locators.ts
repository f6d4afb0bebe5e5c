/**
 * Query result paging as Salesforce does it: the first batch carries `nextRecordsUrl`
 * (`/services/data/v62.0/query/01gDv...-2000`) while rows remain; each locator serves the next batch.
 */
import { SalesforceError } from '../errors.ts';

interface QueryResultLike {
  totalSize: number;
  records: Record<string, unknown>[];
}

interface Cursor {
  records: Record<string, unknown>[];
  totalSize: number;
  batchSize: number;
  lastUsed: number;
}

/** Open cursors older than this are dropped, as Salesforce expires idle query locators. */
const CURSOR_IDLE_MS = 15 * 60 * 1000;
const MAX_CURSORS = 500;

export class QueryLocators {
  readonly #cursors = new Map<string, Cursor>();
  #sequence = 0;

  first(result: QueryResultLike, batchSize: number, apiPath: string): Record<string, unknown> {
    return this.#page(
      { records: result.records, totalSize: result.totalSize, batchSize, lastUsed: Date.now() },
      0,
      apiPath,
    );
  }

  next(locator: string, apiPath: string): Record<string, unknown> {
    this.#expire();
    const match = /^(.+)-(\d+)$/.exec(locator);
    const cursor = match ? this.#cursors.get(match[1]!) : undefined;
    if (!match || !cursor) {
      throw new SalesforceError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    cursor.lastUsed = Date.now();
    return this.#page(cursor, Number(match[2]), apiPath, match[1]);
  }

  #page(cursor: Cursor, offset: number, apiPath: string, existingId?: string): Record<string, unknown> {
    const end = offset + cursor.batchSize;
    const records = cursor.records.slice(offset, end);
    const done = end >= cursor.records.length;
    const page: Record<string, unknown> = { totalSize: cursor.totalSize, done, records };
    if (!done) {
      const id = existingId ?? this.#open(cursor);
      page['nextRecordsUrl'] = `${apiPath}/query/${id}-${end}`;
    } else if (existingId) {
      this.#cursors.delete(existingId);
    }
    return page;
  }

  #open(cursor: Cursor): string {
    this.#expire();
    this.#sequence += 1;
    const id = `01gDv${String(this.#sequence).padStart(10, '0')}AAA`;
    this.#cursors.set(id, cursor);
    if (this.#cursors.size > MAX_CURSORS) {
      const oldest = this.#cursors.keys().next().value;
      if (oldest !== undefined) this.#cursors.delete(oldest);
    }
    return id;
  }

  #expire(): void {
    const cutoff = Date.now() - CURSOR_IDLE_MS;
    for (const [id, cursor] of this.#cursors) if (cursor.lastUsed < cutoff) this.#cursors.delete(id);
  }
}
