/**
 * Advocacy score of a persona, 0..100 (`Social_Persona__c.Advocacy_Score__c`): how much this person is
 * worth as a referrer — speaks well of the brand, often, helps other customers, and is heard.
 *
 *   support   S = clamp( (pos + help − 2 × neg) / (pos + help + neg + 3), 0, 1 )
 *               net favourability; a complaint weighs twice a praise, and the + 3 keeps one or two
 *               mentions from looking like a committed fan (S ≤ 0 → a detractor, advocacy 0)
 *   activity  A = 1 − exp( −(pos + help) / 8 )                8 favourable acts → 0.63, 24 → 0.95
 *   helpful   H = 1 − exp( −help / 5 )                        answering other customers' questions
 *   reach     R = min(1, log10(1 + reach) / 6)                reach = followers; 1 M → 1
 *
 *   advocacy = 100 × S × (0.45 × A + 0.30 × H + 0.25 × R)
 *
 * `pos`/`neg` are the persona's brand mentions with positive/negative sentiment; neutral ones do not move
 * it. `help` counts *confirmed* helpful answers: a reply to another customer's question (not ours, not the
 * author's own) counts only once it is shown to have helped —
 *   - the asker answers it with kind words (positive sentiment or praise, and no complaint: `confirmsAnswer`),
 *   - the asker likes it, where the network tells (`Engagement` read back does not say who liked, so today
 *     only networks that list likers could; none is wired yet),
 *   - or an agent marks it helpful.
 * Until then an answer counts for nothing (a negative one still counts as negative): replying "lol" to ten
 * customers is no advocacy. `reach` is the audience that engages (influence.ts `engagedAudience`), not the
 * raw follower count: bought followers make nobody an advocate. Multiplying by S means no audience size
 * makes a detractor an advocate: whenever pos + help ≤ 2 × neg the score is exactly 0. Rounded to 2
 * decimals (Number(5,2)).
 */

export interface AdvocacyInput {
  positiveBrandMentions: number;
  negativeBrandMentions: number;
  /** Answers to other customers' questions confirmed helpful (by the asker's thanks or like, or an agent). */
  helpfulAnswers: number;
  /** Audience that engages (influence's `engagedAudience`; followers where nothing else is known); 0 or null when unknown. */
  reach: number | null;
}

export interface AdvocacyBreakdown {
  support: number;
  activity: number;
  helpfulness: number;
  reach: number;
  score: number;
}

function count(value: number | null | undefined): number {
  return value === null || value === undefined || !Number.isFinite(value) ? 0 : Math.max(0, value);
}

/** The advocacy score with its parts (see the module comment for the formula). */
export function advocacyBreakdown(input: AdvocacyInput): AdvocacyBreakdown {
  const pos = count(input.positiveBrandMentions);
  const neg = count(input.negativeBrandMentions);
  const help = count(input.helpfulAnswers);
  const audience = count(input.reach);
  const support = Math.min(1, Math.max(0, (pos + help - 2 * neg) / (pos + help + neg + 3)));
  const activity = 1 - Math.exp(-(pos + help) / 8);
  const helpfulness = 1 - Math.exp(-help / 5);
  const reach = Math.min(1, Math.log10(1 + audience) / 6);
  const raw = 100 * support * (0.45 * activity + 0.3 * helpfulness + 0.25 * reach);
  return { support, activity, helpfulness, reach, score: Math.round(raw * 100) / 100 };
}

/** Advocacy 0..100 (see the module comment). */
export function advocacyScore(input: AdvocacyInput): number {
  return advocacyBreakdown(input).score;
}

/** What scoring needs to know of a post to judge answers: its analysis labels. */
export interface PostLabels {
  sentiment: 'positive' | 'neutral' | 'negative';
  intent: 'complaint' | 'question' | 'praise' | 'purchase_intent' | 'other';
}

/**
 * A reply to another customer's question that may turn out to be a helpful answer: not a complaint and not
 * negative. It counts as help only when confirmed (see the module comment).
 */
export function mayBeAnswer(reply: PostLabels): boolean {
  return reply.sentiment !== 'negative' && reply.intent !== 'complaint';
}

/** The asker's reply to an answer confirms it helped: kind words (positive, or praise) and no complaint. */
export function confirmsAnswer(reply: PostLabels): boolean {
  return (
    (reply.sentiment === 'positive' || reply.intent === 'praise') &&
    reply.sentiment !== 'negative' &&
    reply.intent !== 'complaint'
  );
}
