import { expect } from 'chai';
import { advocacyCounts, type ThreadPost } from '../../src/scoring/index.ts';

function post(p: Partial<ThreadPost> & { id: string; author: string | null }): ThreadPost {
  return { inReplyTo: null, ours: false, sentiment: 'neutral', intent: 'other', ...p };
}

const question = (id: string, author: string): ThreadPost =>
  post({ id, author, intent: 'question', sentiment: 'neutral' });

describe('scoring/advocacyCounts (helpful answers in stored threads)', () => {
  it('counts nothing for "lol" to ten customers, kind or not', () => {
    const posts: ThreadPost[] = [];
    for (let i = 0; i < 10; i++) {
      posts.push(question(`q${i}`, `asker${i}`));
      posts.push(
        post({ id: `a${i}`, author: 'lol', inReplyTo: `q${i}`, sentiment: i % 2 ? 'positive' : 'neutral' }),
      );
    }
    expect(advocacyCounts(posts).get('lol')).to.deep.equal({
      positiveBrandMentions: 0,
      negativeBrandMentions: 0,
      helpfulAnswers: 0,
    });
  });

  it("counts an answer once the asker's kind reply confirms it, once however often thanked", () => {
    const posts = [
      question('q1', 'asker1'),
      post({ id: 'a1', author: 'helper', inReplyTo: 'q1' }),
      post({ id: 't1', author: 'asker1', inReplyTo: 'a1', sentiment: 'positive', intent: 'praise' }),
      post({ id: 't1b', author: 'asker1', inReplyTo: 'a1', sentiment: 'positive', intent: 'other' }),
      question('q2', 'asker2'),
      post({ id: 'a2', author: 'helper', inReplyTo: 'q2' }),
      // Someone else's thanks confirm nothing; the asker's complaint neither.
      post({ id: 'b2', author: 'bystander', inReplyTo: 'a2', sentiment: 'positive', intent: 'praise' }),
      post({ id: 'c2', author: 'asker2', inReplyTo: 'a2', sentiment: 'negative', intent: 'complaint' }),
    ];
    const counts = advocacyCounts(posts);
    expect(counts.get('helper')).to.deep.equal({
      positiveBrandMentions: 0,
      negativeBrandMentions: 0,
      helpfulAnswers: 1,
    });
    // The thanks themselves are the askers' favourable posts.
    expect(counts.get('asker1')?.positiveBrandMentions).to.equal(2);
    expect(counts.get('asker2')?.negativeBrandMentions).to.equal(1);
  });

  it('counts by sentiment what is not an answer to another customer’s question', () => {
    const posts = [
      post({ id: 'p', author: 'fan', sentiment: 'positive', intent: 'praise' }),
      // A reply to a post that is not a question, to the brand, to oneself, or to a post not held.
      post({ id: 'r1', author: 'fan', inReplyTo: 'p2', sentiment: 'positive' }),
      post({ id: 'p2', author: 'other', sentiment: 'neutral', intent: 'other' }),
      post({ id: 'ours', author: null, ours: true, intent: 'question' }),
      post({ id: 'r2', author: 'fan', inReplyTo: 'ours', sentiment: 'positive' }),
      question('own', 'fan'),
      post({ id: 'r3', author: 'fan', inReplyTo: 'own', sentiment: 'positive' }),
      post({ id: 'r4', author: 'fan', inReplyTo: 'missing', sentiment: 'negative' }),
      // A negative reply to another customer's question is negative, never a candidate answer.
      question('q', 'asker'),
      post({ id: 'r5', author: 'fan', inReplyTo: 'q', sentiment: 'negative', intent: 'complaint' }),
      post({ id: 'unlabelled', author: 'fan', sentiment: null, intent: null }),
    ];
    expect(advocacyCounts(posts).get('fan')).to.deep.equal({
      positiveBrandMentions: 4,
      negativeBrandMentions: 2,
      helpfulAnswers: 0,
    });
    // Brand posts count for no one.
    expect([...advocacyCounts(posts).keys()].sort()).to.deep.equal(['asker', 'fan', 'other']);
  });
});
