/**
 * Routing and reply-time targets as the org configures them: the `Social_Routing_Rule__mdt` and
 * `Social_Reply_Target__mdt` records, the queues (Group Type `Queue`), the BusinessHours, and the names
 * of the Accounts the rules name — read in one composite call and kept for a few minutes, so intake
 * spends one API call per refresh, not per post. An admin's change in Setup is in force at the next
 * refresh (`refreshMs`, 5 minutes by default).
 *
 * Never throws into intake: when the org cannot be read the last good configuration stays in force (or,
 * before the first, posts are written without inbox placement) and the reason is in `problems()` for
 * `/api/status`. An org whose package has no inbox (older versions) gets no placement and one problem.
 */
import {
  alwaysOpen,
  escalationContacts,
  indexBusinessHours,
  indexQueues,
  parseReplyTargets,
  parseRoutingRules,
  priorityOf,
  replyDueAt,
  routePost,
  routingProblems,
  targetProblems,
  WEEKDAYS,
  type BusinessHoursSchedule,
  type QueueRef,
  type ReplyTarget,
  type RoutingOptions,
  type RoutingRule,
} from '../inbox/index.ts';
import type { Logger } from '../observability/logger.ts';
import type { InboxIntake, InboxPost, InboxRouter } from '../sync/ports.ts';
import type { InboxPlacement } from '../sync/write-plan.ts';
import type { CompositeSubrequest, CompositeSubresponse, SalesforceGateway } from './gateway.ts';

type Row = Record<string, unknown>;

/** Who handles a breach of a post routed by a rule: the rule's supervisor and escalation queue. */
export interface EscalationContacts {
  supervisor: string | null;
  escalationQueueId: string | null;
}

/** The configuration in force, as parsed. */
export interface InboxConfiguration {
  rules: RoutingRule[];
  targets: ReplyTarget[];
  queues: Map<string, QueueRef>;
  hoursByName: ReadonlyMap<string, BusinessHoursSchedule>;
  defaultHours: BusinessHoursSchedule;
  /** Account Id → Name, for the Accounts the rules name (by Id or by name). */
  accountNames: Map<string, string>;
  /** One sentence each: what an admin should fix (bad records, missing queues, gaps in the targets). */
  problems: string[];
  loadedAt: number;
}

export interface OrgInboxRoutingOptions {
  /** How long a read configuration stays in force before it is read again. */
  refreshMs?: number;
  /** After a failed read, wait this long before trying again (intake must not hammer a failing org). */
  retryMs?: number;
  routing?: RoutingOptions;
  logger?: Logger;
  now?: () => number;
  /** A Contact's customer value (org currency) for `Min_Customer_Value__c`; unknown: null (counts as 0). */
  customerValue?: (contactId: string) => number | null;
}

const RULE_FIELDS =
  'DeveloperName, MasterLabel, Active__c, Order__c, Network__c, Language__c, Intent__c, Min_Influence__c, Min_Customer_Value__c, Accounts__c, Keywords__c, Queue__c, Supervisor__c, Escalation_Queue__c';
const TARGET_FIELDS = 'DeveloperName, Priority__c, Network__c, Minutes__c, Business_Hours__c';
const HOURS_FIELDS = [
  'Id',
  'Name',
  'IsDefault',
  'IsActive',
  'TimeZoneSidKey',
  ...WEEKDAYS.flatMap((day) => [`${day}StartTime`, `${day}EndTime`]),
].join(', ');
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const soqlString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function query(referenceId: string, soql: string): CompositeSubrequest {
  return { method: 'GET', url: `/query?q=${encodeURIComponent(soql)}`, referenceId };
}

class OrgReadError extends Error {
  readonly missingPackage: boolean;
  constructor(message: string, missingPackage: boolean) {
    super(message);
    this.missingPackage = missingPackage;
  }
}

function rows(response: CompositeSubresponse | undefined, what: string): Row[] {
  if (!response) throw new OrgReadError(`the org did not answer for ${what}`, false);
  if (response.httpStatusCode >= 400) {
    const error = (Array.isArray(response.body) ? response.body[0] : response.body) as
      { errorCode?: string; message?: string } | undefined;
    const code = error?.errorCode ?? String(response.httpStatusCode);
    throw new OrgReadError(
      `the org refused to read ${what}: ${code}: ${error?.message ?? ''}`.trim(),
      code === 'INVALID_TYPE' || code === 'INVALID_FIELD',
    );
  }
  return ((response.body as { records?: Row[] } | undefined)?.records ?? []) as Row[];
}

/** The router intake uses: priority, queue and due time of each post that needs an answer. */
class ConfiguredRouter implements InboxRouter {
  readonly #config: InboxConfiguration;
  readonly #options: RoutingOptions;
  readonly #customerValue: ((contactId: string) => number | null) | undefined;

  constructor(
    config: InboxConfiguration,
    options: RoutingOptions,
    customerValue?: (contactId: string) => number | null,
  ) {
    this.#config = config;
    this.#options = options;
    this.#customerValue = customerValue;
  }

  place(post: InboxPost): InboxPlacement {
    const config = this.#config;
    const priority = priorityOf({
      influence: post.influence,
      intent: post.intent,
      sentiment: post.sentiment,
    });
    const route = routePost(
      {
        network: post.network,
        text: post.text,
        language: post.language,
        intent: post.intent,
        influence: post.influence,
        customerValue: post.contactId ? (this.#customerValue?.(post.contactId) ?? null) : null,
        accountId: post.accountId,
        accountName: post.accountId ? (config.accountNames.get(post.accountId) ?? null) : null,
      },
      config.rules,
      config.queues,
      this.#options,
    );
    let dueAt: string | null = null;
    try {
      dueAt =
        replyDueAt(
          { receivedAt: post.receivedAt, priority, network: post.network },
          config.targets,
          config.hoursByName,
          config.defaultHours,
        )?.dueAt.toISOString() ?? null;
    } catch {
      // A schedule the calculation cannot walk (no open hours within a century): no due time, and
      // targetProblems already names the business hours.
    }
    return { ownerId: route?.queueId ?? null, dueAt, priority, rule: route?.rule ?? null };
  }
}

export class OrgInboxRouting implements InboxIntake {
  readonly #gateway: Pick<SalesforceGateway, 'composite' | 'query'>;
  readonly #refreshMs: number;
  readonly #retryMs: number;
  readonly #routing: RoutingOptions;
  readonly #logger: Logger | undefined;
  readonly #now: () => number;
  readonly #customerValue: ((contactId: string) => number | null) | undefined;
  #config: InboxConfiguration | null = null;
  #router: ConfiguredRouter | null = null;
  #loading: Promise<void> | null = null;
  #failedAt = 0;
  #error: string | null = null;
  #missingPackage = false;

  constructor(gateway: Pick<SalesforceGateway, 'composite' | 'query'>, options: OrgInboxRoutingOptions = {}) {
    this.#gateway = gateway;
    this.#refreshMs = options.refreshMs ?? 5 * 60_000;
    this.#retryMs = options.retryMs ?? 30_000;
    this.#routing = options.routing ?? {};
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#customerValue = options.customerValue;
  }

  /** The router in force, read again when due. Null while the org's configuration was never read. */
  async router(): Promise<InboxRouter | null> {
    await this.#refreshIfDue();
    return this.#router;
  }

  /** The configuration in force (the breach sweep reads supervisors and escalation queues from it). */
  async configuration(): Promise<InboxConfiguration | null> {
    await this.#refreshIfDue();
    return this.#config;
  }

  /** Who is told of a breach of a post routed by `routedBy`, under the configuration in force. */
  contactsFor(routedBy: string | null, config: InboxConfiguration): EscalationContacts {
    return escalationContacts(routedBy, config.rules, config.queues, this.#routing);
  }

  /** Read the configuration now (an admin changed it and does not want to wait). */
  async refresh(): Promise<void> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = null;
    });
    await this.#loading;
  }

  /** What an admin should fix, one `{what, hint}` each, for /api/status. */
  problems(): { what: string; hint: string }[] {
    if (this.#missingPackage) {
      return [
        {
          what: 'the social inbox is off: the org has no routing rules or reply-time targets (the package predates the inbox)',
          hint: 'deploy the current package (sf social setup); posts are written without queue, priority or due time until then',
        },
      ];
    }
    const out: { what: string; hint: string }[] = [];
    if (this.#error) {
      out.push({
        what: `inbox routing could not be read from the org: ${this.#error}`,
        hint: this.#config
          ? 'the last configuration read stays in force; the server tries again shortly'
          : 'posts are written without queue, priority or due time until it can; the server tries again shortly',
      });
    }
    for (const problem of this.#config?.problems ?? []) {
      out.push({
        what: `inbox: ${problem}`,
        hint: 'fix the record in Setup (Custom Metadata Types, Queues, Business Hours); the server reads it again within minutes',
      });
    }
    return out;
  }

  async #refreshIfDue(): Promise<void> {
    const now = this.#now();
    const fresh = this.#config && now - this.#config.loadedAt < this.#refreshMs;
    const resting = this.#failedAt > 0 && now - this.#failedAt < this.#retryMs;
    if (fresh || resting) return;
    try {
      await this.refresh();
    } catch {
      // recorded by #load
    }
  }

  async #load(): Promise<void> {
    try {
      const config = await this.#read();
      this.#config = config;
      this.#router = new ConfiguredRouter(config, this.#routing, this.#customerValue);
      this.#error = null;
      this.#failedAt = 0;
      this.#missingPackage = false;
    } catch (error) {
      this.#failedAt = this.#now();
      this.#missingPackage = error instanceof OrgReadError && error.missingPackage;
      this.#error = error instanceof Error ? error.message : String(error);
      this.#logger?.warn({ err: error }, 'inbox routing could not be read from the org; see /api/status');
      throw error;
    }
  }

  async #read(): Promise<InboxConfiguration> {
    const responses = await this.#gateway.composite([
      query('rules', `SELECT ${RULE_FIELDS} FROM Social_Routing_Rule__mdt`),
      query('targets', `SELECT ${TARGET_FIELDS} FROM Social_Reply_Target__mdt`),
      query('queues', `SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue'`),
      query('hours', `SELECT ${HOURS_FIELDS} FROM BusinessHours`),
    ]);
    const ruleRows = rows(responses[0], 'the routing rules (Social_Routing_Rule__mdt)');
    const targetRows = rows(responses[1], 'the reply-time targets (Social_Reply_Target__mdt)');
    const queueRows = rows(responses[2], 'the queues');
    const hourRows = rows(responses[3], 'the business hours');
    const problems: string[] = [];
    const { rules, problems: ruleProblems } = parseRoutingRules(ruleRows);
    const { targets, problems: targetRowProblems } = parseReplyTargets(targetRows);
    const queues = indexQueues(
      queueRows
        .filter((r) => typeof r['Id'] === 'string' && typeof r['DeveloperName'] === 'string')
        .map((r) => ({
          Id: String(r['Id']),
          Name: typeof r['Name'] === 'string' ? r['Name'] : String(r['DeveloperName']),
          DeveloperName: String(r['DeveloperName']),
        })),
    );
    const hours = indexBusinessHours(hourRows);
    const defaultHours = hours.defaultHours ?? alwaysOpen('24/7 (the org has no default business hours)');
    if (!hours.defaultHours) {
      problems.push('BusinessHours: no active default; reply-time targets count every hour of the day');
    }
    problems.push(
      ...ruleProblems,
      ...targetRowProblems,
      ...hours.problems,
      ...routingProblems(rules, queues, this.#routing),
      ...targetProblems(targets, hours.byName, defaultHours),
    );
    return {
      rules,
      targets,
      queues,
      hoursByName: hours.byName,
      defaultHours,
      accountNames: await this.#accountNames(rules),
      problems,
      loadedAt: this.#now(),
    };
  }

  /** Names of the Accounts the active rules name (rules may name them by Id or by Name): one query. */
  async #accountNames(rules: readonly RoutingRule[]): Promise<Map<string, string>> {
    const named = [...new Set(rules.filter((r) => r.active).flatMap((r) => r.accounts))].slice(0, 200);
    if (named.length === 0) return new Map();
    const ids = named.filter((value) => ID.test(value));
    const names = named.filter((value) => !ID.test(value));
    const where = [
      ...(ids.length ? [`Id IN (${ids.map(soqlString).join(', ')})`] : []),
      ...(names.length ? [`Name IN (${names.map(soqlString).join(', ')})`] : []),
    ].join(' OR ');
    const found = await this.#gateway.query<Row>(`SELECT Id, Name FROM Account WHERE ${where}`);
    return new Map(found.map((r) => [String(r['Id']), String(r['Name'] ?? '')]));
  }
}
