import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { SHADOW_MODE } from '../src/index.ts';
import type { SocialTimeline } from '../src/index.ts';
import { post, $, until } from './helpers.ts';

describe('shadow root mode', () => {
  const expected = globalThis.__SOCIAL_SHADOW_MODE__ ?? 'open';

  it(`is ${expected} in this group, as the build-time constant says`, () => {
    expect(SHADOW_MODE).to.equal(expected);
  });

  for (const tag of ['social-timeline', 'social-respond-box', 'social-persona-card'] as const) {
    it(`<${tag}> renders into a ${expected} shadow root`, async () => {
      const el = await fixture(`<${tag}></${tag}>`);
      const lit = el as HTMLElementTagNameMap[typeof tag];
      expect(lit.renderRoot).to.be.instanceOf(ShadowRoot);
      expect((lit.renderRoot as ShadowRoot).mode).to.equal(expected);
      expect(el.shadowRoot === null).to.equal(expected === 'closed');
    });
  }

  it('events cross the shadow root with the host as target', async () => {
    const el = await fixture<SocialTimeline>(
      html`<social-timeline .posts=${[post({ id: 'a' })]}></social-timeline>`,
    );
    const wrapper = el.parentElement!;
    await until(() => !!$(el, 'article'), 'the post');
    const heard = oneEvent(wrapper, 'social-post-select');
    $(el, 'article')!.click();
    const e = await heard;
    expect(e.target).to.equal(el);
    expect(e.detail.postId).to.equal('a');
  });
});
