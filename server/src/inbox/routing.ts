/**
 * Which queue a post that needs a reply goes to: the org's routing rules (`Social_Routing_Rule__mdt`),
 * applied on intake.
 *
 * A rule matches a post when every condition it sets matches (blank = any):
 *   Network__c, Language__c, Intent__c   comma lists; the post's value is one of them (case-insensitive;
 *                                         languages by their primary subtag, so `pt` takes `pt-BR`)
 *   Min_Influence__c                     the author's influence (unknown = 0) is at least this
 *   Min_Customer_Value__c                the author's Contact's customer value (Social_Customer_Value__c; no
 *                                         Contact or not computed yet = 0) is at least this
 *   Accounts__c                          the post's Account, by Id (15 or 18 characters) or by Name
 *                                         (case- and accent-insensitive)
 *   Keywords__c                          one of the words or phrases occurs in the text (see keywords.ts)
 * The first active rule with conditions that matches, by Order__c (then DeveloperName), wins. When none
 * does, the lowest-order active rule without conditions (a catch-all) takes the post, wherever its order
 * sits; without one, the configured default queue (`Social_Support`).
 *
 * A rule naming a queue that does not exist is skipped and reported by `routingProblems`, as is an
 * escalation queue that does not exist (the rule still routes; breaches are not re-routed).
 */
import { z } from 'zod';
import { INTENTS, type Intent } from '../analysis/schema.ts';
import { AppError } from '../domain/errors.ts';
import { NETWORKS, type Network } from '../domain/mention.ts';
import { containsTerm, foldText, parseKeywords } from './keywords.ts';
import { describeIssues, rowError, rowName, splitList } from './rows.ts';

const TYPE = 'Social_Routing_Rule__mdt';

/** The queue posts go to when no rule matches and no rule is a catch-all. */
export const DEFAULT_QUEUE = 'Social_Support';

/** Alternative spellings admins write for a network. */
const NETWORK_ALIASES: Readonly<Record<string, Network>> = { twitter: 'x' };

export interface RoutingRule {
  developerName: string;
  /** MasterLabel, when the row has one. */
  label: string | null;
  active: boolean;
  order: number;
  /** Blank list: any. */
  network: Network[];
  /** ISO 639-1 primary subtags, lower case. */
  language: string[];
  intent: Intent[];
  /** 0–100, or null: any. */
  minInfluence: number | null;
  /** At least 0 (org currency), or null: any. */
  minCustomerValue: number | null;
  /** Account Ids or names. */
  accounts: string[];
  /** Words or phrases, as written. */
  keywords: string[];
  /** The queue's DeveloperName. */
  queue: string;
  /** Username told of breaches. */
  supervisor: string | null;
  /** DeveloperName of the queue a breached post moves to. */
  escalationQueue: string | null;
}

/** A queue of the org (Group of Type `Queue`). */
export interface QueueRef {
  /** Group Id (`00G…`). */
  id: string;
  /** The queue's label, e.g. `Social Support`. */
  name: string;
}

export interface RoutablePost {
  network: Network;
  text: string;
  /** ISO 639-1 (or a BCP 47 tag; its primary subtag counts). */
  language?: string | null;
  intent?: Intent | null;
  /** 0–100; unknown counts as 0. */
  influence?: number | null;
  /** The author's customer value (org currency); unknown counts as 0. */
  customerValue?: number | null;
  /** The Account the post's author belongs to (directly or through a Contact). */
  accountId?: string | null;
  accountName?: string | null;
}

export interface Route {
  queueId: string;
  queueName: string;
  queueDeveloperName: string;
  /** DeveloperName of the rule that chose the queue (`Routed_By__c`); null: the default queue. */
  rule: string | null;
  /** Username told of breaches. */
  supervisor: string | null;
  /** Id of the queue a breached post moves to, when the rule names one that exists. */
  escalationQueueId: string | null;
}

export interface RoutingOptions {
  /** DeveloperName of the queue used when nothing else routes; default `Social_Support`. */
  defaultQueue?: string;
  /** Supervisor of posts routed to the default queue; default none. */
  defaultSupervisor?: string | null;
}

const blankToNull = (value: unknown): unknown =>
  value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value;

const Text = z.preprocess(blankToNull, z.string().trim().nullable());
const NumberField = z.preprocess(
  (value) => {
    const blank = blankToNull(value);
    return typeof blank === 'string' && Number.isFinite(Number(blank)) ? Number(blank) : blank;
  },
  z.number({ error: 'expected a number' }).nullable(),
);

function listOf<T extends string>(
  label: string,
  allowed: readonly T[],
  normalize: (value: string) => string,
) {
  return Text.transform((value, ctx) => {
    const out: T[] = [];
    for (const item of splitList(value)) {
      const normalized = normalize(item);
      if ((allowed as readonly string[]).includes(normalized)) {
        if (!out.includes(normalized as T)) out.push(normalized as T);
      } else {
        ctx.addIssue({
          code: 'custom',
          message: `unknown ${label} "${item}" (one of ${allowed.join(', ')})`,
        });
      }
    }
    return out;
  });
}

const networkName = (value: string): string => {
  const lower = value.toLowerCase();
  return NETWORK_ALIASES[lower] ?? lower;
};
const intentName = (value: string): string => value.toLowerCase().replace(/[\s-]+/g, '_');
const primaryLanguage = (value: string): string => value.toLowerCase().split(/[-_]/)[0] ?? '';

const Languages = Text.transform((value, ctx) => {
  const out: string[] = [];
  for (const item of splitList(value)) {
    const code = primaryLanguage(item);
    if (!/^[a-z]{2,3}$/.test(code)) {
      ctx.addIssue({ code: 'custom', message: `"${item}" is not an ISO 639-1 language code (e.g. en, es)` });
    } else if (!out.includes(code)) {
      out.push(code);
    }
  }
  return out;
});

/** A `Social_Routing_Rule__mdt` row as SOQL returns it (`attributes` and other extra fields ignored). */
export const RoutingRuleRow = z
  .object({
    DeveloperName: z.string({ error: 'required' }).trim().min(1, 'required'),
    MasterLabel: Text.optional(),
    Active__c: z.preprocess((value) => value ?? false, z.boolean({ error: 'expected true or false' })),
    Order__c: NumberField.refine((value) => value !== null, 'required').refine(
      (value) => value === null || (Number.isInteger(value) && value >= 0 && value <= 99_999),
      'expected a whole number 0–99999',
    ),
    Network__c: listOf('network', NETWORKS, networkName),
    Language__c: Languages,
    Intent__c: listOf('intent', INTENTS, intentName),
    Min_Influence__c: NumberField.refine(
      (value) => value === null || (value >= 0 && value <= 100),
      'expected a number 0–100',
    ),
    Min_Customer_Value__c: NumberField.refine(
      (value) => value === null || value >= 0,
      'expected a number 0 or more (org currency)',
    ),
    Accounts__c: Text.transform((value) => splitList(value)),
    Keywords__c: Text.transform((value) => parseKeywords(value)),
    Queue__c: Text.refine((value) => value !== null, 'required (the DeveloperName of a queue)'),
    Supervisor__c: Text,
    Escalation_Queue__c: Text,
  })
  .transform((row): RoutingRule => ({
    developerName: row.DeveloperName,
    label: row.MasterLabel ?? null,
    active: row.Active__c,
    order: row.Order__c as number,
    network: row.Network__c,
    language: row.Language__c,
    intent: row.Intent__c,
    minInfluence: row.Min_Influence__c,
    minCustomerValue: row.Min_Customer_Value__c,
    accounts: row.Accounts__c,
    keywords: row.Keywords__c,
    queue: row.Queue__c as string,
    supervisor: row.Supervisor__c,
    escalationQueue: row.Escalation_Queue__c,
  }));

/** One row → a rule. Throws an AppError (`validation_failed`) naming the rule and every bad field. */
export function parseRoutingRule(raw: unknown): RoutingRule {
  const parsed = RoutingRuleRow.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw rowError(TYPE, rowName(raw, 'DeveloperName'), describeIssues(parsed.error), parsed.error);
}

/** All rows → the rules that parse (in order: Order__c, then DeveloperName) and one problem per bad row. */
export function parseRoutingRules(rows: readonly unknown[]): { rules: RoutingRule[]; problems: string[] } {
  const rules: RoutingRule[] = [];
  const problems: string[] = [];
  rows.forEach((raw, index) => {
    const parsed = RoutingRuleRow.safeParse(raw);
    if (parsed.success) rules.push(parsed.data);
    else problems.push(`${TYPE} "${rowName(raw, 'DeveloperName', index)}": ${describeIssues(parsed.error)}`);
  });
  return { rules: sortRules(rules), problems };
}

function sortRules(rules: readonly RoutingRule[]): RoutingRule[] {
  return [...rules].sort(
    (a, b) =>
      a.order - b.order ||
      (a.developerName < b.developerName ? -1 : a.developerName > b.developerName ? 1 : 0),
  );
}

/** Whether the rule sets any condition (a rule without one is a catch-all). */
export function hasConditions(rule: RoutingRule): boolean {
  return (
    rule.network.length > 0 ||
    rule.language.length > 0 ||
    rule.intent.length > 0 ||
    rule.minInfluence !== null ||
    rule.minCustomerValue !== null ||
    rule.accounts.length > 0 ||
    rule.keywords.length > 0
  );
}

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

function accountMatches(entries: readonly string[], post: RoutablePost): boolean {
  const id = post.accountId?.trim() ?? '';
  const name = post.accountName ? foldText(post.accountName) : '';
  return entries.some((entry) => {
    // 18-character Ids only add a case-safe suffix to the 15-character one.
    if (id && SALESFORCE_ID.test(entry) && SALESFORCE_ID.test(id) && entry.slice(0, 15) === id.slice(0, 15)) {
      return true;
    }
    return name !== '' && foldText(entry) === name;
  });
}

/** Whether every condition the rule sets holds for the post (ignores `active` and the queue). */
export function ruleMatches(
  rule: RoutingRule,
  post: RoutablePost,
  foldedText = foldText(post.text),
): boolean {
  if (rule.network.length > 0 && !rule.network.includes(post.network)) return false;
  if (rule.language.length > 0) {
    const language = post.language ? primaryLanguage(post.language) : '';
    if (!rule.language.includes(language)) return false;
  }
  if (rule.intent.length > 0 && !(post.intent && rule.intent.includes(post.intent))) return false;
  if (rule.minInfluence !== null) {
    const influence = Number.isFinite(post.influence) ? (post.influence as number) : 0;
    if (influence < rule.minInfluence) return false;
  }
  if (rule.minCustomerValue !== null) {
    const value = Number.isFinite(post.customerValue) ? (post.customerValue as number) : 0;
    if (value < rule.minCustomerValue) return false;
  }
  if (rule.accounts.length > 0 && !accountMatches(rule.accounts, post)) return false;
  if (
    rule.keywords.length > 0 &&
    !rule.keywords.some((keyword) => containsTerm(foldedText, foldText(keyword)))
  ) {
    return false;
  }
  return true;
}

function routeOf(
  rule: RoutingRule | null,
  queueDeveloperName: string,
  queue: QueueRef,
  queues: ReadonlyMap<string, QueueRef>,
  supervisor: string | null,
): Route {
  return {
    queueId: queue.id,
    queueName: queue.name,
    queueDeveloperName,
    rule: rule?.developerName ?? null,
    supervisor,
    escalationQueueId: rule?.escalationQueue ? (queues.get(rule.escalationQueue)?.id ?? null) : null,
  };
}

/**
 * The queue for a post: the first active rule with conditions that all match (by Order__c), else the
 * lowest-order active catch-all, else the default queue. Rules whose queue is not in
 * `queuesByDeveloperName` are skipped. Null only when nothing routes and the default queue does not exist
 * either (`routingProblems` says so).
 */
export function routePost(
  post: RoutablePost,
  rules: readonly RoutingRule[],
  queuesByDeveloperName: ReadonlyMap<string, QueueRef>,
  options: RoutingOptions = {},
): Route | null {
  const folded = foldText(post.text);
  const usable = sortRules(rules).filter((rule) => rule.active && queuesByDeveloperName.has(rule.queue));
  const chosen =
    usable.find((rule) => hasConditions(rule) && ruleMatches(rule, post, folded)) ??
    usable.find((rule) => !hasConditions(rule));
  if (chosen) {
    const queue = queuesByDeveloperName.get(chosen.queue) as QueueRef;
    return routeOf(chosen, chosen.queue, queue, queuesByDeveloperName, chosen.supervisor);
  }
  const defaultName = options.defaultQueue ?? DEFAULT_QUEUE;
  const fallback = queuesByDeveloperName.get(defaultName);
  if (!fallback) return null;
  return routeOf(null, defaultName, fallback, queuesByDeveloperName, options.defaultSupervisor ?? null);
}

/**
 * What is wrong with the routing as configured, one sentence each (for /api/status): active rules naming a
 * queue or an escalation queue that does not exist, active rules sharing an Order__c, and a missing default
 * queue when no catch-all rule can stand in for it.
 */
export function routingProblems(
  rules: readonly RoutingRule[],
  queuesByDeveloperName: ReadonlyMap<string, QueueRef>,
  options: RoutingOptions = {},
): string[] {
  const problems: string[] = [];
  const active = sortRules(rules).filter((rule) => rule.active);
  const byOrder = new Map<number, string>();
  for (const rule of active) {
    const name = `${TYPE} "${rule.developerName}"`;
    if (!queuesByDeveloperName.has(rule.queue)) {
      problems.push(`${name}: no queue has the DeveloperName "${rule.queue}"; the rule is skipped`);
    }
    if (rule.escalationQueue && !queuesByDeveloperName.has(rule.escalationQueue)) {
      problems.push(
        `${name}: no queue has the DeveloperName "${rule.escalationQueue}" (Escalation_Queue__c); breaches are not re-routed`,
      );
    }
    const first = byOrder.get(rule.order);
    if (first) {
      problems.push(`${name}: shares Order__c ${rule.order} with "${first}"; "${first}" is tried first`);
    } else {
      byOrder.set(rule.order, rule.developerName);
    }
  }
  const catchAll = active.some((rule) => !hasConditions(rule) && queuesByDeveloperName.has(rule.queue));
  const defaultName = options.defaultQueue ?? DEFAULT_QUEUE;
  if (!catchAll && !queuesByDeveloperName.has(defaultName)) {
    problems.push(
      `Routing: no active rule without conditions and no default queue "${defaultName}"; posts no rule matches stay unrouted`,
    );
  }
  return problems;
}

/**
 * Who is told of a breach and where the post may move, for a post routed by `routedBy` (`Routed_By__c`):
 * that rule's supervisor and escalation queue (when that queue exists). A post routed to the default
 * queue (or by a rule since removed) gets those of the lowest-order active catch-all rule, else
 * `defaultSupervisor` and no escalation queue.
 */
export function escalationContacts(
  routedBy: string | null | undefined,
  rules: readonly RoutingRule[],
  queuesByDeveloperName: ReadonlyMap<string, QueueRef>,
  options: RoutingOptions = {},
): { supervisor: string | null; escalationQueueId: string | null } {
  const sorted = sortRules(rules);
  const rule =
    (routedBy ? sorted.find((candidate) => candidate.developerName === routedBy) : undefined) ??
    sorted.find((candidate) => candidate.active && !hasConditions(candidate));
  return {
    supervisor: rule?.supervisor ?? options.defaultSupervisor ?? null,
    escalationQueueId: rule?.escalationQueue
      ? (queuesByDeveloperName.get(rule.escalationQueue)?.id ?? null)
      : null,
  };
}

/** Queue rows (`SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue'`) → queues by DeveloperName. */
export function indexQueues(
  rows: readonly { Id: string; Name: string; DeveloperName: string }[],
): Map<string, QueueRef> {
  const queues = new Map<string, QueueRef>();
  for (const row of rows) {
    if (!row.Id || !row.DeveloperName) {
      throw new AppError('validation_failed', 'a queue row without Id or DeveloperName', { details: row });
    }
    queues.set(row.DeveloperName, { id: row.Id, name: row.Name || row.DeveloperName });
  }
  return queues;
}
