import { expect } from 'chai';
import { advocacyBreakdown, advocacyScore } from '../../src/scoring/advocacy.ts';

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
