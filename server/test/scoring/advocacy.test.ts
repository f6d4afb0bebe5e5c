import { expect } from 'chai';
import { advocacyBreakdown, advocacyScore, confirmsAnswer, mayBeAnswer } from '../../src/scoring/advocacy.ts';

describe('scoring/advocacyScore', () => {
  const fan = { positiveBrandMentions: 12, negativeBrandMentions: 1, helpfulAnswers: 4, reach: 5_000 };

  it('scores a consistent, helpful fan high and within 0..100', () => {
    const score = advocacyScore(fan);
    expect(score).to.be.within(40, 100);
    expect(
      advocacyScore({
        positiveBrandMentions: 1e6,
        negativeBrandMentions: 0,
        helpfulAnswers: 1e6,
        reach: 1e12,
      }),
    ).to.be.at.most(100);
  });

  it('gives detractors zero, whatever their reach', () => {
    expect(
      advocacyScore({
        positiveBrandMentions: 2,
        negativeBrandMentions: 6,
        helpfulAnswers: 0,
        reach: 2_000_000,
      }),
    ).to.equal(0);
  });

  it('gives nothing without any favourable act', () => {
    expect(
      advocacyScore({
        positiveBrandMentions: 0,
        negativeBrandMentions: 0,
        helpfulAnswers: 0,
        reach: 1_000_000,
      }),
    ).to.equal(0);
  });

  it('rises with helpful answers, positive mentions and reach; falls with complaints', () => {
    expect(advocacyScore({ ...fan, helpfulAnswers: 10 })).to.be.greaterThan(advocacyScore(fan));
    expect(advocacyScore({ ...fan, positiveBrandMentions: 30 })).to.be.greaterThan(advocacyScore(fan));
    expect(advocacyScore({ ...fan, reach: 500_000 })).to.be.greaterThan(advocacyScore(fan));
    expect(advocacyScore({ ...fan, negativeBrandMentions: 4 })).to.be.lessThan(advocacyScore(fan));
  });

  it('does not treat one praise as a committed fan', () => {
    const once = advocacyBreakdown({
      positiveBrandMentions: 1,
      negativeBrandMentions: 0,
      helpfulAnswers: 0,
      reach: 100,
    });
    expect(once.support).to.equal(0.25);
    expect(once.score).to.be.below(10);
  });
});

describe('scoring/helpful answers', () => {
  it('counts an answer only when the asker confirms it with kind words', () => {
    expect(mayBeAnswer({ sentiment: 'neutral', intent: 'other' })).to.equal(true);
    expect(mayBeAnswer({ sentiment: 'negative', intent: 'other' })).to.equal(false);
    expect(mayBeAnswer({ sentiment: 'neutral', intent: 'complaint' })).to.equal(false);
    expect(confirmsAnswer({ sentiment: 'positive', intent: 'other' })).to.equal(true);
    expect(confirmsAnswer({ sentiment: 'neutral', intent: 'praise' })).to.equal(true);
    expect(confirmsAnswer({ sentiment: 'neutral', intent: 'other' })).to.equal(false);
    expect(confirmsAnswer({ sentiment: 'positive', intent: 'complaint' })).to.equal(false);
    expect(confirmsAnswer({ sentiment: 'negative', intent: 'praise' })).to.equal(false);
  });

  it('gives a detractor exactly 0 whenever favourable acts are at most twice the complaints', () => {
    for (let neg = 1; neg <= 6; neg++) {
      for (let fav = 0; fav <= 2 * neg; fav++) {
        for (const help of [0, Math.floor(fav / 2)]) {
          const input = {
            positiveBrandMentions: fav - help,
            negativeBrandMentions: neg,
            helpfulAnswers: help,
            reach: 5_000_000,
          };
          expect(advocacyScore(input), JSON.stringify(input)).to.equal(0);
        }
      }
    }
  });
});
