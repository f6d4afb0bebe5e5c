/**
 * The scores and roll-ups the product keeps on CRM records, computed from the seeded posts with the sync
 * server's own formulas, so the demo org holds what the product would have written and every screen
 * shows one number per score: per persona (influence, advocacy, sentiment trend, last activity), per
 * contact and lead (highest influence, decayed average sentiment, last social activity) and per social
 * case (network, first response time).
 */
// The product's pure scoring functions (no I/O): the dev org holds what the product would have written.
import {
  advocacyScore,
  applyPersonaInfluence,
  applyPost,
  emptyRollupState,
  influenceScore,
  rollupFields,
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

/** Advocacy as the sync server counts it: kind answers to other customers are help, the rest by sentiment. */
function advocacyOf(persona: SeedRecord, data: SeedData): number {
  let positive = 0;
  let negative = 0;
  let helpful = 0;
  for (const post of data.posts) {
    if (refOf(post['Persona__c']) !== persona.ref || post['Is_Outbound__c'] !== false) continue;
    const parent = data.posts.find((p) => p.ref === refOf(post['In_Reply_To__c']));
    const toOtherCustomer =
      parent !== undefined &&
      parent['Is_Outbound__c'] === false &&
      refOf(parent['Persona__c']) !== persona.ref;
    if (toOtherCustomer && post['Sentiment__c'] !== 'negative' && post['Intent__c'] !== 'complaint')
      helpful += 1;
    else if (post['Sentiment__c'] === 'positive') positive += 1;
    else if (post['Sentiment__c'] === 'negative') negative += 1;
  }
  return advocacyScore({
    positiveBrandMentions: positive,
    negativeBrandMentions: negative,
    helpfulAnswers: helpful,
    reach: numberOf(persona['Followers__c']) ?? 0,
  });
}

/** Fills the roll-up fields in place. */
export function summarizeSocial(data: SeedData, now: number = Date.now()): void {
  for (const persona of data.personas) {
    // What the sync knows of an account it has only seen post (followers, verification): engagement and the
    // interaction graph come with the live stream, and their weight is shared among the known parts.
    persona['Influence_Score__c'] = influenceScore({
      followers: numberOf(persona['Followers__c']) ?? null,
      verified: persona['Verified__c'] === true,
    });
    persona['Advocacy_Score__c'] = advocacyOf(persona, data);
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
