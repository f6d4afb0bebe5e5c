import { expect } from 'chai';
import { engagementRate, influenceBreakdown, influenceScore } from '../../src/scoring/influence.ts';

describe('scoring/influenceScore', () => {
  it('grows with followers but never past 100', () => {
    const counts = [0, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 1e12];
    const scores = counts.map((followers) =>
      influenceScore({ followers, following: 100, engagementRate: 0.01, pageRank: 0.3, verified: false }),
    );
    for (let i = 1; i < scores.length; i++) expect(scores[i]).to.be.at.least(scores[i - 1] ?? 0);
    expect(scores[scores.length - 1]).to.be.at.most(100);
    expect(
      influenceScore({ followers: 1e15, following: 0, engagementRate: 1, pageRank: 1, verified: true }),
    ).to.be.within(99, 100);
    expect(influenceScore({ followers: 0, following: 0, engagementRate: 0, pageRank: 0 })).to.equal(0);
  });

  it('caps what followers alone can add', () => {
    const huge = influenceScore({ followers: 1e9, following: 0, engagementRate: null, pageRank: 0 });
    expect(huge).to.be.below(50);
  });

  it('rewards engagement', () => {
    const base = { followers: 5_000, following: 400, pageRank: 0.2 };
    const quiet = influenceScore({ ...base, engagementRate: 0.0005 });
    const engaged = influenceScore({ ...base, engagementRate: 0.05 });
    expect(engaged).to.be.greaterThan(quiet + 15);
  });

  it('scores a bot-like account with many followers and no engagement below a smaller engaged one', () => {
    const bot = influenceScore({
      followers: 1_500_000,
      following: 1_400_000,
      verified: true,
      engagementRate: 0.000002,
      postsObserved: 200,
      pageRank: 0.02,
    });
    const engaged = influenceScore({
      followers: 3_000,
      following: 450,
      verified: false,
      engagementRate: 0.04,
      postsObserved: 40,
      pageRank: 0.35,
    });
    expect(engaged).to.be.greaterThan(bot);
  });

  it('penalizes follow-back ratios', () => {
    const organic = influenceBreakdown({ followers: 20_000, following: 500 });
    const followBack = influenceBreakdown({ followers: 20_000, following: 20_000 });
    expect(followBack.followBackPenalty).to.equal(0.75);
    expect(followBack.score).to.be.below(organic.score);
  });

  it('counts PageRank', () => {
    const base = { followers: 2_000, following: 300, engagementRate: 0.01 };
    expect(influenceScore({ ...base, pageRank: 0.9 })).to.be.greaterThan(
      influenceScore({ ...base, pageRank: 0.1 }),
    );
  });

  it('does not trust a high rate measured on very few posts', () => {
    const few = influenceScore({ followers: 1_000, engagementRate: 0.2, postsObserved: 1 });
    const many = influenceScore({ followers: 1_000, engagementRate: 0.2, postsObserved: 100 });
    expect(many).to.be.greaterThan(few);
  });

  it('leaves out what is unknown instead of counting it as zero', () => {
    const unknownRank = influenceScore({
      followers: 10_000,
      following: 100,
      engagementRate: 0.02,
      pageRank: null,
    });
    const zeroRank = influenceScore({ followers: 10_000, following: 100, engagementRate: 0.02, pageRank: 0 });
    expect(unknownRank).to.be.greaterThan(zeroRank);
    expect(influenceScore({ followers: null, verified: true })).to.equal(10);
    expect(influenceScore({ followers: null })).to.equal(0);
  });

  it('rounds to the field scale', () => {
    const score = influenceScore({
      followers: 12_345,
      following: 321,
      engagementRate: 0.0123,
      pageRank: 0.321,
    });
    expect(Math.round(score * 100) / 100).to.equal(score);
  });

  describe('engagementRate', () => {
    it('is interactions per post over followers', () => {
      const posts = [
        { likes: 10, reposts: 2, replies: 3, quotes: 1 },
        { likes: 4, reposts: 0, replies: 0, quotes: 0 },
      ];
      expect(engagementRate(posts, 100)).to.equal(0.1);
      expect(engagementRate([], 100)).to.equal(0);
      expect(engagementRate(posts, 0)).to.equal(10);
    });
  });
});
