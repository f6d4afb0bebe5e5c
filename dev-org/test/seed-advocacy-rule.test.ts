import { expect } from 'chai';
import { analyze } from '../../server/src/analysis/index.ts';
import { Mention } from '../../server/src/domain/mention.ts';
import { StreamingScores } from '../../server/src/sync/scores.ts';
import { summarizeSocial } from '../src/seed/social-summary.ts';
import type { SeedData, SeedRecord } from '../src/seed/types.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');

/** One thread list, fed to the sync's streaming scores and to the seed's summary alike. */
const THREAD: { id: string; author: string; text: string; replyTo?: string }[] = [];
for (let i = 0; i < 10; i++) {
  THREAD.push({ id: `q${i}`, author: `asker${i}`, text: 'How do I reset my tent heater? Any idea?' });
  THREAD.push({ id: `lol${i}`, author: 'lol', text: 'lol', replyTo: `q${i}` });
  THREAD.push({
    id: `a${i}`,
    author: 'helper',
    text: 'Hold the reset button for five seconds.',
    replyTo: `q${i}`,
  });
  if (i < 4)
    THREAD.push({ id: `t${i}`, author: `asker${i}`, text: 'Thanks, that is great!', replyTo: `a${i}` });
}

function streaming(): Map<string, number> {
  const scores = new StreamingScores(
    () => false,
    () => T0,
  );
  const byId = new Map(THREAD.map((p) => [p.id, p]));
  const out = new Map<string, number>();
  THREAD.forEach((p, i) => {
    const mention = Mention.parse({
      network: 'x',
      id: p.id,
      text: p.text,
      createdAt: new Date(T0 + i * 1000).toISOString(),
      author: { id: p.author, handle: p.author, followers: 0, following: 0 },
      inReplyToId: p.replyTo,
      inReplyToAuthorId: p.replyTo ? byId.get(p.replyTo)!.author : undefined,
    });
    scores.observe([{ mention, analysis: analyze(p.text, {}) }]);
  });
  for (const r of scores.rescore(['x:lol', 'x:helper'])) out.set(r.personaKey, r.scores.advocacy);
  return out;
}

function seeded(): Map<string, number> {
  const authors = [...new Set(THREAD.map((p) => p.author))];
  const data = {
    users: [],
    groups: [],
    queueSobjects: [],
    groupMembers: [],
    businessHours: [],
    accounts: [],
    contacts: [],
    leads: [],
    cases: [],
    tasks: [],
    savedReplies: [],
    personas: authors.map((a): SeedRecord => ({ ref: a, Followers__c: 0, Verified__c: false })),
    posts: THREAD.map((p, i): SeedRecord => {
      const analysis = analyze(p.text, {});
      return {
        ref: p.id,
        Persona__c: { ref: p.author },
        In_Reply_To__c: p.replyTo ? { ref: p.replyTo } : null,
        Is_Outbound__c: false,
        Sentiment__c: analysis.sentiment.label,
        Sentiment_Score__c: analysis.sentiment.score,
        Intent__c: analysis.intent,
        Posted_At__c: new Date(T0 + i * 1000).toISOString(),
      };
    }),
  } satisfies SeedData;
  summarizeSocial(data, T0);
  return new Map(data.personas.map((p) => [`x:${p.ref}`, p['Advocacy_Score__c'] as number]));
}

describe('seed: advocacy by the sync server rule', () => {
  it('gives "lol" to ten customers the same advocacy (0) as the sync, and a confirmed helper the same score', () => {
    const live = streaming();
    const seed = seeded();
    expect(live.get('x:lol')).to.equal(0);
    expect(seed.get('x:lol')).to.equal(live.get('x:lol'));
    expect(live.get('x:helper')).to.be.above(0);
    expect(seed.get('x:helper')).to.equal(live.get('x:helper'));
  });
});
