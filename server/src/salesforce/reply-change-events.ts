/**
 * The fast path for replies written elsewhere (the Lightning panel creates them with the agent's own
 * permissions): the org's change events on `Social_Post__c` (Change Data Capture over the Streaming
 * API) tell the dispatcher at once that a reply is due. The poll stays as the safety net (events are
 * not replayed after this server was away).
 */
import type { Logger } from '../observability/logger.ts';
import type { ReplyNotice } from '../replies/reply-dispatcher.ts';
import type { SalesforceGateway } from './gateway.ts';

export const REPLY_CHANNEL = '/data/Social_Post__ChangeEvent';

/** Statuses after which the dispatcher has work: a new reply, an approval, a queued one due again. */
const DUE_AFTER = new Set(['Pending', 'Approved', 'Queued']);

interface ChangeEventMessage {
  payload?: {
    ChangeEventHeader?: { changeType?: string; changedFields?: string[]; recordIds?: string[] };
    Status__c?: unknown;
    Is_Outbound__c?: unknown;
  };
}

/** True when a change event means a reply may be due (not every write to a post). */
export function signalsDueReply(message: unknown): boolean {
  const payload = (message as ChangeEventMessage | null)?.payload;
  const header = payload?.ChangeEventHeader;
  if (!payload || !header) return false;
  const status = typeof payload.Status__c === 'string' ? payload.Status__c : null;
  if (header.changeType === 'CREATE')
    return payload.Is_Outbound__c === true && status !== null && DUE_AFTER.has(status);
  if (header.changeType === 'UPDATE') {
    return (header.changedFields ?? []).includes('Status__c') && status !== null && DUE_AFTER.has(status);
  }
  return false;
}

export interface ReplyChangeEventsOptions {
  gateway: SalesforceGateway;
  /** Called with the replies that became due, and the status that made them so. */
  onDue: (notices: readonly ReplyNotice[]) => void;
  /** Called with the Ids of every post created or changed in the org (an open inbox shows them live). */
  onChange?: (postIds: readonly string[]) => void;
  logger: Logger;
  /** Wait before subscribing again after the org refused the session or the stream failed. */
  retryMs?: number;
}

export class ReplyChangeEvents {
  readonly #options: ReplyChangeEventsOptions;
  #subscription: { cancel(): void } | null = null;
  #retry: NodeJS.Timeout | null = null;
  #stopped = true;
  #subscribed = false;
  #failed = false;

  constructor(options: ReplyChangeEventsOptions) {
    this.#options = options;
  }

  /** Whether the change-event stream is up (else replies written elsewhere wait for the poll). */
  get subscribed(): boolean {
    return this.#subscribed;
  }

  /** `connecting` until the first subscription answers; `off` after the org refused or the stream failed. */
  get state(): 'connecting' | 'on' | 'off' {
    return this.#subscribed ? 'on' : this.#failed ? 'off' : 'connecting';
  }

  start(): void {
    this.#stopped = false;
    this.#subscribe();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    this.#subscription?.cancel();
    this.#subscription = null;
    this.#subscribed = false;
  }

  #subscribe(): void {
    if (this.#stopped) return;
    const { gateway, logger } = this.#options;
    const subscription = gateway.subscribe(
      REPLY_CHANNEL,
      (message) => {
        const changed = (message as ChangeEventMessage | null)?.payload?.ChangeEventHeader?.recordIds;
        if (this.#options.onChange && Array.isArray(changed) && changed.length > 0) {
          this.#options.onChange(changed.filter((id): id is string => typeof id === 'string'));
        }
        if (signalsDueReply(message)) {
          const payload = (message as ChangeEventMessage).payload!;
          const status = String(payload.Status__c);
          const ids = payload.ChangeEventHeader?.recordIds ?? [];
          this.#options.onDue(ids.filter((id) => typeof id === 'string').map((id) => ({ id, status })));
        }
      },
      () => this.#again('the org refused the session for streaming'),
    );
    this.#subscription = subscription;
    subscription.ready.then(
      () => {
        this.#subscribed = true;
        this.#failed = false;
        logger.info({ channel: REPLY_CHANNEL }, 'listening to reply change events');
      },
      (error: unknown) => this.#again(error instanceof Error ? error.message : String(error)),
    );
  }

  #again(reason: string): void {
    this.#subscribed = false;
    this.#failed = true;
    this.#subscription?.cancel();
    this.#subscription = null;
    if (this.#stopped) return;
    this.#options.logger.warn(
      { reason },
      'reply change events are off for now; replies written in the org wait for the poll',
    );
    this.#retry = setTimeout(() => {
      // A query first lets the gateway renew an expired session before the stream uses it.
      void this.#options.gateway.ping().finally(() => this.#subscribe());
    }, this.#options.retryMs ?? 30_000);
    this.#retry.unref();
  }
}
