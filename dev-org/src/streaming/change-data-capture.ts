/**
 * Change Data Capture over the Streaming API, as Salesforce serves it: a Bayeux (CometD) endpoint at
 * `/cometd/<version>` (served by faye), bearer auth on the handshake, and one change event per committed
 * record change on `/data/<Object>ChangeEvent` (custom objects: `/data/Social_Post__ChangeEvent`) and
 * on `/data/ChangeEvents`, shaped as Salesforce sends them:
 *
 *   {"schema": "…", "payload": {"ChangeEventHeader": {"entityName", "recordIds", "changeType",
 *    "changedFields", "commitTimestamp", "commitUser", "transactionKey", "sequenceNumber", …}, <fields>},
 *    "event": {"replayId": n}}
 *
 * Replay: a subscriber receives the events after it subscribed (replay id -1). Retained events
 * (-2, or a stored replay id) are not re-delivered; a client that was away reads the org instead.
 */
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { BayeuxMessage, FayeServerModule } from './faye-server.ts';
import type { RecordChange, RecordStore } from '../store/record-store.ts';

export interface ChangeDataCaptureOptions {
  store: RecordStore;
  isValidSession: (token: string | undefined) => boolean;
  /** The user the changes are committed as (commitUser). */
  commitUser: () => string;
  /** Objects with change events (their `<Object>ChangeEvent` channels); all objects when omitted. */
  entities?: readonly string[];
  now?: () => Date;
}

export interface ChangeDataCapture {
  /** Events published so far (the last replay id). */
  readonly published: number;
  close(): void;
}

/** `Social_Post__c` → `Social_Post__ChangeEvent`, `Contact` → `ContactChangeEvent`. */
export function changeEventName(entity: string): string {
  return entity.endsWith('__c') ? `${entity.slice(0, -1)}ChangeEvent` : `${entity}ChangeEvent`;
}

function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return /^(?:Bearer|OAuth)\s+(.+)$/i.exec(value ?? '')?.[1]?.trim();
}

const faye = createRequire(import.meta.url)('faye') as FayeServerModule;

export function attachChangeDataCapture(
  server: Server,
  options: ChangeDataCaptureOptions,
): ChangeDataCapture {
  const now = options.now ?? (() => new Date());
  const bayeux = new faye.NodeAdapter({ mount: '/cometd', timeout: 25 });
  // Server-side publishes carry this token; clients can subscribe, never publish.
  const publishToken = randomBytes(16).toString('hex');
  const channels = new Set<string>(['/data/ChangeEvents']);
  const entities = options.entities ?? options.store.schema.objects().map((o) => o.name);
  for (const entity of entities) channels.add(`/data/${changeEventName(entity)}`);

  bayeux.addExtension({
    incoming(message, request, callback) {
      // The in-process publisher (bayeux.getClient()) comes without an HTTP request; every client does.
      const external = request !== undefined && request !== null;
      if (
        message.channel === '/meta/handshake' &&
        external &&
        !options.isValidSession(bearer(request?.headers.authorization))
      ) {
        message.error = '403::Handshake denied';
      } else if (message.channel === '/meta/subscribe') {
        const wanted = Array.isArray(message.subscription)
          ? message.subscription
          : [message.subscription ?? ''];
        const unknown = wanted.find((c) => !channels.has(c));
        if (unknown !== undefined) message.error = `403:${unknown}:Unknown channel`;
      } else if (!message.channel.startsWith('/meta/')) {
        if (message.ext?.['publishToken'] !== publishToken) message.error = '403::Publish not allowed';
        else delete message.ext['publishToken'];
      }
      callback(message);
    },
  });
  // Salesforce's refusal also says why, and tells the client not to retry with the same token.
  bayeux.addExtension({
    outgoing(message, _request, callback) {
      if (message.channel === '/meta/handshake' && message.error === '403::Handshake denied') {
        message.ext = { ...message.ext, sfdc: { failureReason: '401::Authentication invalid' } };
        message.advice = { reconnect: 'none' };
      }
      callback(message);
    },
  });
  bayeux.attach(server);

  // Events are built only while someone listens: a bulk load with no subscriber costs nothing extra.
  const subscribers = new Map<string, number>();
  bayeux.on('subscribe', (_clientId, channel) =>
    subscribers.set(channel, (subscribers.get(channel) ?? 0) + 1),
  );
  bayeux.on('unsubscribe', (_clientId, channel) =>
    subscribers.set(channel, Math.max(0, (subscribers.get(channel) ?? 0) - 1)),
  );
  const listened = (channel: string): boolean =>
    (subscribers.get(channel) ?? 0) > 0 || (subscribers.get('/data/ChangeEvents') ?? 0) > 0;

  let replayId = 0;
  let transaction = 0;
  const unsubscribe = options.store.onChange((changes: readonly RecordChange[]) => {
    if (![...subscribers.values()].some((n) => n > 0)) return;
    transaction += 1;
    const transactionKey = `${transaction.toString(16).padStart(8, '0')}-dev-org`;
    const commitTimestamp = now().getTime();
    changes.forEach((change, index) => {
      const channel = `/data/${changeEventName(change.entity)}`;
      if (!channels.has(channel) || !listened(channel)) return;
      let fields: Record<string, unknown> = {};
      if (change.changeType !== 'DELETE') {
        try {
          const names = change.changedFields.filter(
            (f) => !['Id', 'SystemModstamp', 'LastModifiedDate', 'LastModifiedById'].includes(f),
          );
          fields = names.length > 0 ? options.store.get(change.entity, change.recordId, '', names) : {};
          delete fields['attributes'];
        } catch {
          fields = {};
        }
      }
      replayId += 1;
      const data = {
        schema: `dev-org-${change.entity}`,
        payload: {
          ChangeEventHeader: {
            entityName: change.entity,
            recordIds: [change.recordId],
            changeType: change.changeType,
            changeOrigin: 'com/salesforce/api/rest/62.0',
            transactionKey,
            sequenceNumber: index + 1,
            commitTimestamp,
            commitNumber: replayId,
            commitUser: options.commitUser(),
            changedFields: change.changeType === 'UPDATE' ? change.changedFields : [],
            diffFields: [],
            nulledFields: [],
          },
          ...fields,
        },
        event: { replayId },
      };
      for (const target of [channel, '/data/ChangeEvents']) {
        bayeux.getClient().publish(target, data);
      }
    });
  });
  // Server-side publishes carry the token past the incoming check.
  const client = bayeux.getClient() as unknown as {
    addExtension(e: { outgoing(m: BayeuxMessage, cb: (m: BayeuxMessage) => void): void }): void;
  };
  client.addExtension({
    outgoing(message, callback) {
      if (!message.channel.startsWith('/meta/')) message.ext = { ...message.ext, publishToken };
      callback(message);
    },
  });

  return {
    get published() {
      return replayId;
    },
    close() {
      unsubscribe();
      bayeux.close();
    },
  };
}
