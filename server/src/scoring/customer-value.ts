/**
 * Customer value (`Social_Customer_Value__c` on Contact and Account): what a customer is worth to the brand,
 * the founding idea of social CRM — lifetime value plus the value of their influence and referrals. Pure:
 * the store reads the org, this adds it up. Every term is in the org currency, explainable and bounded.
 *
 * For a Contact C with Account A (amounts rounded to cents):
 *
 *   lifetime   L(C) = L(A)  closed-won Opportunity Amounts of C's Account (IsWon = true), or the value of
 *                           the field CUSTOMER_VALUE_FIELD names (`Account.AnnualRevenue`, `Contact.LTV__c`, …).
 *                           The Account's, not C's contact roles: the relationship is the customer, and the
 *                           Account value below then counts it once.
 *   referred   D(C) = α × Σ_deals  Amount(o) / |referrers(o)|
 *                           over won Opportunities o of any other Account B whose people (Contacts of B,
 *                           Leads converted into B) replied to C's posts before o was created, within
 *                           `windowDays` (default 180) of that reply; referrers(o) are all such people of
 *                           Accounts other than B (a deal's credit is shared, never counted twice).
 *                           α = `referralShare` (default 0.10): at most a tenth of a deal is the referrer's.
 *   influence  I(C) = U × (influence / 100) × max(0, sentiment)
 *                           influence = the highest Influence_Score__c of C's profiles (else
 *                           Social_Influence__c; `personInfluence`), sentiment = Social_Sentiment__c (−1…1).
 *                           U = `influenceUnit` (default 1,000): what a fully influential, fully positive
 *                           voice is worth. A detractor (sentiment ≤ 0) or a person without influence adds 0.
 *   referral   R(C) = D(C) + I(C)
 *   value      V(C) = L(C) + R(C)
 *
 * For an Account A:  V(A) = L(A) + Σ_{Contacts C of A with social activity} R(C) — its lifetime value once,
 * plus what its people bring beyond it. Bounds: 0 ≤ I ≤ U, 0 ≤ D ≤ α × the referred deals' amounts, and
 * people of A never refer A's own deals.
 */

export interface CustomerValueOptions {
  /** α: a referrer's share of a deal they referred. Default 0.10. */
  referralShare?: number;
  /** U: the value of influence 100 with sentiment +1. Default 1,000 (org currency). */
  influenceUnit?: number;
  /** A reply counts toward a deal created at most this many days later. Default 180. */
  windowDays?: number;
}

/** A person with social activity whose value is computed. */
export interface ValuedPerson {
  id: string;
  accountId: string | null;
  /** The person's influence 0–100 (`personInfluence`), or null. */
  influence: number | null;
  /** `Social_Sentiment__c`, −1…1, or null. */
  sentiment: number | null;
  /** With CUSTOMER_VALUE_FIELD on Contact: the Contact's own lifetime value, overriding the Account's. */
  lifetime?: number | null;
}

/** `engagerAccountId`'s person replied to a post of `referrerId` at `at` (epoch ms). */
export interface ReferralEngagement {
  referrerId: string;
  /** The Account of the person who replied (a Contact's, or a converted Lead's). */
  engagerAccountId: string;
  at: number;
}

/** A won Opportunity. */
export interface WonDeal {
  id: string;
  accountId: string;
  amount: number;
  /** CreatedDate, epoch ms. */
  createdAt: number;
}

export interface PersonValue {
  lifetime: number;
  /** D: the share of referred deals. */
  referred: number;
  /** I: influence × positive sentiment. */
  influence: number;
  /** R = D + I. */
  referral: number;
  /** V = L + R. */
  total: number;
  /** Won deals referred (whose credit this person shares). */
  referredDeals: number;
}

export interface AccountValue {
  lifetime: number;
  referral: number;
  total: number;
}

export interface CustomerValues {
  people: Map<string, PersonValue>;
  accounts: Map<string, AccountValue>;
}

const DAY_MS = 86_400_000;

const cents = (value: number): number => Math.round(value * 100) / 100;
const finite = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const clamp = (value: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, value));

/**
 * A person's influence, one definition everywhere (record page, persona card, customer value): the highest
 * `Influence_Score__c` of their linked profiles; without a scored profile, the roll-up `Social_Influence__c`.
 */
export function personInfluence(
  profileScores: readonly (number | null | undefined)[],
  rollup: number | null | undefined,
): number | null {
  const scores = profileScores.map(finite).filter((s): s is number => s !== null);
  return scores.length > 0 ? Math.max(...scores) : finite(rollup);
}

/** I = U × influence/100 × max(0, sentiment); 0 when either is unknown. */
export function influenceValue(
  influence: number | null,
  sentiment: number | null,
  options: CustomerValueOptions = {},
): number {
  const unit = Math.max(0, options.influenceUnit ?? 1000);
  const i = finite(influence);
  const s = finite(sentiment);
  if (i === null || s === null) return 0;
  return cents(unit * (clamp(i, 0, 100) / 100) * clamp(s, 0, 1));
}

/**
 * Every person's and Account's value (see the module comment). `accountLifetime` holds L(A) per Account
 * (absent: 0); people not in `people` get no value but can still be engagers through their Account.
 */
export function computeCustomerValues(
  people: readonly ValuedPerson[],
  accountLifetime: ReadonlyMap<string, number>,
  engagements: readonly ReferralEngagement[],
  deals: readonly WonDeal[],
  options: CustomerValueOptions = {},
): CustomerValues {
  const share = clamp(options.referralShare ?? 0.1, 0, 1);
  const windowMs = Math.max(0, options.windowDays ?? 180) * DAY_MS;
  const accountOf = new Map(people.map((p) => [p.id, p.accountId]));

  // Engagements by the engager's Account: which referrer was replied to, when.
  const byEngagerAccount = new Map<string, ReferralEngagement[]>();
  for (const e of engagements) {
    if (!Number.isFinite(e.at)) continue;
    const list = byEngagerAccount.get(e.engagerAccountId) ?? [];
    list.push(e);
    byEngagerAccount.set(e.engagerAccountId, list);
  }
  const referred = new Map<string, { amount: number; deals: number }>();
  const seenDeals = new Set<string>();
  for (const deal of deals) {
    const amount = finite(deal.amount);
    if (amount === null || amount <= 0 || seenDeals.has(deal.id)) continue;
    seenDeals.add(deal.id);
    const referrers = new Set<string>();
    for (const e of byEngagerAccount.get(deal.accountId) ?? []) {
      const before = deal.createdAt - e.at;
      // People of the buying Account never refer its own deal.
      if (before > 0 && before <= windowMs && accountOf.get(e.referrerId) !== deal.accountId) {
        referrers.add(e.referrerId);
      }
    }
    for (const referrer of referrers) {
      const current = referred.get(referrer) ?? { amount: 0, deals: 0 };
      current.amount += (share * amount) / referrers.size;
      current.deals += 1;
      referred.set(referrer, current);
    }
  }

  const result: CustomerValues = { people: new Map(), accounts: new Map() };
  for (const [accountId, lifetime] of accountLifetime) {
    const l = cents(Math.max(0, finite(lifetime) ?? 0));
    result.accounts.set(accountId, { lifetime: l, referral: 0, total: l });
  }
  for (const person of people) {
    const own = finite(person.lifetime);
    const lifetime = cents(
      Math.max(0, own ?? (person.accountId ? (accountLifetime.get(person.accountId) ?? 0) : 0)),
    );
    const d = cents(referred.get(person.id)?.amount ?? 0);
    const i = influenceValue(person.influence, person.sentiment, options);
    const referral = cents(d + i);
    result.people.set(person.id, {
      lifetime,
      referred: d,
      influence: i,
      referral,
      total: cents(lifetime + referral),
      referredDeals: referred.get(person.id)?.deals ?? 0,
    });
    if (person.accountId) {
      const account = result.accounts.get(person.accountId) ?? { lifetime: 0, referral: 0, total: 0 };
      account.referral = cents(account.referral + referral);
      account.total = cents(account.lifetime + account.referral);
      result.accounts.set(person.accountId, account);
    }
  }
  return result;
}
