/**
 * The roll-ups the product keeps on CRM records, computed from the seeded posts so the demo's record
 * pages agree with the timeline: per persona (sentiment trend, last activity), per contact and lead
 * (influence, sentiment, last social activity) and per social case (network, first response time).
 */
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

function summarizePeople(people: SeedRecord[], field: 'Contact__c' | 'Lead__c', data: SeedData): void {
  for (const person of people) {
    const personas = data.personas.filter((p) => refOf(p[field]) === person.ref);
    const inbound = data.posts.filter((p) => p['Is_Outbound__c'] === false && refOf(p[field]) === person.ref);
    const influence = personas.flatMap((p) => numberOf(p['Influence_Score__c']) ?? []);
    person['Social_Influence__c'] = influence.length > 0 ? Math.max(...influence) : null;
    person['Social_Sentiment__c'] = average(inbound.flatMap((p) => numberOf(p['Sentiment_Score__c']) ?? []));
    person['Last_Social_Activity__c'] = latest(inbound.flatMap((p) => textOf(p['Posted_At__c']) ?? []));
  }
}

/** Fills the roll-up fields in place. */
export function summarizeSocial(data: SeedData): void {
  for (const persona of data.personas) {
    const inbound = data.posts.filter((p) => refOf(p['Persona__c']) === persona.ref);
    persona['Sentiment_Trend__c'] = average(inbound.flatMap((p) => numberOf(p['Sentiment_Score__c']) ?? []));
    persona['Last_Activity__c'] = latest(inbound.flatMap((p) => textOf(p['Posted_At__c']) ?? []));
  }
  summarizePeople(data.contacts, 'Contact__c', data);
  summarizePeople(data.leads, 'Lead__c', data);

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
