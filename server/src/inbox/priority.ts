/**
 * A post's priority in the inbox (`Social_Post__c.Priority__c`): what an agent should answer first.
 *
 *   Urgent  a complaint, negative in tone, from an author of influence ≥ 70 — the post that turns into
 *           a thread everybody sees if it waits
 *   High    any other complaint, any negative post, a purchase intent (a sale waiting), or an author of
 *           influence ≥ 50
 *   Normal  a question
 *   Low     the rest (praise, other) from authors below 50
 *
 * Unknown influence counts as 0, unknown intent and sentiment as neither. A breach of the reply-time
 * target raises the priority one level (`raisePriority`).
 */
import { z } from 'zod';
import type { Intent, SentimentLabel } from '../analysis/schema.ts';

export const PRIORITIES = ['Urgent', 'High', 'Normal', 'Low'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

/** The thresholds of `priorityOf`, exported so documentation and the UI can quote them. */
export const PRIORITY_RULES = {
  /** A negative complaint from this influence up is Urgent. */
  urgentInfluence: 70,
  /** Anything from this influence up is at least High. */
  highInfluence: 50,
} as const;

export interface PriorityInput {
  /** Author influence 0–100 (`Influence_Score__c`); null: unknown. */
  influence: number | null | undefined;
  intent: Intent | null | undefined;
  sentiment: SentimentLabel | null | undefined;
}

export function priorityOf(input: PriorityInput): Priority {
  const influence = Number.isFinite(input.influence) ? (input.influence as number) : 0;
  const complaint = input.intent === 'complaint';
  const negative = input.sentiment === 'negative';
  if (complaint && negative && influence >= PRIORITY_RULES.urgentInfluence) return 'Urgent';
  if (
    complaint ||
    negative ||
    input.intent === 'purchase_intent' ||
    influence >= PRIORITY_RULES.highInfluence
  ) {
    return 'High';
  }
  if (input.intent === 'question') return 'Normal';
  return 'Low';
}

/** One level up (Low → Normal → High → Urgent); Urgent stays Urgent. */
export function raisePriority(priority: Priority): Priority {
  const index = PRIORITIES.indexOf(priority);
  if (index < 0) throw new RangeError(`unknown priority: ${String(priority)}`);
  return PRIORITIES[Math.max(0, index - 1)] ?? 'Urgent';
}

/** For sorting: negative when `a` is more urgent than `b`. */
export function comparePriority(a: Priority, b: Priority): number {
  return PRIORITIES.indexOf(a) - PRIORITIES.indexOf(b);
}
