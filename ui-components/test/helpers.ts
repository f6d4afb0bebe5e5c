import type { LitElement } from 'lit';
import '../src/index.ts';
import type { SocialPost } from '../src/index.ts';

declare global {
  // Set by web-test-runner.config.mjs per group.
  var __SOCIAL_SHADOW_MODE__: ShadowRootMode | undefined;
}

/** The component's shadow root, open or closed: Lit keeps the root it attached as `renderRoot`. */
export function root(el: LitElement): ShadowRoot {
  return el.renderRoot as ShadowRoot;
}

export function $(el: LitElement, selector: string): HTMLElement | null {
  return root(el).querySelector<HTMLElement>(selector);
}

export function $$(el: LitElement, selector: string): HTMLElement[] {
  return [...root(el).querySelectorAll<HTMLElement>(selector)];
}

export const frame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));

/** Waits until `check` passes (the virtualizer renders over a few frames). */
export async function until(check: () => boolean, what = 'condition', frames = 120): Promise<void> {
  for (let i = 0; i < frames; i++) {
    if (check()) return;
    await frame();
  }
  throw new Error(`timed out waiting for ${what}`);
}

const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();

export function post(over: Partial<SocialPost> & { id: string }): SocialPost {
  return {
    network: 'x',
    body: `Post ${over.id}`,
    postedAt: minutesAgo(5),
    authorHandle: 'ann_lee',
    authorName: 'Ann Lee',
    ...over,
  };
}

/** `n` posts, one a minute apart, newest first (`p0` is the newest). */
export function manyPosts(n: number): SocialPost[] {
  const networks = ['x', 'bluesky', 'mastodon', 'facebook', 'instagram'] as const;
  const out: SocialPost[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      post({
        id: `p${i}`,
        network: networks[i % 5]!,
        body: `Post number ${i} about #support https://example.com/${i} @brand`,
        postedAt: minutesAgo(i + 1),
        authorHandle: `user${i % 50}`,
        authorName: `User ${i % 50}`,
        sentiment: i % 3 === 0 ? 'negative' : 'positive',
        intent: i % 2 ? 'question' : 'complaint',
        needsReply: i % 4 === 0,
      }),
    );
  }
  return out;
}

export { minutesAgo };
