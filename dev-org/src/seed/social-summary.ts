/**
 * The scores and roll-ups the product keeps on CRM records, computed from the seeded posts with the sync
 * server's own formulas, so the demo org holds what the product would have written and every screen
 * shows one number per score: per persona (influence, advocacy — helpful answers only once the asker
 * confirmed them, the server's rule in scoring/helpful-answers.ts — sentiment trend, last activity), per
 * contact and lead (highest influence, decayed average sentiment, last social activity) and per social
 * case (network, first response time).
 */
// The product's pure scoring functions (no I/O): the dev org holds what the product would have written.
import {
  advocacyCounts,
  advocacyScore,
  applyPersonaInfluence,
  applyPost,
  emptyRollupState,
  influenceScore,
  rollupFields,
  type AdvocacyCounts,
} from '../../../server/src/scoring/index.ts';
import { isRef } from './types.ts';
import type { SeedData, SeedRecord, SeedValue } from './types.ts';

function refOf(value: SeedValue | undefined): string | undefined {
  return isRef(value) ? value.ref : undefined;
}

function average(values: number[]): number | null {
  if (values.length === 0) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000;
}

function latest(values: string[]): string | null {
  return values.length === 0 ? null : values.reduce((a, b) => (a > b ? a : b));
}

function numberOf(value: SeedValue | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function textOf(value: SeedValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function summarizePeople(
  people: SeedRecord[],
  field: 'Contact__c' | 'Lead__c',
  data: SeedData,
  now: number,
): void {
  for (const person of people) {
    let state = emptyRollupState();
    for (const persona of data.personas.filter((p) => refOf(p[field]) === person.ref)) {
      const influence = numberOf(persona['Influence_Score__c']);
      if (influence !== undefined) state = applyPersonaInfluence(state, persona.ref, influence);
    }
    const inbound = data.posts.filter((p) => p['Is_Outbound__c'] === false && refOf(p[field]) === person.ref);
    for (const post of inbound) {
      const score = numberOf(post['Sentiment_Score__c']);
      const at = textOf(post['Posted_At__c']);
      if (score !== undefined && at) state = applyPost(state, { score, at });
    }
    Object.assign(person, rollupFields(state, now));
  }
}

function labelOf<T extends string>(value: SeedValue | undefined, allowed: readonly T[]): T | null {
  return allowed.includes(value as T) ? (value as T) : null;
}

/**
 * Advocacy counts of every persona by the sync server's rule (helpful-answers.ts): an answer to another
 * customer's question counts as help only once the asker confirms it; other posts count by sentiment.
 */
function advocacyCountsOf(data: SeedData): Map<string, AdvocacyCounts> {
  return advocacyCounts(
    data.posts.map((p) => ({
      id: p.ref,
      author: refOf(p['Persona__c']) ?? null,
      inReplyTo: refOf(p['In_Reply_To__c']) ?? null,
      ours: p['Is_Outbound__c'] !== false,
      sentiment: labelOf(p['Sentiment__c'], ['positive', 'neutral', 'negative']),
      intent: labelOf(p['Intent__c'], ['complaint', 'question', 'praise', 'purchase_intent', 'other']),
    })),
  );
}

/** Fills the roll-up fields in place. */
export function summarizeSocial(data: SeedData, now: number = Date.now()): void {
  const counts = advocacyCountsOf(data);
  for (const persona of data.personas) {
    // What the sync knows of an account it has only seen post (followers, verification): engagement and the
    // interaction graph come with the live stream, and their weight is shared among the known parts.
    persona['Influence_Score__c'] = influenceScore({
      followers: numberOf(persona['Followers__c']) ?? null,
      verified: persona['Verified__c'] === true,
    });
    persona['Advocacy_Score__c'] = advocacyScore({
      positiveBrandMentions: 0,
      negativeBrandMentions: 0,
      helpfulAnswers: 0,
      ...counts.get(persona.ref),
      reach: numberOf(persona['Followers__c']) ?? 0,
    });
    const inbound = data.posts.filter((p) => refOf(p['Persona__c']) === persona.ref);
    persona['Sentiment_Trend__c'] = average(inbound.flatMap((p) => numberOf(p['Sentiment_Score__c']) ?? []));
    persona['Last_Activity__c'] = latest(inbound.flatMap((p) => textOf(p['Posted_At__c']) ?? []));
  }
  summarizePeople(data.contacts, 'Contact__c', data, now);
  summarizePeople(data.leads, 'Lead__c', data, now);

  for (const caseRecord of data.cases) {
    const onCase = data.posts
      .filter((p) => refOf(p['Case__c']) === caseRecord.ref)
      .sort((a, b) => (textOf(a['Posted_At__c']) ?? '').localeCompare(textOf(b['Posted_At__c']) ?? ''));
    const first = onCase.find((p) => p['Is_Outbound__c'] === false);
    const answer = onCase.find((p) => p['Is_Outbound__c'] === true);
    caseRecord['Social_Network__c'] = first ? (textOf(first['Network__c']) ?? null) : null;
    const firstAt = textOf(first?.['Posted_At__c']);
    const answerAt = textOf(answer?.['Posted_At__c']);
    caseRecord['Social_First_Response_Minutes__c'] =
      firstAt && answerAt ? Math.round((Date.parse(answerAt) - Date.parse(firstAt)) / 60_000) : null;
  }
}
