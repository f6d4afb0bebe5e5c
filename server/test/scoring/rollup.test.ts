import { expect } from 'chai';
import {
  applyPersonaInfluence,
  applyPost,
  emptyRollupState,
  removePersona,
  rollupFields,
  sentimentAt,
} from '../../src/scoring/rollup.ts';

const DAY = 86_400_000;
const t0 = Date.parse('2026-01-01T00:00:00Z');

describe('scoring/rollup', () => {
  it('starts empty', () => {
    expect(rollupFields(emptyRollupState())).to.deep.equal({
      Social_Influence__c: null,
      Social_Sentiment__c: null,
      Last_Social_Activity__c: null,
    });
  });

  it('takes the highest persona influence', () => {
    let state = applyPersonaInfluence(emptyRollupState(), 'x:1', 42.123);
    state = applyPersonaInfluence(state, 'bluesky:did:plc:a', 67.456);
    state = applyPersonaInfluence(state, 'x:1', 30);
    expect(rollupFields(state).Social_Influence__c).to.equal(67.46);
    expect(rollupFields(removePersona(state, 'bluesky:did:plc:a')).Social_Influence__c).to.equal(30);
  });

  it('averages sentiment with exponential decay (half-life 30 days)', () => {
    let state = applyPost(emptyRollupState(), { score: -1, at: t0 });
    state = applyPost(state, { score: 1, at: t0 + 30 * DAY });
    // weights: the old post 0.5, the new one 1 → (−0.5 + 1) / (1.5 + 0.25)
    expect(sentimentAt(state)).to.be.closeTo(0.5 / 1.75, 1e-12);
    expect(rollupFields(state).Social_Sentiment__c).to.equal(0.286);
    expect(rollupFields(state).Last_Social_Activity__c).to.equal('2026-01-31T00:00:00.000Z');
  });

  it('drifts back toward neutral when the person falls quiet', () => {
    const state = applyPost(emptyRollupState(), { score: -1, at: new Date(t0) });
    expect(sentimentAt(state)).to.be.closeTo(-0.8, 1e-12);
    expect(sentimentAt(state, t0 + 30 * DAY)).to.be.closeTo(-0.5 / 0.75, 1e-12);
    expect(sentimentAt(state, t0 + 90 * DAY)).to.be.closeTo(-0.125 / 0.375, 1e-12);
    expect(Math.abs(sentimentAt(state, t0 + 365 * DAY) ?? 1)).to.be.below(0.01);
  });

  it('gives the same answer whatever order posts arrive in', () => {
    const posts = [
      { score: 0.8, at: t0 },
      { score: -0.4, at: t0 + 10 * DAY },
      { score: 0.2, at: t0 + 45 * DAY },
      { score: -0.9, at: t0 + 46 * DAY },
    ];
    const inOrder = posts.reduce((s, p) => applyPost(s, p), emptyRollupState());
    const shuffled = [posts[2]!, posts[0]!, posts[3]!, posts[1]!].reduce(
      (s, p) => applyPost(s, p),
      emptyRollupState(),
    );
    expect(sentimentAt(shuffled)).to.be.closeTo(sentimentAt(inOrder) ?? NaN, 1e-12);
    expect(shuffled.lastActivityAt).to.equal(t0 + 46 * DAY);
    expect(shuffled.posts).to.equal(4);
  });

  it('keeps a small JSON-serializable state and does not mutate it', () => {
    const before = emptyRollupState();
    const after = applyPost(before, { score: 2, at: '2026-03-01T12:00:00Z' });
    expect(before.posts).to.equal(0);
    expect(after.sentimentSum).to.equal(1); // clamped to 1
    expect(JSON.parse(JSON.stringify(after))).to.deep.equal(after);
    expect(() => applyPost(after, { score: 0, at: 'yesterday' })).to.throw(RangeError);
  });

  it('honours a custom half-life', () => {
    let state = applyPost(emptyRollupState(), { score: 1, at: t0 }, { halfLifeDays: 7 });
    state = applyPost(state, { score: -1, at: t0 + 7 * DAY }, { halfLifeDays: 7 });
    expect(sentimentAt(state, undefined, { halfLifeDays: 7, priorWeight: 0 })).to.be.closeTo(
      -0.5 / 1.5,
      1e-12,
    );
  });
});
