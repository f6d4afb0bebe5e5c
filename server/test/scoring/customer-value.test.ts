import { expect } from 'chai';
import {
  computeCustomerValues,
  influenceValue,
  personInfluence,
  type ReferralEngagement,
  type ValuedPerson,
  type WonDeal,
} from '../../src/scoring/customer-value.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function person(id: string, accountId: string | null, extra: Partial<ValuedPerson> = {}): ValuedPerson {
  return { id, accountId, influence: null, sentiment: null, ...extra };
}

describe('customer value', () => {
  describe('personInfluence', () => {
    it('is the highest scored profile, else the roll-up, else null', () => {
      expect(personInfluence([12, 61.5, null, undefined], 30)).to.equal(61.5);
      expect(personInfluence([null], 30)).to.equal(30);
      expect(personInfluence([], null)).to.equal(null);
      expect(personInfluence([Number.NaN], undefined)).to.equal(null);
    });
  });

  describe('influenceValue', () => {
    it('is U × influence/100 × positive sentiment, bounded by U, and 0 for detractors or unknowns', () => {
      expect(influenceValue(50, 0.5)).to.equal(250);
      expect(influenceValue(80, 0.25, { influenceUnit: 2000 })).to.equal(400);
      expect(influenceValue(100, 1)).to.equal(1000);
      expect(influenceValue(250, 3)).to.equal(1000);
      expect(influenceValue(90, -0.4)).to.equal(0);
      expect(influenceValue(90, 0)).to.equal(0);
      expect(influenceValue(null, 0.9)).to.equal(0);
      expect(influenceValue(70, null)).to.equal(0);
    });

    it('grows with influence and with sentiment', () => {
      let previous = -1;
      for (const i of [0, 10, 35, 70, 100]) {
        const v = influenceValue(i, 0.6);
        expect(v).to.be.at.least(previous);
        previous = v;
      }
      expect(influenceValue(60, 0.9)).to.be.greaterThan(influenceValue(60, 0.3));
    });
  });

  describe('computeCustomerValues', () => {
    it("gives a Contact its Account's won deals as lifetime value, and the Account its own once", () => {
      const people = [person('c1', 'a1'), person('c2', 'a1'), person('c3', null)];
      const values = computeCustomerValues(people, new Map([['a1', 12_345.678]]), [], []);
      expect(values.people.get('c1')).to.deep.equal({
        lifetime: 12_345.68,
        referred: 0,
        influence: 0,
        referral: 0,
        total: 12_345.68,
        referredDeals: 0,
      });
      expect(values.people.get('c3')?.total).to.equal(0);
      // Two contacts of a1: its lifetime value is counted once.
      expect(values.accounts.get('a1')).to.deep.equal({ lifetime: 12_345.68, referral: 0, total: 12_345.68 });
    });

    it('credits a referrer a share of deals won by Accounts whose people replied to them first', () => {
      const people = [person('ann', 'a1', { influence: 40, sentiment: 0.5 }), person('bob', 'b1')];
      const engagements: ReferralEngagement[] = [{ referrerId: 'ann', engagerAccountId: 'b1', at: T0 }];
      const deals: WonDeal[] = [
        { id: 'o1', accountId: 'b1', amount: 10_000, createdAt: T0 + 10 * DAY },
        // Created before the reply: not referred.
        { id: 'o0', accountId: 'b1', amount: 50_000, createdAt: T0 - DAY },
        // Outside the 180-day window.
        { id: 'o2', accountId: 'b1', amount: 70_000, createdAt: T0 + 200 * DAY },
      ];
      const values = computeCustomerValues(people, new Map([['a1', 1000]]), engagements, deals);
      const ann = values.people.get('ann')!;
      expect(ann).to.deep.equal({
        lifetime: 1000,
        referred: 1000,
        influence: 200,
        referral: 1200,
        total: 2200,
        referredDeals: 1,
      });
      // Account a1: lifetime once plus its contact's referral value.
      expect(values.accounts.get('a1')).to.deep.equal({ lifetime: 1000, referral: 1200, total: 2200 });
      expect(values.people.get('bob')?.referral).to.equal(0);
    });

    it('shares a deal among its referrers, never counts it twice, and never credits the buyer’s own people', () => {
      const people = [person('ann', 'a1'), person('cat', 'c1'), person('bob', 'b1')];
      const engagements: ReferralEngagement[] = [
        { referrerId: 'ann', engagerAccountId: 'b1', at: T0 },
        { referrerId: 'ann', engagerAccountId: 'b1', at: T0 + DAY },
        { referrerId: 'cat', engagerAccountId: 'b1', at: T0 + 2 * DAY },
        // bob is of b1: replying to a colleague does not make b1's deal a referral.
        { referrerId: 'bob', engagerAccountId: 'b1', at: T0 },
      ];
      const deals: WonDeal[] = [
        { id: 'o1', accountId: 'b1', amount: 9000, createdAt: T0 + 30 * DAY },
        { id: 'o1', accountId: 'b1', amount: 9000, createdAt: T0 + 30 * DAY },
      ];
      const values = computeCustomerValues(people, new Map(), engagements, deals, { referralShare: 0.2 });
      expect(values.people.get('ann')?.referred).to.equal(900);
      expect(values.people.get('cat')?.referred).to.equal(900);
      expect(values.people.get('bob')?.referred).to.equal(0);
      const credited = [...values.people.values()].reduce((sum, v) => sum + v.referred, 0);
      expect(credited).to.be.at.most(0.2 * 9000);
    });

    it("takes a Contact's own lifetime value when the configured field is on Contact", () => {
      const values = computeCustomerValues(
        [person('c1', 'a1', { lifetime: 500 }), person('c2', 'a1', { lifetime: null })],
        new Map([['a1', 800]]),
        [],
        [],
      );
      expect(values.people.get('c1')?.lifetime).to.equal(500);
      expect(values.people.get('c2')?.lifetime).to.equal(800);
    });

    it('ignores negative, missing or non-finite amounts and times', () => {
      const values = computeCustomerValues(
        [person('ann', 'a1')],
        new Map([['a1', -5]]),
        [{ referrerId: 'ann', engagerAccountId: 'b1', at: Number.NaN }],
        [
          { id: 'o1', accountId: 'b1', amount: Number.NaN, createdAt: T0 },
          { id: 'o2', accountId: 'b1', amount: -100, createdAt: T0 },
        ],
      );
      expect(values.people.get('ann')?.total).to.equal(0);
      expect(values.accounts.get('a1')?.total).to.equal(0);
    });
  });
});
