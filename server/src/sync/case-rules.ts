/**
 * When a mention opens, joins or reopens a Case. Configurable (CASE_RULES, JSON, zod-validated);
 * the defaults follow Salesforce's own social handler where it has one (reopen within 5 days).
 */
import { z } from 'zod';
import type { Analysis } from '../analysis/schema.ts';

export const CaseRules = z
  .object({
    /** Open cases at all. */
    enabled: z.boolean().default(true),
    /** What opens a case for a known customer (a linked Contact). */
    openFor: z.array(z.enum(['complaint', 'needs_reply'])).default(['complaint', 'needs_reply']),
    /** Anyone at or above this influence (0–100) with a complaint or a post that needs a reply gets a case too. */
    influenceThreshold: z.number().min(0).max(100).default(60),
    /** A reply in a thread whose case closed less than this many days ago reopens it; later, a new case. */
    reopenWithinDays: z.number().int().min(0).max(365).default(5),
    /** A complaint from an author at or above this influence alerts the record owner (a Task). */
    alertInfluenceThreshold: z.number().min(0).max(100).default(70),
  })
  .strict();
export type CaseRules = z.infer<typeof CaseRules>;

export interface ExistingCase {
  id: string;
  key: string;
  isClosed: boolean;
  closedAt: Date | null;
}

export type CaseDecision =
  | { action: 'none' }
  /** The thread's open case: the post joins it. */
  | { action: 'attach'; caseId: string; key: string }
  /** The thread's case closed recently: reopen it and attach. */
  | { action: 'reopen'; caseId: string; key: string }
  /** A new case under `key`; `retire` is an older closed case of the thread whose key must be freed first. */
  | { action: 'open'; key: string; priority: 'High' | 'Medium' | 'Low'; retire: ExistingCase | null };

export interface CaseInput {
  analysis: Pick<Analysis, 'intent' | 'needsReply' | 'sentiment'>;
  influence: number;
  knownCustomer: boolean;
  /** `<network>:<thread root id>`. */
  threadKey: string;
  /** The case already tied to this thread, if any. */
  existing: ExistingCase | null;
  now: Date;
}

export function casePriority(influence: number, sentimentScore: number): 'High' | 'Medium' | 'Low' {
  if (influence >= 70 || sentimentScore <= -0.6) return 'High';
  if (influence >= 40 || sentimentScore < -0.2) return 'Medium';
  return 'Low';
}

function wantsCase(input: CaseInput, rules: CaseRules): boolean {
  const complaint = input.analysis.intent === 'complaint';
  const needsReply = input.analysis.needsReply;
  if (input.knownCustomer) {
    return (
      (rules.openFor.includes('complaint') && complaint) ||
      (rules.openFor.includes('needs_reply') && needsReply)
    );
  }
  return input.influence >= rules.influenceThreshold && (complaint || needsReply);
}

export function decideCase(input: CaseInput, rules: CaseRules): CaseDecision {
  if (!rules.enabled) return { action: 'none' };
  const existing = input.existing;
  if (existing && !existing.isClosed) return { action: 'attach', caseId: existing.id, key: existing.key };
  if (existing?.isClosed && existing.closedAt) {
    const ageDays = (input.now.getTime() - existing.closedAt.getTime()) / 86_400_000;
    // A reply in a recently closed conversation is the same problem coming back.
    if (ageDays < rules.reopenWithinDays) return { action: 'reopen', caseId: existing.id, key: existing.key };
  }
  if (!wantsCase(input, rules)) return { action: 'none' };
  return {
    action: 'open',
    key: input.threadKey,
    priority: casePriority(input.influence, input.analysis.sentiment.score),
    retire: existing,
  };
}

export function wantsAlert(input: Pick<CaseInput, 'analysis' | 'influence'>, rules: CaseRules): boolean {
  return input.analysis.intent === 'complaint' && input.influence >= rules.alertInfluenceThreshold;
}
