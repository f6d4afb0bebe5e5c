import { expect } from 'chai';
import { analyze } from '../../src/analysis/index.ts';
import { Mention, type MentionInput } from '../../src/domain/mention.ts';
import { MATURE_AFTER_MS, StreamingScores } from '../../src/sync/scores.ts';
import type { PersonRecord } from '../../src/sync/crm-port.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');

function mention(input: Partial<MentionInput> & { id: string; authorId: string; text: string }): Mention {
  const { authorId, ...rest } = input;
  return Mention.parse({
    network: 'x',
    createdAt: new Date(T0).toISOString(),
    author: { id: authorId, handle: `user_${authorId}`, followers: 1_000, following: 200 },
    ...rest,
  });
}

function observe(scores: StreamingScores, m: Mention) {
  return scores.observe([{ mention: m, analysis: analyze(m.text, {}) }])[0]!;
}

describe('sync/StreamingScores', () => {
  it('gives no advocacy for answering ten customers with "lol"', () => {
    const scores = new StreamingScores(
      () => false,
      () => T0,
    );
    let last = { influence: 0, advocacy: 0 };
    for (let i = 0; i < 10; i++) {
      observe(
        scores,
        mention({ id: `q${i}`, authorId: `asker${i}`, text: 'How do I reset my tent heater? Any idea?' }),
      );
      last = observe(
        scores,
        mention({
          id: `a${i}`,
          authorId: 'lol',
          text: 'lol',
          inReplyToId: `q${i}`,
          inReplyToAuthorId: `asker${i}`,
        }),
      );
    }
    expect(last.advocacy).to.be.at.most(5);
  });

  it('counts an answer as help once the asker thanks it, and re-scores the answerer', () => {
    const scores = new StreamingScores(
      () => false,
      () => T0,
    );
    let before = { influence: 0, advocacy: 0 };
    for (let i = 0; i < 6; i++) {
      observe(
        scores,
        mention({ id: `q${i}`, authorId: `asker${i}`, text: 'How do I reset my tent heater? Any idea?' }),
      );
      before = observe(
        scores,
        mention({
          id: `a${i}`,
          authorId: 'helper',
          text: 'Hold the reset button for five seconds, then switch it back on.',
          inReplyToId: `q${i}`,
          inReplyToAuthorId: `asker${i}`,
        }),
      );
    }
    expect(before.advocacy).to.equal(0);
    // Someone else's thanks confirm nothing; the asker's own do.
    observe(
      scores,
      mention({ id: 'other', authorId: 'bystander', text: 'Thanks, that is great!', inReplyToId: 'a0' }),
    );
    expect(scores.takeChanged()).to.deep.equal([]);
    for (let i = 0; i < 6; i++) {
      observe(
        scores,
        mention({
          id: `t${i}`,
          authorId: `asker${i}`,
          text: 'Thank you so much, that worked perfectly!',
          inReplyToId: `a${i}`,
        }),
      );
    }
    const changed = scores.takeChanged();
    expect(changed).to.deep.equal(['x:helper']);
    const [after] = scores.rescore(changed);
    expect(after!.scores.advocacy).to.be.above(10);
  });

  it('treats zero likes at arrival as unknown, and posts read back later as evidence', () => {
    let now = T0;
    const scores = new StreamingScores(
      () => false,
      () => now,
    );
    const author = { id: 'big', handle: 'big', followers: 2_000_000, following: 500, verified: true };
    const first = scores.observe([
      {
        mention: mention({ id: 'p0', authorId: 'big', author, text: 'My order is late again' }),
        analysis: analyze('My order is late again', {}),
      },
    ])[0]!;
    for (let i = 1; i <= 20; i++) {
      observe(
        scores,
        mention({
          id: `p${i}`,
          authorId: 'big',
          author,
          text: `Another post ${i}`,
          createdAt: new Date(T0 + i * 1000).toISOString(),
        }),
      );
    }
    now = T0 + MATURE_AFTER_MS + 60_000;
    const targets = scores.refreshTargets({ perPersona: 50, maxAgeMs: 7 * 86_400_000 });
    expect(targets.filter((t) => t.personaKey === 'x:big')).to.have.length(20); // the last 20 are kept
    for (const t of targets)
      scores.applyEngagement(t.personaKey, t.postId, { likes: 0, reposts: 0, replies: 0, quotes: 0 });
    const [silent] = scores.rescore(['x:big']);
    expect(silent!.scores.influence).to.be.below(first.influence);
    expect(silent!.scores.influence).to.be.below(20);
  });

  it('rolls a re-scored persona up onto its person', () => {
    let now = T0;
    const scores = new StreamingScores(
      () => false,
      () => now,
    );
    const person: PersonRecord = {
      id: '003000000000001AAA',
      type: 'Contact',
      firstName: 'Ann',
      lastName: 'Lee',
      name: 'Ann Lee',
      email: null,
      company: null,
      website: null,
      socialHandles: null,
      accountId: null,
      ownerId: null,
      isConverted: false,
      influence: null,
      sentiment: null,
      lastActivity: null,
      lastModified: new Date(T0).toISOString(),
    };
    const m = mention({ id: 'p1', authorId: 'ann', text: 'Love the new tent' });
    const s = observe(scores, m);
    scores.rollup(person, {
      personaKey: 'x:ann',
      sentimentScore: 0.5,
      at: m.createdAt,
      influence: s.influence,
    });
    now = T0 + 2 * MATURE_AFTER_MS;
    scores.applyEngagement('x:ann', 'p1', { likes: 400, reposts: 80, replies: 30, quotes: 5 });
    const [r] = scores.rescore(['x:ann']);
    expect(r!.scores.influence).to.be.above(s.influence);
    expect(r!.person).to.deep.equal({ id: person.id, type: 'Contact', influence: r!.scores.influence });
  });
});
