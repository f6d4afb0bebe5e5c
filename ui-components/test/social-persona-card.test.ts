import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { SocialPersonaCard } from '../src/index.ts';
import type { SocialPersona } from '../src/types.ts';
import { $, $$, root } from './helpers.ts';

const personas: SocialPersona[] = [
  {
    id: 'pa',
    network: 'x',
    handle: 'ann_lee',
    displayName: 'Ann Lee',
    profileUrl: 'https://x.com/ann_lee',
    followers: 12_345,
    influenceScore: 62,
    advocacyScore: 40,
    sentimentTrend: 0.4,
    verified: true,
  },
  {
    id: 'pb',
    network: 'bluesky',
    handle: 'ann.bsky.social',
    followers: 800,
    influenceScore: 30,
    advocacyScore: 71,
  },
];

const suggestions: SocialPersona[] = [
  {
    id: 'sg1',
    network: 'mastodon',
    handle: 'ann@mastodon.social',
    matchConfidence: 82,
    matchReason: 'Same display name and avatar',
  },
];

async function card(extra: Partial<SocialPersonaCard> = {}): Promise<SocialPersonaCard> {
  const el = await fixture<SocialPersonaCard>(html`<social-persona-card></social-persona-card>`);
  Object.assign(el, extra);
  await el.updateComplete;
  return el;
}

describe('<social-persona-card>', () => {
  it('lists the identities: network, handle linked to the profile, name, followers', async () => {
    const el = await card({ personas });
    const items = $$(el, '[part="persona"]');
    expect(items).to.have.length(2);
    const first = items[0]!.textContent!.replace(/\s+/g, ' ');
    expect(first).to.contain('X');
    expect(first).to.contain('@ann_lee');
    expect(first).to.contain('Ann Lee');
    expect(first).to.contain('12.3K followers');
    expect(first).to.contain('Verified');
    expect((items[0]!.querySelector('a') as HTMLAnchorElement).href).to.equal('https://x.com/ann_lee');
    // No profile URL: the handle is text.
    expect(items[1]!.querySelector('a')).to.equal(null);
  });

  const scores = (el: SocialPersonaCard): string[] =>
    $$(el, '[part="score"]').map((s) => s.textContent!.replace(/\s+/g, ' ').trim());

  it('shows influence and advocacy (the highest of the profiles unless given), saying so', async () => {
    const el = await card({ personas });
    expect(scores(el).slice(0, 2)).to.deep.equal([
      'Influence 62 highest of their profiles',
      'Advocacy 71 highest of their profiles',
    ]);
    el.influence = 55;
    await el.updateComplete;
    expect($$(el, '[part="score"]')[0]!.textContent).to.contain('55');
  });

  it("shows the record's average sentiment, never the last post's", async () => {
    const el = await card({ personas, sentimentTrend: [-0.2, -0.5, -0.95] });
    expect(scores(el)[2]).to.equal('Average sentiment — recent posts weigh most');
    el.sentiment = -0.4;
    await el.updateComplete;
    expect(scores(el)[2]).to.equal('Average sentiment Negative \u22120.40 recent posts weigh most');
  });

  it('labels sentiment with the cut the posts use (±0.25)', async () => {
    const el = await card({ sentiment: -0.2 });
    expect(scores(el)[2]).to.contain('Neutral \u22120.20');
    el.sentiment = 0.25;
    await el.updateComplete;
    expect(scores(el)[2]).to.contain('Positive +0.25');
  });

  it("shows each profile's influence and followers, in the right number", async () => {
    const el = await card({ personas: [{ ...personas[1]!, followers: 1 }] });
    const text = $(el, '[part="persona"]')!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('1 follower ');
    expect(text).to.contain('Influence 30');
  });

  it('draws trends as inline SVG sparklines with a text alternative', async () => {
    const el = await card({
      personas,
      influenceTrend: [40, 45, 50, 62],
      advocacyTrend: [70, 70, 71],
      sentimentTrend: [-0.5, 0, 0.2, -0.3],
    });
    const lines = $$(el, 'svg[part="sparkline"]');
    expect(lines).to.have.length(3);
    expect(lines.map((l) => l.getAttribute('aria-label'))).to.deep.equal([
      'Influence: 40 to 62, rising',
      'Advocacy: 70 to 71, steady',
      'Sentiment of their last 4 posts, one by one: \u22120.50 to \u22120.30, rising',
    ]);
    expect(lines[0]!.getAttribute('role')).to.equal('img');
    expect(lines[0]!.querySelector('polyline')!.getAttribute('points')!.split(' ')).to.have.length(4);
  });

  it('offers suggestions to accept or reject, with named buttons and the persona id in the event', async () => {
    const el = await card({ personas, suggestions });
    const item = $(el, '[part="suggestion"]')!;
    expect(item.textContent!.replace(/\s+/g, ' ')).to.contain('82% match · Same display name and avatar');
    const [accept, reject] = [...item.querySelectorAll('button')];
    expect(accept!.getAttribute('aria-label')).to.equal(
      'Accept @ann@mastodon.social on Mastodon as this person',
    );
    let heard = oneEvent(el, 'social-suggestion-accept');
    accept!.click();
    expect((await heard).detail).to.deep.equal({ personaId: 'sg1' });
    heard = oneEvent(el, 'social-suggestion-reject');
    reject!.click();
    const e = await heard;
    expect(e.detail).to.deep.equal({ personaId: 'sg1' });
    expect(e.bubbles && e.composed).to.be.true;
  });

  it('tells what to do when no identity is linked', async () => {
    const el = await card();
    expect(root(el).textContent).to.contain('No social profiles linked yet');
    expect(scores(el)[0]).to.equal('Influence — highest of their profiles');
  });

  it('is accessible (axe)', async () => {
    await expect(await card()).to.be.accessible();
    await expect(
      await card({
        personas,
        suggestions,
        influenceTrend: [1, 2, 3],
        advocacyTrend: [3, 2],
        sentimentTrend: [0, 0.5],
      }),
    ).to.be.accessible();
  });

  it('shows why a profile is joined to the person and fires social-persona-split from its Split button', async () => {
    const el = await card({
      personas: [
        personas[0]!,
        {
          ...personas[1]!,
          personKey: 'x:1',
          joinReason: 'x:1 and this profile cite each other',
          joinConfidence: 97,
        },
      ],
    });
    const items = $$(el, '[part="persona"]');
    expect(items[0]!.querySelector('button')).to.equal(null);
    expect(items[1]!.textContent).to.contain('Joined: x:1 and this profile cite each other · 97%');
    const button = items[1]!.querySelector('button')!;
    expect(button.getAttribute('aria-label')).to.equal('Split @ann.bsky.social from this person');
    setTimeout(() => button.click());
    const event = await oneEvent(el, 'social-persona-split');
    expect(event.detail).to.deep.equal({ personaId: 'pb' });
  });

  it('shows the customer value in one line, in the org currency, its parts in the title', async () => {
    const el = await card({
      personas,
      customerValue: { total: 12_345.4, lifetime: 12_000, referral: 345.4, currency: 'EUR' },
    });
    const line = $(el, '[part="customer-value"]')!;
    const euros = (n: number) =>
      new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency: 'EUR',
        maximumFractionDigits: 0,
      }).format(n);
    expect(line.textContent!.replace(/\s+/g, ' ').trim()).to.equal(`Customer value ${euros(12_345)}`);
    expect(line.getAttribute('title')).to.equal(`Lifetime ${euros(12_000)} + referral ${euros(345)}`);
  });

  it('formats the customer value in USD without a known currency, and hides it without a value', async () => {
    const el = await card({ customerValue: { total: 980, currency: 'not a code' } });
    const line = $(el, '[part="customer-value"]')!;
    const dollars = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(980);
    expect(line.textContent).to.contain(dollars.replace(/\.00$/, ''));
    expect(line.hasAttribute('title')).to.equal(false);
    el.customerValue = null;
    await el.updateComplete;
    expect($(el, '[part="customer-value"]')).to.equal(null);
    el.customerValue = { total: Number.NaN };
    await el.updateComplete;
    expect($(el, '[part="customer-value"]')).to.equal(null);
  });
});
