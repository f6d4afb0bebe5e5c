/**
 * Customer value, kept: every `intervalMs` (default an hour, `CUSTOMER_VALUE_REFRESH_MINUTES`) and on demand
 * (`refreshNow`, `POST /api/customer-value/refresh`), read the org (customer-value-store.ts), compute every
 * value (scoring/customer-value.ts) and write only the Contacts and Accounts whose value changed. Started,
 * stopped and shown on `/api/status` like the breach sweep; one run at a time (a refresh during a run waits
 * for it and runs again). The last values stay in memory for routing (`valueOf`).
 */
import type { Logger } from '../observability/logger.ts';
import {
  computeCustomerValues,
  type CustomerValueOptions,
  type CustomerValues,
  type PersonValue,
} from '../scoring/customer-value.ts';
import type {
  SalesforceCustomerValueStore,
  StoredValue,
  ValueWrite,
} from '../salesforce/customer-value-store.ts';

export interface CustomerValueJobDeps {
  store: Pick<SalesforceCustomerValueStore, 'read' | 'write' | 'calls'>;
  logger: Logger;
  options?: CustomerValueOptions;
  /** Between runs; default an hour. */
  intervalMs?: number;
  now?: () => Date;
}

export interface CustomerValueRun {
  at: string;
  durationMs: number;
  currency: string | null;
  contacts: number;
  accounts: number;
  written: number;
  unchanged: number;
  failed: number;
  /** Queries and composite calls the run started. */
  apiCalls: number;
}

export interface CustomerValueJobState {
  running: boolean;
  intervalMinutes: number;
  lastRun: CustomerValueRun | null;
  lastError: string | null;
  /** What to do about `lastError` or the failures. */
  hint: string | null;
  /** Records the last run could not write (up to 20). */
  failures: { type: string; id: string; error: string }[];
}

const same = (a: number | null, b: number | null): boolean =>
  a === b || (a !== null && b !== null && Math.abs(a - b) < 0.005);

function changed(stored: StoredValue | undefined, next: StoredValue): boolean {
  return (
    !stored ||
    !same(stored.Social_Customer_Value__c, next.Social_Customer_Value__c) ||
    !same(stored.Social_Lifetime_Value__c, next.Social_Lifetime_Value__c) ||
    !same(stored.Social_Referral_Value__c, next.Social_Referral_Value__c)
  );
}

function hintFor(message: string): string {
  if (/INVALID_FIELD|No such column|INVALID_TYPE/i.test(message)) {
    return 'deploy the package (sf social setup): the org lacks a customer value field, or CUSTOMER_VALUE_FIELD names a field it does not have';
  }
  if (/FIELD_NOT_UPDATEABLE|INSUFFICIENT_ACCESS|FIELD_INTEGRITY/i.test(message)) {
    return 'give the integration user edit access to Social_Customer_Value__c, Social_Lifetime_Value__c and Social_Referral_Value__c (permission set Social_CRM_Admin)';
  }
  return 'check the org is reachable (/readyz); the job runs again at its next interval or on POST /api/customer-value/refresh';
}

export class CustomerValueJob {
  readonly #deps: CustomerValueJobDeps;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<CustomerValueRun> | null = null;
  #stopped = false;
  #values: CustomerValues | null = null;
  readonly #state: CustomerValueJobState;

  constructor(deps: CustomerValueJobDeps) {
    this.#deps = deps;
    this.#intervalMs = deps.intervalMs ?? 3_600_000;
    this.#state = {
      running: false,
      intervalMinutes: Math.round((this.#intervalMs / 60_000) * 100) / 100,
      lastRun: null,
      lastError: null,
      hint: null,
      failures: [],
    };
  }

  get state(): CustomerValueJobState {
    return { ...this.#state, failures: [...this.#state.failures] };
  }

  /** A Contact's value as of the last run, or null (not computed, not a Contact with social activity). */
  valueOf(contactId: string | null | undefined): PersonValue | null {
    if (!contactId) return null;
    return this.#values?.people.get(contactId) ?? this.#values?.people.get(contactId.slice(0, 15)) ?? null;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  /** One run now (after the one under way, if any). Resolves with its result; rejects with its error. */
  async refreshNow(): Promise<CustomerValueRun> {
    while (this.#running) await this.#running.catch(() => undefined);
    const run = this.#run();
    this.#running = run;
    try {
      return await run;
    } finally {
      if (this.#running === run) this.#running = null;
    }
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.refreshNow()
        .catch(() => undefined)
        .finally(() => this.#schedule(this.#intervalMs));
    }, ms);
    this.#timer.unref();
  }

  async #run(): Promise<CustomerValueRun> {
    const { store, logger, options = {} } = this.#deps;
    const started = this.#deps.now?.() ?? new Date();
    const callsBefore = store.calls;
    this.#state.running = true;
    try {
      const inputs = await store.read(started, options.windowDays ?? 180);
      const values = computeCustomerValues(
        inputs.people,
        inputs.accountLifetime,
        inputs.engagements,
        inputs.deals,
        options,
      );
      const writes: ValueWrite[] = [];
      const fields = (v: { total: number; lifetime: number; referral: number }): StoredValue => ({
        Social_Customer_Value__c: v.total,
        Social_Lifetime_Value__c: v.lifetime,
        Social_Referral_Value__c: v.referral,
      });
      for (const [id, v] of values.people) {
        if (changed(inputs.stored.get(id), fields(v)))
          writes.push({ type: 'Contact', id, fields: fields(v) });
      }
      for (const [id, v] of values.accounts) {
        // Only Accounts of people with social activity are valued (their lifetime sums were read).
        if (!inputs.stored.has(id)) continue;
        if (changed(inputs.stored.get(id), fields(v)))
          writes.push({ type: 'Account', id, fields: fields(v) });
      }
      const outcome = await store.write(writes);
      this.#values = values;
      const finished = this.#deps.now?.() ?? new Date();
      const accounts = [...values.accounts.keys()].filter((id) => inputs.stored.has(id)).length;
      const run: CustomerValueRun = {
        at: started.toISOString(),
        durationMs: Math.max(0, finished.getTime() - started.getTime()),
        currency: inputs.currency,
        contacts: values.people.size,
        accounts,
        written: outcome.written,
        unchanged: values.people.size + accounts - writes.length,
        failed: outcome.failures.length,
        apiCalls: store.calls - callsBefore,
      };
      this.#state.lastRun = run;
      this.#state.failures = outcome.failures.slice(0, 20);
      const firstFailure = outcome.failures[0];
      this.#state.lastError = firstFailure
        ? `${outcome.failures.length} record(s) could not be written, e.g. ${firstFailure.type} ${firstFailure.id}: ${firstFailure.error}`
        : null;
      this.#state.hint = firstFailure ? hintFor(firstFailure.error) : null;
      logger.info(
        {
          contacts: run.contacts,
          accounts,
          written: run.written,
          failed: run.failed,
          apiCalls: run.apiCalls,
        },
        'customer values refreshed',
      );
      return run;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#state.lastError = message;
      this.#state.hint = hintFor(message);
      logger.warn({ err: error }, 'customer values could not be refreshed');
      throw error;
    } finally {
      this.#state.running = false;
    }
  }
}
