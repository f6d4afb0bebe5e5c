import { expect } from 'chai';
import { analyze } from '../../src/analysis/index.ts';
import { Mention } from '../../src/domain/mention.ts';
import type { PersonRecord } from '../../src/sync/crm-port.ts';
import { StreamingScores } from '../../src/sync/scores.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');

const contact: PersonRecord = {
  id: '003000000000001AAA',
  type: 'Contact',
  influence: null,
  sentiment: null,
  lastActivity: null,
} as PersonRecord;

function mention(id: string, handle: string, text: string, minutes: number): Mention {
  return Mention.parse({
    network: 'x',
    id,
    text,
    createdAt: new Date(T0 + minutes * 60_000).toISOString(),
    author: { id: `id-${handle}`, handle, followers: 1_000, following: 200 },
  });
}

function post(scores: StreamingScores, person: PersonRecord, m: Mention, influence: number) {
  const analysis = analyze(m.text, {});
  scores.observe([{ mention: m, analysis }]);
  return scores.rollup(person, {
    personaKey: `x:id-${m.author.handle}`,
    sentimentScore: analysis.sentiment.score,
    at: m.createdAt,
    influence,
  });
}

describe('sync/StreamingScores after a re-link', () => {
  it("an unlinked profile's influence does not come back with the remaining profile's next post", () => {
    const scores = new StreamingScores(
      () => false,
      () => T0,
    );
    post(scores, contact, mention('1', 'loud', 'Love the new stove', 0), 80);
    const before = post(scores, contact, mention('2', 'quiet', 'The stove is fine', 1), 20);
    expect(before.influence).to.equal(80);

    // The relinker unlinked "loud" and recomputed the Contact from the org: only "quiet" is left.
    scores.reseed({ id: contact.id, influence: 20, sentiment: 0.1, lastActivity: before.lastActivity });
    const after = post(scores, contact, mention('3', 'quiet', 'Still fine', 2), 20);
    expect(after.influence).to.equal(20);

    // Without the re-seed the old state would have brought 80 back.
    const stale = new StreamingScores(
      () => false,
      () => T0,
    );
    post(stale, contact, mention('1', 'loud', 'Love the new stove', 0), 80);
    post(stale, contact, mention('2', 'quiet', 'The stove is fine', 1), 20);
    expect(post(stale, contact, mention('3', 'quiet', 'Still fine', 2), 20).influence).to.equal(80);
  });

  it('re-scoring an unlinked profile no longer rolls it up onto its former person', () => {
    const scores = new StreamingScores(
      () => false,
      () => T0,
    );
    post(scores, contact, mention('1', 'loud', 'Love the new stove', 0), 80);
    expect(scores.rescore(['x:id-loud'])[0]?.person?.id).to.equal(contact.id);
    scores.reseed({ id: contact.id, influence: null, sentiment: null, lastActivity: null });
    expect(scores.rescore(['x:id-loud'])[0]?.person).to.equal(null);
  });

  it("posts newly linked to a person count in their sentiment: the org's recomputed roll-up is the start", () => {
    const scores = new StreamingScores(
      () => false,
      () => T0,
    );
    const first = post(scores, contact, mention('1', 'fan', 'I love this stove, it is great', 0), 30);
    expect(first.sentiment).to.be.above(0);
    // Earlier complaints of another profile were linked to the Contact: the org's roll-up is now negative.
    scores.reseed({
      id: contact.id,
      influence: 30,
      sentiment: -0.8,
      lastActivity: new Date(T0 + 60_000).toISOString(),
    });
    const next = post(scores, contact, mention('2', 'fan', 'ok', 2), 30);
    expect(next.sentiment).to.be.below(0);
  });
});
