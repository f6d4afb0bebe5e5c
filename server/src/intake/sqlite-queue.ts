/**
 * The durable intake on one SQLite file (Node's built-in `node:sqlite`): the mention queue and the
 * connectors' cursors.
 *
 * Tables
 * - `items`: mentions waiting or in flight. `seq` (AUTOINCREMENT, so never reused, not even after the
 *   table empties) is the arrival order; `key` is `<network>:<post id>`, `ordering_key` is
 *   `<network>:<author id>`; `mention` is the JSON of the validated Mention. `available_at` is when the
 *   row may next be claimed: the enqueue time, a retry's backoff, or the lease's end while claimed
 *   (`leased_until`, kept apart only so that stats can tell what is in flight). `attempts` counts
 *   claims. `is_head` marks the one row per ordering key that may be handed out: the lowest unfinished
 *   seq of its author. Only heads are claimable, so a partial index over heads makes a claim cost
 *   O(limit · log n) whatever the backlog, and per-author order plus "one at a time per author" hold by
 *   construction. When a head is completed or dead-lettered, the author's next row becomes head.
 * - `dead_letters`: mentions that failed for good (or ran out of attempts), with the reason. They keep
 *   their seq, so a redrive puts them back at their original place in their author's order.
 * - `seen`: every key ever accepted, for dedupe; one short row per key (WITHOUT ROWID). A key is
 *   forgotten only `dedupeRetentionMs` (30 days) after it was last accepted or completed and only when
 *   it is neither queued nor dead-lettered; pruning is lazy and bounded, done inside enqueue.
 * - `cursors`: connector state (poll cursors, stream positions), key → value.
 *
 * Guarantees
 * - enqueue resolves only after its one transaction is committed with `synchronous=FULL` in WAL mode:
 *   an acknowledged webhook survives kill -9 and power loss. Other writes run with `synchronous=NORMAL`
 *   (in WAL still atomic and consistent; a power cut may forget the last few of them, which only means
 *   a mention is delivered again — CRM writes are idempotent upserts).
 * - Write transactions are `BEGIN IMMEDIATE` with a busy timeout, so several processes may share the file;
 *   a claim reads and leases in one such transaction, so two instances never hold the same item.
 * - A lease that runs out (the worker crashed or hung) makes the item claimable again. An item claimed
 *   `maxAttempts` times without ever finishing is dead-lettered instead of being handed out again, so a
 *   mention that kills its worker cannot loop forever.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import { Mention, mentionExternalId, personaExternalId } from '../domain/mention.ts';
import type {
  CursorStore,
  DeadLetter,
  EnqueueResult,
  MentionQueue,
  QueuedMention,
  QueueStats,
} from './mention-queue.ts';

export interface BackoffOptions {
  /** First retry waits up to this long (full jitter: a uniform random share of it). Default 500 ms. */
  baseMs: number;
  /** Cap of the backoff window. Default 5 minutes. */
  maxMs: number;
  /** Deliveries (claims) before a failing item goes to the dead letters. Default 12. */
  maxAttempts: number;
}

export interface IntakeStoreOptions {
  /** Database file (its folder is created), or `':memory:'` for tests. */
  path: string;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Uniform in [0, 1), for backoff jitter. Default `Math.random`. */
  random?: () => number;
  backoff?: Partial<BackoffOptions>;
  /** How long a finished key is remembered for dedupe. Default 30 days. */
  dedupeRetentionMs?: number;
  /** How long a write waits for another process's lock before failing. Default 5 s. */
  busyTimeoutMs?: number;
}

export interface IntakeStore {
  queue: SqliteMentionQueue;
  cursors: SqliteCursorStore;
  /** Closes the database (idempotent); `queue.close()` does the same. */
  close(): Promise<void>;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = { baseMs: 500, maxMs: 5 * 60_000, maxAttempts: 12 };
export const DEFAULT_DEDUPE_RETENTION_MS = 30 * 24 * 60 * 60_000;
const SCHEMA_VERSION = 1;
/** Lazy pruning of `seen`: at most once per interval, at most this many keys per enqueue. */
const PRUNE_INTERVAL_MS = 60 * 60_000;
const PRUNE_BATCH = 5_000;
const DEFAULT_DEAD_LETTER_LIST = 100;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS items (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  key          TEXT    NOT NULL UNIQUE,
  ordering_key TEXT    NOT NULL,
  mention      TEXT    NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  enqueued_at  INTEGER NOT NULL,
  available_at INTEGER NOT NULL,
  leased_until INTEGER,
  last_error   TEXT,
  is_head      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS items_ready ON items (seq, available_at) WHERE is_head = 1;
CREATE INDEX IF NOT EXISTS items_by_author ON items (ordering_key, seq);
CREATE INDEX IF NOT EXISTS items_enqueued ON items (enqueued_at);
CREATE INDEX IF NOT EXISTS items_leased ON items (leased_until) WHERE leased_until IS NOT NULL;
CREATE TABLE IF NOT EXISTS dead_letters (
  seq          INTEGER PRIMARY KEY,
  key          TEXT    NOT NULL UNIQUE,
  ordering_key TEXT    NOT NULL,
  mention      TEXT    NOT NULL,
  reason       TEXT    NOT NULL,
  attempts     INTEGER NOT NULL,
  enqueued_at  INTEGER NOT NULL,
  failed_at    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS seen (
  key     TEXT    PRIMARY KEY,
  seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_by_age ON seen (seen_at);
CREATE TABLE IF NOT EXISTS cursors (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

interface ItemRow {
  seq: number;
  key: string;
  ordering_key: string;
  mention: string;
  attempts: number;
  enqueued_at: number;
  last_error: string | null;
}

interface DeadLetterRow {
  seq: number;
  key: string;
  mention: string;
  reason: string;
  attempts: number;
  failed_at: number;
}

/** The connection and statements shared by the queue and the cursor store. */
class IntakeDb {
  readonly db: DatabaseSync;
  readonly now: () => number;
  #closed = false;
  readonly #statements = new Map<string, StatementSync>();

  constructor(path: string, now: () => number, busyTimeoutMs: number) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.now = now;
    this.db = new DatabaseSync(path, { timeout: busyTimeoutMs });
    try {
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = NORMAL');
      this.transaction(() => {
        const version = Number(this.get<{ user_version: number }>('PRAGMA user_version')?.user_version ?? 0);
        if (version > SCHEMA_VERSION) {
          throw new Error(
            `intake store ${path} has schema version ${version}; this server understands up to ${SCHEMA_VERSION}`,
          );
        }
        this.db.exec(SCHEMA);
        this.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      });
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  run(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.statement(sql).run(...params).changes);
  }

  /**
   * One `BEGIN IMMEDIATE` transaction: takes the write lock up front (waiting up to the busy timeout),
   * so a read-then-write inside it cannot be interleaved with another process's writes.
   * `durable` commits with synchronous=FULL (fsync of the WAL at commit).
   */
  transaction<T>(work: () => T, durable = false): T {
    this.assertOpen();
    if (durable) this.db.exec('PRAGMA synchronous = FULL');
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      if (durable) this.db.exec('PRAGMA synchronous = NORMAL');
    }
  }

  assertOpen(): void {
    if (this.#closed) throw new Error('the intake store is closed');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    this.db.close();
  }
}

export class SqliteMentionQueue implements MentionQueue {
  readonly #store: IntakeDb;
  readonly #random: () => number;
  readonly #backoff: BackoffOptions;
  readonly #retentionMs: number;
  #nextPruneAt = 0;

  /** Use `openIntakeStore`; the constructor is not a public entry point. */
  constructor(store: IntakeDb, random: () => number, backoff: BackoffOptions, retentionMs: number) {
    this.#store = store;
    this.#random = random;
    this.#backoff = backoff;
    this.#retentionMs = retentionMs;
  }

  async enqueue(mentions: readonly Mention[]): Promise<EnqueueResult> {
    // Validate before touching the file: what is stored is always a valid Mention, and the JSON
    // round trip cannot fail later (a bigint or a cycle in `raw` throws here, before the webhook is acked).
    const rows = mentions.map((input) => {
      const mention = Mention.parse(input);
      return {
        key: mentionExternalId(mention),
        orderingKey: personaExternalId(mention),
        json: JSON.stringify(mention),
      };
    });
    const db = this.#store;
    const now = db.now();
    return db.transaction(() => {
      this.#pruneSeen(now);
      let accepted = 0;
      for (const row of rows) {
        // The seen row is the dedupe: a key already there (from this batch or any earlier one) is dropped.
        if (db.run('INSERT OR IGNORE INTO seen (key, seen_at) VALUES (?, ?)', row.key, now) === 0) continue;
        const hasHead = db.get(
          'SELECT 1 AS x FROM items WHERE ordering_key = ? AND is_head = 1',
          row.orderingKey,
        );
        db.run(
          `INSERT INTO items (key, ordering_key, mention, enqueued_at, available_at, is_head)
           VALUES (?, ?, ?, ?, ?, ?)`,
          row.key,
          row.orderingKey,
          row.json,
          now,
          now,
          hasHead ? 0 : 1,
        );
        accepted += 1;
      }
      return { accepted, duplicates: rows.length - accepted };
    }, true);
  }

  async claim(limit: number, leaseMs: number): Promise<QueuedMention[]> {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer`);
    if (!(leaseMs > 0) || !Number.isFinite(leaseMs))
      throw new RangeError('leaseMs must be a positive number');
    if (limit === 0) return [];
    const db = this.#store;
    const now = db.now();
    const leaseEnd = now + Math.ceil(leaseMs);
    return db.transaction(() => {
      const claimed: QueuedMention[] = [];
      while (claimed.length < limit) {
        const candidates = db.all<ItemRow>(
          `SELECT seq, key, ordering_key, mention, attempts, enqueued_at, last_error FROM items
           WHERE is_head = 1 AND available_at <= ? ORDER BY seq LIMIT ?`,
          now,
          limit - claimed.length,
        );
        if (candidates.length === 0) break;
        // Dead-lettering a head promotes its author's next item, which may be ready now: look again.
        let promoted = false;
        for (const row of candidates) {
          if (row.attempts >= this.#backoff.maxAttempts) {
            const last = row.last_error ? `; last error: ${row.last_error}` : '';
            this.#moveToDeadLetters(row, `lease expired after ${row.attempts} deliveries${last}`, now);
            promoted = true;
            continue;
          }
          const parsed = Mention.safeParse(safeJson(row.mention));
          if (!parsed.success) {
            this.#moveToDeadLetters(
              row,
              `stored mention is not a valid Mention: ${parsed.error.message}`,
              now,
            );
            promoted = true;
            continue;
          }
          db.run(
            'UPDATE items SET attempts = attempts + 1, available_at = ?, leased_until = ? WHERE seq = ?',
            leaseEnd,
            leaseEnd,
            row.seq,
          );
          claimed.push({
            seq: row.seq,
            key: row.key,
            orderingKey: row.ordering_key,
            mention: parsed.data,
            attempts: row.attempts,
            enqueuedAt: new Date(row.enqueued_at),
          });
        }
        if (!promoted) break;
      }
      return claimed;
    });
  }

  async complete(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return;
    const db = this.#store;
    const now = db.now();
    db.transaction(() => {
      for (const seq of seqs) {
        const row = db.get<{ key: string; ordering_key: string; is_head: number }>(
          'SELECT key, ordering_key, is_head FROM items WHERE seq = ?',
          seq,
        );
        if (!row) continue; // already completed (e.g. by another instance after our lease ran out)
        db.run('DELETE FROM items WHERE seq = ?', seq);
        // Retention counts from when the work was done, not from arrival.
        db.run('UPDATE seen SET seen_at = ? WHERE key = ?', now, row.key);
        if (row.is_head) this.#promoteHead(row.ordering_key);
      }
    });
  }

  async retry(seq: number, error: string, delayMs?: number): Promise<void> {
    if (delayMs !== undefined && !Number.isFinite(delayMs))
      throw new RangeError('delayMs must be a finite number');
    const db = this.#store;
    const now = db.now();
    db.transaction(() => {
      const row = db.get<ItemRow>(
        'SELECT seq, key, ordering_key, mention, attempts, enqueued_at, last_error FROM items WHERE seq = ?',
        seq,
      );
      if (!row) return;
      if (row.attempts >= this.#backoff.maxAttempts) {
        this.#moveToDeadLetters(row, error, now);
        return;
      }
      const delay = delayMs ?? this.backoffDelay(row.attempts);
      db.run(
        'UPDATE items SET available_at = ?, leased_until = NULL, last_error = ? WHERE seq = ?',
        now + Math.max(0, Math.ceil(delay)),
        error,
        seq,
      );
    });
  }

  async release(seqs: readonly number[], delayMs: number): Promise<void> {
    if (!Number.isFinite(delayMs)) throw new RangeError('delayMs must be a finite number');
    const db = this.#store;
    const now = db.now();
    db.transaction(() => {
      for (const seq of seqs) {
        db.run(
          'UPDATE items SET available_at = ?, leased_until = NULL, attempts = MAX(0, attempts - 1) WHERE seq = ?',
          now + Math.max(0, Math.ceil(delayMs)),
          seq,
        );
      }
    });
  }

  /**
   * Full-jitter exponential backoff for the retry after the `deliveries`-th delivery:
   * `random() * min(maxMs, baseMs * 2^(deliveries - 1))` — the first retry waits up to `baseMs`.
   */
  backoffDelay(deliveries: number): number {
    const { baseMs, maxMs } = this.#backoff;
    const exponent = Math.max(0, deliveries - 1);
    return this.#random() * Math.min(maxMs, baseMs * 2 ** exponent);
  }

  async deadLetter(seq: number, reason: string): Promise<void> {
    const db = this.#store;
    const now = db.now();
    db.transaction(() => {
      const row = db.get<ItemRow>(
        'SELECT seq, key, ordering_key, mention, attempts, enqueued_at, last_error FROM items WHERE seq = ?',
        seq,
      );
      if (row) this.#moveToDeadLetters(row, reason, now);
    });
  }

  /** Oldest (lowest seq) first. */
  async listDeadLetters(limit = DEFAULT_DEAD_LETTER_LIST): Promise<DeadLetter[]> {
    this.#store.assertOpen();
    const rows = this.#store.all<DeadLetterRow>(
      'SELECT seq, key, mention, reason, attempts, failed_at FROM dead_letters ORDER BY seq LIMIT ?',
      Math.max(0, Math.trunc(limit)),
    );
    return rows.map((row) => {
      const stored = safeJson(row.mention);
      const parsed = Mention.safeParse(stored);
      return {
        seq: row.seq,
        key: row.key,
        // A dead letter that no longer parses is exactly the one an operator must see (its reason says
        // why); hiding it or failing the whole list would be worse than handing back the stored JSON.
        mention: parsed.success ? parsed.data : (stored as Mention),
        reason: row.reason,
        attempts: row.attempts,
        failedAt: new Date(row.failed_at),
      };
    });
  }

  async redrive(seqs?: readonly number[]): Promise<number> {
    const db = this.#store;
    const now = db.now();
    return db.transaction(() => {
      const rows =
        seqs === undefined
          ? db.all<{ seq: number }>('SELECT seq FROM dead_letters ORDER BY seq')
          : seqs.map((seq) => ({ seq }));
      let moved = 0;
      for (const { seq } of rows) {
        const row = db.get<{ key: string; ordering_key: string; mention: string; enqueued_at: number }>(
          'SELECT key, ordering_key, mention, enqueued_at FROM dead_letters WHERE seq = ?',
          seq,
        );
        if (!row) continue;
        db.run('DELETE FROM dead_letters WHERE seq = ?', seq);
        db.run(
          `INSERT INTO items (seq, key, ordering_key, mention, attempts, enqueued_at, available_at, is_head)
           VALUES (?, ?, ?, ?, 0, ?, ?, 0)`,
          seq,
          row.key,
          row.ordering_key,
          row.mention,
          row.enqueued_at,
          now,
        );
        this.#placeRedriven(seq, row.ordering_key, now);
        moved += 1;
      }
      return moved;
    });
  }

  async stats(): Promise<QueueStats> {
    const db = this.#store;
    db.assertOpen();
    const now = db.now();
    const depth = db.get<{ n: number }>('SELECT COUNT(*) AS n FROM items')?.n ?? 0;
    const inFlight =
      db.get<{ n: number }>('SELECT COUNT(*) AS n FROM items WHERE leased_until > ?', now)?.n ?? 0;
    const deadLetters = db.get<{ n: number }>('SELECT COUNT(*) AS n FROM dead_letters')?.n ?? 0;
    const oldest = db.get<{ t: number | null }>('SELECT MIN(enqueued_at) AS t FROM items')?.t ?? null;
    return {
      depth,
      inFlight,
      deadLetters,
      oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000),
    };
  }

  async close(): Promise<void> {
    this.#store.close();
  }

  #moveToDeadLetters(row: ItemRow, reason: string, now: number): void {
    const db = this.#store;
    const isHead = db.get<{ is_head: number }>('SELECT is_head FROM items WHERE seq = ?', row.seq)?.is_head;
    db.run('DELETE FROM items WHERE seq = ?', row.seq);
    db.run(
      `INSERT INTO dead_letters (seq, key, ordering_key, mention, reason, attempts, enqueued_at, failed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      row.seq,
      row.key,
      row.ordering_key,
      row.mention,
      reason,
      row.attempts,
      row.enqueued_at,
      now,
    );
    if (isHead) this.#promoteHead(row.ordering_key);
  }

  /** The author's lowest remaining seq becomes head (called when the head left). */
  #promoteHead(orderingKey: string): void {
    this.#store.run(
      `UPDATE items SET is_head = 1
       WHERE seq = (SELECT MIN(seq) FROM items WHERE ordering_key = ?)`,
      orderingKey,
    );
  }

  /**
   * A redriven item goes back to its original place in its author's order. It becomes head when the
   * author has none, or takes over from a later head that is not in flight; a head in flight keeps its
   * lease (never two of one author at once), and the redriven item is next when it finishes.
   */
  #placeRedriven(seq: number, orderingKey: string, now: number): void {
    const db = this.#store;
    const head = db.get<{ seq: number; leased_until: number | null }>(
      'SELECT seq, leased_until FROM items WHERE ordering_key = ? AND is_head = 1',
      orderingKey,
    );
    if (head && (head.seq < seq || (head.leased_until !== null && head.leased_until > now))) return;
    if (head) db.run('UPDATE items SET is_head = 0 WHERE seq = ?', head.seq);
    db.run('UPDATE items SET is_head = 1 WHERE seq = ?', seq);
  }

  /** Forgets old finished keys: bounded per call, at most once per interval unless there was more to do. */
  #pruneSeen(now: number): void {
    if (now < this.#nextPruneAt) return;
    const removed = this.#store.run(
      `DELETE FROM seen WHERE key IN (
         SELECT s.key FROM seen s
         WHERE s.seen_at < ?
           AND NOT EXISTS (SELECT 1 FROM items i WHERE i.key = s.key)
           AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.key = s.key)
         LIMIT ?)`,
      now - this.#retentionMs,
      PRUNE_BATCH,
    );
    this.#nextPruneAt = removed === PRUNE_BATCH ? now : now + PRUNE_INTERVAL_MS;
  }
}

export class SqliteCursorStore implements CursorStore {
  readonly #store: IntakeDb;

  /** Use `openIntakeStore`; the constructor is not a public entry point. */
  constructor(store: IntakeDb) {
    this.#store = store;
  }

  async get(key: string): Promise<string | null> {
    this.#store.assertOpen();
    return this.#store.get<{ value: string }>('SELECT value FROM cursors WHERE key = ?', key)?.value ?? null;
  }

  /** Durable when resolved, like an enqueue: a connector that saved a cursor does not fetch behind it. */
  async set(key: string, value: string): Promise<void> {
    const store = this.#store;
    store.transaction(() => {
      store.run(
        `INSERT INTO cursors (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        key,
        value,
        store.now(),
      );
    }, true);
  }
}

/** Opens (creating if needed) the intake database and returns the queue and cursor store on it. */
export function openIntakeStore(options: IntakeStoreOptions): IntakeStore {
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
  if (!(backoff.baseMs > 0) || !(backoff.maxMs >= backoff.baseMs)) {
    throw new RangeError('backoff needs 0 < baseMs <= maxMs');
  }
  if (!Number.isInteger(backoff.maxAttempts) || backoff.maxAttempts < 1) {
    throw new RangeError('backoff.maxAttempts must be a positive integer');
  }
  const store = new IntakeDb(options.path, options.now ?? Date.now, options.busyTimeoutMs ?? 5_000);
  const queue = new SqliteMentionQueue(
    store,
    options.random ?? Math.random,
    backoff,
    options.dedupeRetentionMs ?? DEFAULT_DEDUPE_RETENTION_MS,
  );
  return {
    queue,
    cursors: new SqliteCursorStore(store),
    close: async () => store.close(),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
