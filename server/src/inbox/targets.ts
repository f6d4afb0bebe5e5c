/**
 * Reply-time targets (`Social_Reply_Target__mdt`): how many business minutes an agent has to answer a post
 * of a given priority, optionally on one network, counted in a named BusinessHours (blank: the org's
 * default). `Reply_Due__c` = received + that many business minutes.
 *
 * The most specific target wins: one for the post's network and priority, else one for the priority on
 * any network. A target whose business hours do not exist (or are closed every day) is skipped — the
 * less specific one applies — and reported by `targetProblems`; with no usable target the post has no
 * due time (null).
 */
import { z } from 'zod';
import { NETWORKS, type Network } from '../domain/mention.ts';
import { addBusinessMinutes, hasOpenHours, type BusinessHoursSchedule } from './business-hours.ts';
import { PRIORITIES, type Priority } from './priority.ts';
import { describeIssues, rowError, rowName } from './rows.ts';

const TYPE = 'Social_Reply_Target__mdt';

export interface ReplyTarget {
  developerName: string;
  priority: Priority;
  /** Null: any network. */
  network: Network | null;
  /** Business minutes, ≥ 0. */
  minutes: number;
  /** BusinessHours Name; null: the org's default. */
  businessHours: string | null;
}

const blankToNull = (value: unknown): unknown =>
  value === undefined || (typeof value === 'string' && value.trim() === '') ? null : value;

/** A `Social_Reply_Target__mdt` row as SOQL returns it (extra fields ignored). */
export const ReplyTargetRow = z
  .object({
    DeveloperName: z.string({ error: 'required' }).trim().min(1, 'required'),
    Priority__c: z.preprocess(
      (value) => {
        const text = blankToNull(value);
        if (typeof text !== 'string') return text;
        const lower = text.trim().toLowerCase();
        return PRIORITIES.find((priority) => priority.toLowerCase() === lower) ?? text;
      },
      z.enum(PRIORITIES, { error: `expected one of ${PRIORITIES.join(', ')}` }),
    ),
    Network__c: z.preprocess(
      (value) => {
        const text = blankToNull(value);
        if (typeof text !== 'string') return text;
        const lower = text.trim().toLowerCase();
        return lower === 'twitter' ? 'x' : lower;
      },
      z.enum(NETWORKS, { error: `expected blank or one of ${NETWORKS.join(', ')}` }).nullable(),
    ),
    Minutes__c: z.preprocess(
      (value) => {
        const blank = blankToNull(value);
        return typeof blank === 'string' && Number.isFinite(Number(blank)) ? Number(blank) : blank;
      },
      z
        .number({ error: 'required: a whole number of business minutes' })
        .int('expected a whole number of business minutes')
        .min(0, 'expected 0 or more business minutes')
        .max(999_999, 'expected at most 999999 business minutes'),
    ),
    Business_Hours__c: z.preprocess(blankToNull, z.string().trim().nullable()),
  })
  .transform((row): ReplyTarget => ({
    developerName: row.DeveloperName,
    priority: row.Priority__c,
    network: row.Network__c,
    minutes: row.Minutes__c,
    businessHours: row.Business_Hours__c,
  }));

/** One row → a target. Throws an AppError (`validation_failed`) naming the target and every bad field. */
export function parseReplyTarget(raw: unknown): ReplyTarget {
  const parsed = ReplyTargetRow.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw rowError(TYPE, rowName(raw, 'DeveloperName'), describeIssues(parsed.error), parsed.error);
}

/** All rows → the targets that parse and one problem per bad row. */
export function parseReplyTargets(rows: readonly unknown[]): { targets: ReplyTarget[]; problems: string[] } {
  const targets: ReplyTarget[] = [];
  const problems: string[] = [];
  rows.forEach((raw, index) => {
    const parsed = ReplyTargetRow.safeParse(raw);
    if (parsed.success) targets.push(parsed.data);
    else problems.push(`${TYPE} "${rowName(raw, 'DeveloperName', index)}": ${describeIssues(parsed.error)}`);
  });
  return { targets, problems };
}

/** BusinessHours by Name: exact, else ignoring case and surrounding spaces. */
function findHours(
  name: string,
  businessHoursByName: ReadonlyMap<string, BusinessHoursSchedule>,
): BusinessHoursSchedule | undefined {
  const exact = businessHoursByName.get(name);
  if (exact) return exact;
  const wanted = name.trim().toLowerCase();
  for (const [key, schedule] of businessHoursByName) if (key.trim().toLowerCase() === wanted) return schedule;
  return undefined;
}

/** The schedule a target counts in, or why it cannot count. */
function hoursOf(
  target: ReplyTarget,
  businessHoursByName: ReadonlyMap<string, BusinessHoursSchedule>,
  defaultHours: BusinessHoursSchedule | null,
): BusinessHoursSchedule | string {
  const schedule = target.businessHours ? findHours(target.businessHours, businessHoursByName) : defaultHours;
  if (!schedule) {
    return target.businessHours
      ? `no active BusinessHours is named "${target.businessHours}"`
      : 'Business_Hours__c is blank and the org has no default BusinessHours';
  }
  if (!hasOpenHours(schedule)) return `BusinessHours "${schedule.name}" are closed every day`;
  return schedule;
}

/** Most specific first (network and priority, then priority only), DeveloperName breaking ties. */
function candidates(targets: readonly ReplyTarget[], priority: Priority, network: Network): ReplyTarget[] {
  const byName = (a: ReplyTarget, b: ReplyTarget) =>
    a.developerName < b.developerName ? -1 : a.developerName > b.developerName ? 1 : 0;
  const forPriority = targets.filter((target) => target.priority === priority);
  return [
    ...forPriority.filter((target) => target.network === network).sort(byName),
    ...forPriority.filter((target) => target.network === null).sort(byName),
  ];
}

export interface ReplyDueInput {
  /** When the post was received (`Posted_At__c`). */
  receivedAt: Date;
  priority: Priority;
  network: Network;
}

export interface ReplyDue {
  /** `Reply_Due__c`. */
  dueAt: Date;
  /** DeveloperName of the target used. */
  target: string;
  minutes: number;
  /** Name of the business hours counted in. */
  businessHours: string;
}

/**
 * When the first reply to a post is due: the most specific usable target's minutes added, in business time,
 * to `receivedAt`. Null when no target applies (no target for the priority, or none usable).
 */
export function replyDueAt(
  post: ReplyDueInput,
  targets: readonly ReplyTarget[],
  businessHoursByName: ReadonlyMap<string, BusinessHoursSchedule>,
  defaultHours: BusinessHoursSchedule | null,
): ReplyDue | null {
  for (const target of candidates(targets, post.priority, post.network)) {
    const schedule = hoursOf(target, businessHoursByName, defaultHours);
    if (typeof schedule === 'string') continue;
    return {
      dueAt: addBusinessMinutes(post.receivedAt, target.minutes, schedule),
      target: target.developerName,
      minutes: target.minutes,
      businessHours: schedule.name,
    };
  }
  return null;
}

/**
 * What is wrong with the targets as configured, one sentence each (for /api/status): targets whose business
 * hours are missing or closed every day, two targets for the same network and priority, and priorities
 * without a target for every network.
 */
export function targetProblems(
  targets: readonly ReplyTarget[],
  businessHoursByName: ReadonlyMap<string, BusinessHoursSchedule>,
  defaultHours: BusinessHoursSchedule | null,
): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const target of [...targets].sort((a, b) => (a.developerName < b.developerName ? -1 : 1))) {
    const name = `${TYPE} "${target.developerName}"`;
    const schedule = hoursOf(target, businessHoursByName, defaultHours);
    if (typeof schedule === 'string') problems.push(`${name}: ${schedule}; the target is skipped`);
    const key = `${target.priority}/${target.network ?? '*'}`;
    const first = seen.get(key);
    if (first) {
      problems.push(
        `${name}: same priority (${target.priority}) and network (${target.network ?? 'any'}) as "${first}"; "${first}" is used`,
      );
    } else {
      seen.set(key, target.developerName);
    }
  }
  for (const priority of PRIORITIES) {
    if (!seen.has(`${priority}/*`)) {
      problems.push(`${TYPE}: no target for ${priority} posts on any network; they get no due time`);
    }
  }
  return problems;
}

/**
 * Whether the first response (or closing the post) at `respondedAt` met the target due at `dueAt`
 * (`Target_Met__c`): on or before it. Null when there is no target or no response yet.
 */
export function targetMet(
  dueAt: Date | null | undefined,
  respondedAt: Date | null | undefined,
): boolean | null {
  if (!dueAt || !respondedAt) return null;
  return respondedAt.getTime() <= dueAt.getTime();
}
