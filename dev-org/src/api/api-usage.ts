/**
 * The org's daily API request allowance: every REST call counts one (a composite or collection request
 * counts once, as in Salesforce), every response carries `Sforce-Limit-Info: api-usage=used/max`, and a
 * spent allowance answers 403 REQUEST_LIMIT_EXCEEDED until the next UTC day or a reset.
 */
import { SalesforceError } from '../errors.ts';

export class ApiUsage {
  #limit: number;
  #used = 0;
  #day: string;
  readonly #now: () => Date;

  constructor(limit: number, now: () => Date = () => new Date()) {
    this.#limit = limit;
    this.#now = now;
    this.#day = this.#today();
  }

  get used(): number {
    this.#rollOver();
    return this.#used;
  }

  get limit(): number {
    return this.#limit;
  }

  setLimit(limit: number): void {
    this.#limit = limit;
  }

  /** Uses up what remains of today's allowance, as if other integrations had spent it. */
  exhaust(): void {
    this.#rollOver();
    this.#used = Math.max(this.#used, this.#limit);
  }

  reset(): void {
    this.#used = 0;
  }

  /** Counts one request; throws REQUEST_LIMIT_EXCEEDED when the allowance is spent. */
  consume(): void {
    this.#rollOver();
    if (this.#used >= this.#limit) {
      throw new SalesforceError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    this.#used += 1;
  }

  header(): string {
    return `api-usage=${this.used}/${this.#limit}`;
  }

  limitsBody(): Record<string, { Max: number; Remaining: number }> {
    const remaining = Math.max(0, this.#limit - this.used);
    return {
      DailyApiRequests: { Max: this.#limit, Remaining: remaining },
      DailyAsyncApexExecutions: { Max: 250000, Remaining: 250000 },
      DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
      DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
      DailyStreamingApiEvents: { Max: 1000000, Remaining: 1000000 },
      DataStorageMB: { Max: 1024, Remaining: 1024 },
      FileStorageMB: { Max: 1024, Remaining: 1024 },
      HourlyPublishedPlatformEvents: { Max: 250000, Remaining: 250000 },
      SingleEmail: { Max: 5000, Remaining: 5000 },
    };
  }

  #today(): string {
    return this.#now().toISOString().slice(0, 10);
  }

  #rollOver(): void {
    const today = this.#today();
    if (today !== this.#day) {
      this.#day = today;
      this.#used = 0;
    }
  }
}
