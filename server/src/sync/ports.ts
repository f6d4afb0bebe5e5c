/**
 * What the sync worker asks of analysis, identity and scoring, in its own words; the composition root
 * hands in the implementations (analysis/, identity/, scoring/ behind sync/people.ts and sync/scores.ts).
 */
import type { Analysis } from '../analysis/schema.ts';
import type { Mention } from '../domain/mention.ts';
import type { PersonRecord } from './crm-port.ts';
import type { InboxPlacement } from './write-plan.ts';

export type Analyze = (text: string, languageHint: string | null) => Analysis;

export interface PersonMatch {
  person: PersonRecord;
  confidence: number;
  reason: string;
}

export interface IdentityResolution {
  /** Confident enough to link the persona (and its posts) to this person. */
  link: PersonMatch | null;
  /** Not confident enough: a suggestion a rep can accept on the persona. */
  suggestion: PersonMatch | null;
}

export interface IdentityService {
  /** Loads the people directory at first use, then catches up with changes every so often. */
  refreshIfDue(): Promise<void>;
  resolve(mention: Mention): IdentityResolution;
  /** A persona was linked (by us) to a person: remember it for the author's next posts. */
  remember(personaKey: string, person: PersonRecord): void;
}

export interface AuthorScores {
  /** 0–100. */
  influence: number;
  /** 0–100. */
  advocacy: number;
}

export interface PersonRollup {
  influence: number;
  sentiment: number;
  lastActivity: string;
}

export interface ScoringService {
  /** Takes a batch into the interaction graph and the authors' histories; each author's scores now, in order. */
  observe(items: readonly { mention: Mention; analysis: Analysis }[]): AuthorScores[];
  /** The person's roll-up after this post (incremental, from the person's current values). */
  rollup(
    person: PersonRecord,
    post: { personaKey: string; sentimentScore: number; at: string; influence: number },
  ): PersonRollup;
}

/** What routing knows of a post that needs an answer. */
export interface InboxPost {
  network: Mention['network'];
  text: string;
  language: string;
  intent: Analysis['intent'];
  sentiment: Analysis['sentiment']['label'];
  /** The author's influence 0–100. */
  influence: number;
  /** The Account of the person the post is linked to, if any. */
  accountId: string | null;
  /** The Contact the post is linked to, if any (routing by customer value). */
  contactId?: string | null;
  receivedAt: Date;
}

export interface InboxRouter {
  /** The queue, priority and due time of a post that needs an answer. */
  place(post: InboxPost): InboxPlacement;
}

export interface InboxIntake {
  /** The routing rules and reply-time targets in force (re-read from the org when due); null without an inbox. Never throws. */
  router(): Promise<InboxRouter | null>;
}
