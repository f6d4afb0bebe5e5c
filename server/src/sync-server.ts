/**
 * The composition root: config in, a running sync server out. `main.ts` calls it for
 * `node server/src/main.ts`; the root start script and end-to-end tests can call it in-process.
 * Adapters are built here (Salesforce gateway, durable intake, connectors) and handed to the domain.
 */
import type { Express, Request, Router } from 'express';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { analyze } from './analysis/index.ts';
import { AppError } from './domain/errors.ts';
import type { Config } from './config.ts';
import { BlueskyConnector } from './connectors/bluesky/bluesky-connector.ts';
import type { ConnectorHealth, PullConnector } from './connectors/connector.ts';
import { MastodonConnector } from './connectors/mastodon/mastodon-connector.ts';
import { XMentionsPoller } from './connectors/x/x-poller.ts';
import { IntakeRejections, type RejectionLog } from './connectors/rejections.ts';
import { createApp } from './http/app.ts';
import { operatorAccess, operatorAccessWarning } from './http/operator-access.ts';
import { createAnalyzeRouter } from './http/routes/analyze.ts';
import { createInboxRouter } from './http/routes/inbox.ts';
import { createPersonsRouter } from './http/routes/persons.ts';
import { createRecordPageRouter } from './http/routes/record-page.ts';
import { createStatusRouter } from './http/routes/status.ts';
import { createMetaWebhookRouter } from './http/routes/webhooks-meta.ts';
import { createXWebhookRouter } from './http/routes/webhooks-x.ts';
import { startServer } from './http/server.ts';
import type { RunningServer } from './http/server.ts';
import { openIntakeStore, type IntakeStore } from './intake/sqlite-queue.ts';
import { silentLogger } from './observability/logger.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import type { Metrics } from './observability/metrics.ts';
import { isLoopbackHost, recordPageAccess, type AccessOptions } from './record-page/access.ts';
import { createRepliesRouter } from './http/routes/replies.ts';
import { MastodonReplySender } from './connectors/mastodon/mastodon-reply-sender.ts';
import { BlueskyReplySender } from './connectors/bluesky/bluesky-reply-sender.ts';
import { MetaReplySender } from './connectors/meta/meta-reply-sender.ts';
import { XReplySender } from './connectors/x/x-reply-sender.ts';
import type { Network } from './domain/mention.ts';
import type { ReplySender } from './replies/ports.ts';
import { Presence } from './replies/presence.ts';
import {
  ReplyDispatcher,
  type ReplyDispatcherDeps,
  type ReplyDispatcherOptions,
} from './replies/reply-dispatcher.ts';
import { ReplyService } from './replies/reply-service.ts';
import { SalesforceReplyStore } from './salesforce/reply-store.ts';
import { ReplyChangeEvents } from './salesforce/reply-change-events.ts';
import { RecordFeed } from './record-page/live-feed.ts';
import { InboxFeed } from './record-page/inbox-feed.ts';
import { BreachSweep } from './replies/breach-sweep.ts';
import { createCustomerValueRouter } from './http/routes/customer-value.ts';
import { SalesforceCustomerValueStore, parseLifetimeField } from './salesforce/customer-value-store.ts';
import { CustomerValueJob } from './sync/customer-value-job.ts';
import { SalesforceAuthorLinks } from './salesforce/author-links.ts';
import { OrgInboxRouting } from './salesforce/inbox-routing.ts';
import { SalesforceInboxStore } from './salesforce/inbox-store.ts';
import { CALLBACK_PATH, createOrgSignIn } from './record-page/org-sign-in.ts';
import { createOrgReadinessCheck } from './readiness/org-check.ts';
import type { ReadinessCheck } from './readiness/readiness.ts';
import type { BulkIngestOptions } from './salesforce/bulk-ingest.ts';
import { SalesforceCrmAdapter } from './salesforce/crm-adapter.ts';
import { SalesforceGateway } from './salesforce/gateway.ts';
import { SalesforceRecordReader } from './salesforce/record-reader.ts';
import { OrgPeople } from './sync/people.ts';
import { PeopleChangeEvents } from './salesforce/people-change-events.ts';
import { Relinker } from './salesforce/relink.ts';
import { PersonJoins } from './sync/person-joins.ts';
import { SalesforcePersonStore } from './salesforce/person-store.ts';
import { GatheringSink, QueueSink, ownAccounts } from './sync/queue-sink.ts';
import { StreamingScores } from './sync/scores.ts';
import {
  EngagementRefreshConfig,
  EngagementRefresher,
  type EngagementReader,
} from './sync/engagement-refresh.ts';
import { XEngagementReader } from './connectors/x/x-engagement.ts';
import { MastodonEngagementReader } from './connectors/mastodon/mastodon-engagement.ts';
import { BlueskyEngagementReader } from './connectors/bluesky/bluesky-engagement.ts';
import { SyncWorker, type SyncWorkerOptions } from './sync/sync-worker.ts';

export interface SyncServerOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Extra routers mounted after the built-in ones (tests, experiments). */
  routers?: readonly Router[];
  /** Extra readiness checks besides the org and the queue. */
  readinessChecks?: readonly ReadinessCheck[];
  drainTimeoutMs?: number;
  /** Where the intake queue lives; `${DATA_DIR}/intake.sqlite` by default. */
  intakePath?: string;
  /** Tuning of the sync loop (tests shorten its waits). */
  sync?: Partial<SyncWorkerOptions>;
  /** Bulk API 2.0 job polling and limits (tests poll fast). */
  bulk?: Omit<BulkIngestOptions, 'wantIds' | 'onJob'>;
  /** Extra engagement readers (tests), used with the configured ones. */
  engagementReaders?: readonly EngagementReader[];
  /** Extra pull connectors (tests), started with the configured ones. */
  connectors?: readonly PullConnector[];
  /** Renews an expired Salesforce session (e.g. from the Salesforce CLI's stored auth: `sf social serve`). */
  renewSalesforceSession?: () => Promise<string>;
  /** Tuning of the reply dispatcher (tests shorten its lease and poll). */
  replies?: Partial<ReplyDispatcherOptions> & Pick<ReplyDispatcherDeps, 'afterPublish' | 'owner'>;
  /** Reply senders replacing the configured ones, by network (tests). */
  replySenders?: readonly ReplySender[];
  /** Tuning of the inbox: how often routing is re-read and overdue posts are swept (tests sweep on demand). */
  inbox?: { routingRefreshMs?: number; sweepIntervalMs?: number; now?: () => Date };
}

export interface SyncServer extends RunningServer {
  readonly app: Express;
  readonly metrics: Metrics;
  readonly gateway: SalesforceGateway;
  readonly intake: IntakeStore;
  readonly worker: SyncWorker;
  readonly connectors: readonly PullConnector[];
  readonly replies: ReplyDispatcher;
  readonly replyEvents: ReplyChangeEvents;
  readonly inbox: { routing: OrgInboxRouting; sweep: BreachSweep; feed: InboxFeed };
  /** Customer value: recomputed every CUSTOMER_VALUE_REFRESH_MINUTES and on demand. */
  readonly customerValue: CustomerValueJob;
  /** Re-reads recent posts' engagement and re-scores their authors (ENGAGEMENT_REFRESH); `refreshNow()`. */
  readonly engagement: EngagementRefresher;
}

/** Engagement readers for the networks this server can read posts of (engagement-refresh.ts). */
function configuredEngagementReaders(config: Config, refresh: EngagementRefreshConfig): EngagementReader[] {
  const readers: EngagementReader[] = [];
  if (config.X_API_URL && config.X_BEARER_TOKEN) {
    readers.push(new XEngagementReader({ baseUrl: config.X_API_URL, bearerToken: config.X_BEARER_TOKEN }));
  }
  if (config.MASTODON_URL && config.MASTODON_ACCESS_TOKEN) {
    readers.push(
      new MastodonEngagementReader({
        instanceUrl: config.MASTODON_URL,
        accessToken: config.MASTODON_ACCESS_TOKEN,
      }),
    );
  }
  if (config.BLUESKY_HANDLE && refresh.blueskyAppView !== 'off')
    readers.push(new BlueskyEngagementReader({ appViewUrl: refresh.blueskyAppView }));
  return readers;
}

/** What a backfill of each network needs in the sync server's environment. */
const BACKFILL_SETUP: Record<string, string> = {
  x: 'set X_API_URL (https://api.x.com) and X_BEARER_TOKEN where the sync server runs (for `sf social serve`, in its environment), restart it, then run the backfill again',
  mastodon:
    "set MASTODON_URL (the brand's instance) and MASTODON_ACCESS_TOKEN (read:notifications) where the sync server runs, restart it, then run the backfill again",
  bluesky:
    "set BLUESKY_HANDLE (the brand's handle) and BLUESKY_APP_PASSWORD where the sync server runs, restart it, then run the backfill again",
  facebook:
    'this server has no Facebook backfill yet: Facebook comments arrive by webhook as they are posted (history before the webhook was set up is not pulled)',
  instagram:
    'this server has no Instagram backfill yet: Instagram comments and mentions arrive by webhook as they are posted',
};

/** Each Bulk API job the sync ran: counted by object and final state, and logged with its id. */
function recordBulkJob(metrics: Metrics, logger: Logger): NonNullable<BulkIngestOptions['onJob']> {
  return (job) => {
    metrics.crmBulkJobs.inc({ object: job.object, state: job.state });
    metrics.crmBulkRecords.inc({ object: job.object, outcome: 'saved' }, job.processed - job.failed);
    if (job.failed > 0) metrics.crmBulkRecords.inc({ object: job.object, outcome: 'failed' }, job.failed);
    const { id: jobId, ...counts } = job;
    logger.info({ jobId, ...counts }, 'Bulk API job finished');
  };
}

function configuredConnectors(
  config: Config,
  intake: IntakeStore,
  logger: Logger,
  rejections: RejectionLog,
): PullConnector[] {
  const own = ownAccounts({ x: [config.X_USER_ID] });
  const connectors: PullConnector[] = [];
  if (config.X_API_URL && config.X_BEARER_TOKEN) {
    connectors.push(
      new XMentionsPoller({
        userId: config.X_USER_ID,
        bearerToken: config.X_BEARER_TOKEN,
        cursors: intake.cursors,
        ownAccounts: own,
        baseUrl: config.X_API_URL,
        logger,
        rejections,
      }),
    );
  }
  if (config.MASTODON_URL && config.MASTODON_ACCESS_TOKEN) {
    connectors.push(
      new MastodonConnector({
        instanceUrl: config.MASTODON_URL,
        accessToken: config.MASTODON_ACCESS_TOKEN,
        ownAccounts: own,
        cursorStore: intake.cursors,
        logger,
        rejections,
      }),
    );
  }
  if (config.BLUESKY_HANDLE) {
    connectors.push(
      new BlueskyConnector({
        serviceUrl: config.BLUESKY_FIREHOSE_URL,
        pdsUrl: config.BLUESKY_PDS_URL,
        plcUrl: config.BLUESKY_PLC_URL,
        handle: config.BLUESKY_HANDLE,
        appPassword: config.BLUESKY_APP_PASSWORD ?? null,
        cursorStore: intake.cursors,
        startCursor: config.BLUESKY_START_CURSOR ?? null,
        logger,
        rejections,
        // Only a local network (the embedded default, tests) lives on private addresses.
        allowPrivateHosts: /^(https?|wss?):\/\/(localhost|127\.|\[::1\])/.test(config.BLUESKY_PDS_URL),
      }),
    );
  }
  return connectors;
}

/** Reply senders for the networks this server is configured to post to. */
function configuredReplySenders(config: Config, connectors: readonly PullConnector[]): ReplySender[] {
  const senders: ReplySender[] = [];
  if (config.X_USER_ACCESS_TOKEN) {
    senders.push(
      new XReplySender({
        userAccessToken: config.X_USER_ACCESS_TOKEN,
        userId: config.X_USER_ID,
        username: config.X_USERNAME ?? 'i/web',
        ...(config.X_API_URL ? { baseUrl: config.X_API_URL } : {}),
      }),
    );
  }
  if (config.MASTODON_URL && config.MASTODON_ACCESS_TOKEN) {
    senders.push(
      new MastodonReplySender({
        instanceUrl: config.MASTODON_URL,
        accessToken: config.MASTODON_ACCESS_TOKEN,
      }),
    );
  }
  const bluesky = connectors.find((c): c is BlueskyConnector => c instanceof BlueskyConnector);
  if (bluesky && config.BLUESKY_APP_PASSWORD) {
    senders.push(
      new BlueskyReplySender({
        session: bluesky.session,
        getRecord: (uri) => bluesky.getRecord(uri),
        webUrl: bluesky.webUrl,
      }),
    );
  }
  if (config.META_PAGE_ACCESS_TOKEN) {
    for (const [network, ownId] of [
      ['facebook', config.META_PAGE_ID],
      ['instagram', config.INSTAGRAM_ACCOUNT_ID],
    ] as const) {
      senders.push(
        new MetaReplySender({
          network,
          ownId,
          pageAccessToken: config.META_PAGE_ACCESS_TOKEN,
          baseUrl: config.META_GRAPH_URL,
        }),
      );
    }
  }
  return senders;
}

const MISSING_SENDER_HINTS: Record<Network, string> = {
  x: 'set X_USER_ACCESS_TOKEN (a user-context token of the brand account with tweet.write) and X_USERNAME',
  bluesky: 'set BLUESKY_HANDLE and BLUESKY_APP_PASSWORD (an app password of the brand account)',
  mastodon: 'set MASTODON_URL and MASTODON_ACCESS_TOKEN (a token with write:statuses)',
  facebook: 'set META_PAGE_ACCESS_TOKEN (a Page token with pages_manage_engagement)',
  instagram: 'set META_PAGE_ACCESS_TOKEN (a Page token with instagram_manage_comments)',
};

/**
 * Who may open the record page: loopback as is; off loopback, sign-in with the org when the connected
 * app and the public URL are configured (else access.ts refuses with 403 and names them). `signedIn`
 * tells the operator routes whether a request carries such a session.
 */
function recordPageSignIn(
  config: Config,
  gateway: SalesforceGateway,
  logger: Logger,
): { access: AccessOptions; routers: Router[]; signedIn?: (req: Request) => boolean } {
  if (
    isLoopbackHost(config.HOST) ||
    !config.SF_CLIENT_ID ||
    !config.SF_CLIENT_SECRET ||
    !config.RECORD_PAGE_URL
  ) {
    return { access: { host: config.HOST }, routers: [] };
  }
  if (!config.SESSION_SECRET) {
    logger.warn(
      'SESSION_SECRET is not set: record page sessions are signed with a random key and end when the server restarts',
    );
  }
  const signIn = createOrgSignIn({
    loginUrl: config.SF_LOGIN_URL ?? config.SF_INSTANCE_URL,
    clientId: config.SF_CLIENT_ID,
    clientSecret: config.SF_CLIENT_SECRET,
    callbackUrl: `${config.RECORD_PAGE_URL}${CALLBACK_PATH}`,
    cookieSecret: config.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    organizationId: () => gateway.organizationId(),
    logger,
  });
  return {
    access: { host: config.HOST, authenticate: signIn.authenticate },
    routers: [signIn.router],
    signedIn: (req) => signIn.userOf(req) !== undefined,
  };
}

export async function startSyncServer(config: Config, options: SyncServerOptions = {}): Promise<SyncServer> {
  const logger = options.logger ?? silentLogger();
  const metrics = options.metrics ?? createMetrics();
  const gateway = new SalesforceGateway({
    instanceUrl: config.SF_INSTANCE_URL,
    accessToken: config.SF_ACCESS_TOKEN,
    apiVersion: config.SF_API_VERSION,
    ...(config.SF_CLIENT_ID && config.SF_CLIENT_SECRET
      ? {
          credentials: {
            clientId: config.SF_CLIENT_ID,
            clientSecret: config.SF_CLIENT_SECRET,
            ...(config.SF_LOGIN_URL ? { loginUrl: config.SF_LOGIN_URL } : {}),
          },
        }
      : {}),
    ...(options.renewSalesforceSession ? { renewSession: options.renewSalesforceSession } : {}),
    metrics,
    logger,
  });
  const intake = openIntakeStore({
    path: options.intakePath ?? join(resolve(config.DATA_DIR), 'intake.sqlite'),
  });
  const own = ownAccounts({
    x: [config.X_USER_ID],
    facebook: [config.META_PAGE_ID],
    instagram: [config.INSTAGRAM_ACCOUNT_ID],
  });
  const crm = new SalesforceCrmAdapter(gateway, {
    bulkThreshold: config.SYNC_BULK_THRESHOLD,
    bulk: {
      ...options.bulk,
      onJob: recordBulkJob(metrics, logger),
    },
  });
  const recordReader = new SalesforceRecordReader(gateway);
  const recordFeed = new RecordFeed(recordReader, logger);
  const inboxFeed = new InboxFeed();
  const inboxStore = new SalesforceInboxStore(gateway);
  const customerValueJob = new CustomerValueJob({
    store: new SalesforceCustomerValueStore(
      gateway,
      config.CUSTOMER_VALUE_FIELD ? parseLifetimeField(config.CUSTOMER_VALUE_FIELD) : null,
    ),
    logger,
    options: {
      referralShare: config.CUSTOMER_VALUE_REFERRAL_SHARE,
      influenceUnit: config.CUSTOMER_VALUE_INFLUENCE_UNIT,
    },
    intervalMs: config.CUSTOMER_VALUE_REFRESH_MINUTES * 60_000,
  });
  const inboxRouting = new OrgInboxRouting(gateway, {
    logger,
    customerValue: (contactId) => customerValueJob.valueOf(contactId)?.total ?? null,
    ...(options.inbox?.routingRefreshMs === undefined ? {} : { refreshMs: options.inbox.routingRefreshMs }),
  });
  /** Posts changed: open record pages and inboxes read them again. */
  const publishChanges = (ids: readonly string[]): void => {
    void recordFeed.publish(ids);
    inboxFeed.publish(ids);
  };
  // Fresh links: identity change events and the directory's refresh re-link earlier posts (relink.ts).
  const people = new OrgPeople(crm, {
    refreshMs: 60_000,
    onChanges: (changes) => relinker.personChanges(changes),
  });
  const relinker = new Relinker({
    gateway,
    crm,
    people,
    logger,
    onPostsChanged: publishChanges,
    // Roll-ups recomputed after a re-link replace what the streaming scores kept of those people.
    onRollups: (rolled) => {
      for (const person of rolled) scoring.reseed(person);
    },
  });
  const peopleEvents = new PeopleChangeEvents({ gateway, logger, onEvent: (e) => relinker.onEvent(e) });
  // One person across networks: the org's people, plus what a person's other profiles say.
  const personStore = new SalesforcePersonStore(gateway);
  const personJoins = new PersonJoins(people, personStore, { refreshMs: 60_000 }, logger);
  const scoring = new StreamingScores(own.isOwn);
  const worker = new SyncWorker({
    queue: intake.queue,
    crm,
    analyze: (text, languageHint) => analyze(text, { languageHint }),
    identity: personJoins,
    scoring,
    rules: config.CASE_RULES,
    metrics,
    logger,
    options: {
      apiBudget: config.SYNC_API_BUDGET,
      bulkBacklog: config.SYNC_BULK_THRESHOLD,
      ...options.sync,
    },
    inbox: inboxRouting,
    onSynced: publishChanges,
  });
  const engagementConfig = config.ENGAGEMENT_REFRESH ?? EngagementRefreshConfig.parse({});
  const engagement = new EngagementRefresher({
    scores: scoring,
    readers: [...configuredEngagementReaders(config, engagementConfig), ...(options.engagementReaders ?? [])],
    crm,
    config: engagementConfig,
    logger,
    registry: metrics.registry,
  });
  const sink = new QueueSink(intake.queue, metrics, own, () => worker.nudge());
  /** Backfills under way, for `/api/status` (the CLI shows their progress while it waits). */
  const backfills = new Set<{ network: string; since: string; sink: GatheringSink }>();
  const recordPageSignInAccess = recordPageSignIn(config, gateway, logger);
  const operators = operatorAccess({
    host: config.HOST,
    token: config.OPS_TOKEN,
    ...(recordPageSignInAccess.signedIn ? { signedIn: recordPageSignInAccess.signedIn } : {}),
  });
  const unprotected = operatorAccessWarning({
    host: config.HOST,
    token: config.OPS_TOKEN,
    signIn: recordPageSignInAccess.signedIn !== undefined,
  });
  if (unprotected) logger.warn(unprotected);
  const rejections = new IntakeRejections({ logger, metrics });
  const connectors = [
    ...configuredConnectors(config, intake, logger, rejections),
    ...(options.connectors ?? []),
  ];
  const replyStore = new SalesforceReplyStore(gateway);
  const senders = new Map<Network, ReplySender>();
  for (const sender of [...configuredReplySenders(config, connectors), ...(options.replySenders ?? [])]) {
    senders.set(sender.network, sender);
  }
  const ownHandles = { x: config.X_USERNAME ?? null, bluesky: config.BLUESKY_HANDLE ?? null };
  const { afterPublish, owner, ...dispatchOptions } = options.replies ?? {};
  const approval = {
    influenceAtLeast: config.REPLY_APPROVAL_INFLUENCE ?? null,
    permissionSet: config.REPLY_APPROVAL_PERMISSION_SET ?? null,
  };
  const replies = new ReplyDispatcher({
    store: replyStore,
    approval,
    senders,
    own: ownHandles,
    logger,
    metrics,
    onChange: publishChanges,
    missingSenderHint: (network) => MISSING_SENDER_HINTS[network],
    options: { pollMs: config.REPLY_POLL_SECONDS * 1000, ...dispatchOptions },
    ...(afterPublish ? { afterPublish } : {}),
    ...(owner ? { owner } : {}),
  });
  const replyEvents = new ReplyChangeEvents({
    gateway,
    onDue: (notices) => replies.nudgeFor(notices),
    // Changes made elsewhere (the Lightning inbox, another instance) reach this server's open inboxes.
    onChange: (ids) => inboxFeed.publish(ids),
    logger,
  });
  const breachSweep = new BreachSweep({
    store: inboxStore,
    routing: inboxRouting,
    logger,
    metrics,
    onChanged: publishChanges,
    ...(options.inbox?.sweepIntervalMs === undefined ? {} : { intervalMs: options.inbox.sweepIntervalMs }),
    ...(options.inbox?.now ? { now: options.inbox.now } : {}),
  });
  const replyService = new ReplyService({
    store: replyStore,
    own: ownHandles,
    approval,
    onChange: publishChanges,
    nudge: (notices) => replies.nudgeFor(notices),
  });

  const connectorHealth = (): ConnectorHealth[] => {
    const now = Date.now();
    const health = connectors.map((c) => c.health());
    // Sampled whenever health is read (status, readiness, metrics scrape): silent expiry shows at once.
    for (const h of health) {
      const labels = { network: h.network, connector: h.name };
      metrics.connectorUp.set(labels, h.status === 'ok' || h.status === 'idle' ? 1 : 0);
      metrics.connectorErrorStreak.set(labels, h.errorStreak);
      if (h.lastEventAt) metrics.connectorLastEventAge.set(labels, (now - Date.parse(h.lastEventAt)) / 1000);
    }
    return health;
  };
  metrics.beforeScrape.push(connectorHealth, async () => {
    const stats = await intake.queue.stats();
    metrics.queueDepth.set(stats.depth);
    metrics.syncLagSeconds.set(stats.oldestAgeSeconds);
    metrics.deadLetters.set(stats.deadLetters);
  });
  const app = createApp({
    logger,
    metrics,
    operatorAccess: operators,
    ownOrigins: config.RECORD_PAGE_URL ? [config.RECORD_PAGE_URL] : [],
    readinessChecks: [
      createOrgReadinessCheck(gateway),
      {
        name: 'queue',
        check: async () => {
          const stats = await intake.queue.stats();
          return { ok: true, detail: `${stats.depth} queued, ${stats.deadLetters} dead letters` };
        },
      },
      // Connectors do not decide readiness (the org and the queue do), but /readyz shows each one.
      ...connectors.map((connector) => ({
        name: `connector:${connector.name}`,
        check: async () => {
          const h = connectorHealth().find((c) => c.name === connector.name)!;
          const token = h.tokenValid === false ? ', token rejected' : '';
          const detail = `${h.status}${token}${h.lastError ? `: ${h.lastError}` : ''}${h.hint ? ` (${h.hint})` : ''}`;
          return { ok: true, detail };
        },
      })),
      ...(options.readinessChecks ?? []),
    ],
    routers: [
      createAnalyzeRouter({ guard: operators.guard }),
      createCustomerValueRouter({ job: customerValueJob, guard: operators.guard }),
      createXWebhookRouter({
        consumerSecret: config.X_CONSUMER_SECRET,
        ownAccounts: own,
        sink,
        logger,
        rejections,
      }),
      createMetaWebhookRouter({
        appSecret: config.META_APP_SECRET,
        verifyToken: config.META_VERIFY_TOKEN,
        ownAccounts: own,
        sink,
        logger,
        rejections,
      }),
      createStatusRouter({
        guard: operators.guard,
        rejections: () => rejections.summary(),
        replies: async () => ({
          networks: [...senders.keys()],
          changeEvents: replyEvents.state,
          lastError: await replies.currentError(),
        }),
        queue: intake.queue,
        worker,
        inbox: async () => ({ problems: inboxRouting.problems(), sweep: await breachSweep.currentState() }),
        customerValue: () => customerValueJob.state,
        engagement: () => engagement.state,
        people: () => ({
          changeEvents: peopleEvents.state,
          handleWarnings: people.handleWarnings(),
          relink: relinker.state(),
        }),
        connectors: connectorHealth,
        sink,
        backfills: () =>
          [...backfills].map((b) => ({ network: b.network, since: b.since, pulled: b.sink.received })),
        backfill: async (network, since) => {
          const pulling = connectors.filter((c) => c.network === network);
          if (pulling.length === 0) {
            throw new AppError('not_found', `no ${network} connector is configured on this server`, {
              hint: BACKFILL_SETUP[network] ?? 'this network has no connector that reads history',
            });
          }
          // Gathered into one backlog per SYNC_BULK_THRESHOLD mentions: a large backfill is written in bulk.
          const gathering = new GatheringSink(sink, config.SYNC_BULK_THRESHOLD);
          const running = { network, since: since.toISOString(), sink: gathering };
          backfills.add(running);
          let total = 0;
          try {
            for (const connector of pulling) total += await connector.backfill(since, gathering);
          } finally {
            backfills.delete(running);
            await gathering.flush();
          }
          return total;
        },
      }),
      ...recordPageSignInAccess.routers,
      createRepliesRouter({
        service: replyService,
        presence: new Presence(),
        guard: recordPageAccess(recordPageSignInAccess.access),
      }),
      createInboxRouter({
        store: inboxStore,
        feed: inboxFeed,
        reader: recordReader,
        links: new SalesforceAuthorLinks(gateway),
        guard: recordPageAccess(recordPageSignInAccess.access),
        // Without sign-in (the loopback binding), the page says whom the agent works as.
        headerActor: recordPageSignInAccess.signedIn === undefined,
        onChanged: (ids) => void recordFeed.publish(ids),
      }),
      createPersonsRouter({
        guard: recordPageAccess(recordPageSignInAccess.access),
        split: async (personaId) => {
          const result = await personStore.split(personaId);
          personJoins.forgetJoin(result.personaKey, result.splitFrom);
          return result;
        },
      }),
      createRecordPageRouter({
        reader: recordReader,
        feed: recordFeed,
        access: recordPageSignInAccess.access,
        logger,
      }),
      ...(options.routers ?? []),
    ],
  });
  const running = await startServer(app, {
    port: config.PORT,
    host: config.HOST,
    ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
  });
  worker.start();
  replies.start();
  replyEvents.start();
  peopleEvents.start();
  breachSweep.start();
  customerValueJob.start();
  engagement.start();
  for (const connector of connectors) {
    await connector.start(sink).catch((error: unknown) => {
      logger.warn({ err: error, connector: connector.name }, 'connector failed to start; see /api/status');
    });
  }

  let closed = false;
  return {
    url: running.url,
    port: running.port,
    app,
    metrics,
    gateway,
    intake,
    worker,
    connectors,
    replies,
    replyEvents,
    inbox: { routing: inboxRouting, sweep: breachSweep, feed: inboxFeed },
    customerValue: customerValueJob,
    engagement,
    close: async () => {
      if (closed) return;
      closed = true;
      recordFeed.close(); // open record pages' event streams would hold the drain for its whole deadline
      inboxFeed.close();
      await breachSweep.stop();
      await customerValueJob.stop();
      await engagement.stop();
      // Stop taking work in, finish what is in hand, then let go of the stores.
      await running.close();
      replyEvents.stop();
      peopleEvents.stop();
      relinker.stop();
      await replies.stop();
      await Promise.all(connectors.map((c) => c.stop().catch(() => undefined)));
      await worker.stop();
      await intake.close();
    },
  };
}
