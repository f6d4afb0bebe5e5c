/**
 * Demo traffic for `npm start`: every few seconds the next beat of the demo week (demo-week.ts) is
 * posted by its author's own account on its network, through the real paths: signed X and Meta
 * webhooks, the Mastodon stream, posts on the local Bluesky PDS. Each author posts with the id, handle
 * and display name of one person of the demo cast (demo-cast.ts); replies go under the post they answer.
 * After the week it starts over.
 */
import { RichText, type AtpAgent } from '@atproto/api';
import { findAccount, type DemoAccount, type DemoNetwork, type DemoPerson } from './demo-cast.ts';
import type { DemoBeat } from './demo-week.ts';
import type { MastodonStandIn } from './mastodon.ts';
import type { MetaStandIn } from './meta.ts';
import type { XStandIn } from './x.ts';

export interface DemoNetworks {
  x: XStandIn;
  meta: MetaStandIn;
  mastodon: MastodonStandIn;
  /** The brand's handle and a logged-in agent per local Bluesky account of the cast. */
  bluesky: { brandHandle: string; agents: ReadonlyMap<string, AtpAgent> } | null;
}

/** What one beat posted: the network and the post's id there (as the sync server keys it). */
export interface PlayedBeat {
  beat: DemoBeat;
  person: DemoPerson;
  network: DemoNetwork;
  postId: string;
}

type PostRef =
  | { network: 'bluesky'; uri: string; cid: string; root: { uri: string; cid: string } }
  | {
      network: Exclude<DemoNetwork, 'bluesky'>;
      id: string;
    };

function networkOf(beat: DemoBeat): DemoNetwork {
  return beat.by.slice(0, beat.by.indexOf(':')) as DemoNetwork;
}

export class DemoTraffic {
  readonly #networks: DemoNetworks;
  readonly #cast: readonly DemoPerson[];
  readonly #week: readonly DemoBeat[];
  readonly #log: (line: string) => void;
  /** The latest post of each beat, for the replies to it. */
  readonly #posted = new Map<string, PostRef>();
  #timer: NodeJS.Timeout | null = null;
  #n = 0;

  constructor(
    networks: DemoNetworks,
    cast: readonly DemoPerson[],
    week: readonly DemoBeat[],
    log: (line: string) => void,
  ) {
    this.#networks = networks;
    this.#cast = cast;
    this.#week = week;
    this.#log = log;
  }

  start(everyMs: number): void {
    this.#timer = setInterval(() => {
      this.next().catch((error: unknown) =>
        this.#log(`demo traffic: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, everyMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Posts the next beat whose author is in the cast; null when none of the week's authors is. */
  async next(): Promise<PlayedBeat | null> {
    for (let tries = 0; tries < this.#week.length; tries++) {
      const beat = this.#week[this.#n++ % this.#week.length]!;
      const author = findAccount(this.#cast, beat.by);
      if (!author) continue;
      const network = networkOf(beat);
      const posted = await this.#post(network, author.account, beat);
      if (!posted) continue;
      this.#posted.set(beat.id, posted);
      this.#log(
        `demo traffic: ${beat.intent.replace('_', ' ')} in ${beat.lang} on ${network} by ${author.person.name} (${author.person.kind === 'stranger' ? 'not in the CRM' : author.person.kind})${beat.replyTo ? ', in a thread' : ''}`,
      );
      return {
        beat,
        person: author.person,
        network,
        postId: posted.network === 'bluesky' ? posted.uri : posted.id,
      };
    }
    return null;
  }

  #parent(beat: DemoBeat, network: DemoNetwork): PostRef | undefined {
    const parent = beat.replyTo === undefined ? undefined : this.#posted.get(beat.replyTo);
    return parent?.network === network ? parent : undefined;
  }

  async #post(network: DemoNetwork, account: DemoAccount, beat: DemoBeat): Promise<PostRef | null> {
    const parent = this.#parent(beat, network);
    const parentId = parent && parent.network !== 'bluesky' ? parent.id : undefined;
    switch (network) {
      case 'x': {
        const { tweet } = await this.#networks.x.addMention({
          author: {
            username: account.handle,
            name: account.displayName,
            ...(account.userId ? { id: account.userId } : {}),
            followers_count: account.followers,
            verified: account.verified,
            description: account.bio,
          },
          text: beat.text,
          lang: beat.lang,
          ...(parentId ? { inReplyToTweetId: parentId } : {}),
        });
        return { network, id: tweet.id };
      }
      case 'mastodon': {
        const [username = account.handle, domain] = account.handle.split('@');
        const status = this.#networks.mastodon.addMention({
          author: {
            username,
            ...(domain ? { domain } : {}),
            ...(account.userId ? { id: account.userId } : {}),
            display_name: account.displayName,
            followers_count: account.followers,
            note: account.bio,
          },
          text: beat.text,
          language: beat.lang,
          ...(parentId ? { inReplyToId: parentId } : {}),
        });
        return { network, id: status.id };
      }
      case 'facebook': {
        const from = { name: account.displayName, ...(account.userId ? { id: account.userId } : {}) };
        const { postId } = await this.#networks.meta.addVisitorPost({ from, message: beat.text });
        return { network, id: postId };
      }
      case 'instagram': {
        const { commentId } = await this.#networks.meta.addInstagramComment({
          username: account.handle,
          ...(account.userId ? { userId: account.userId } : {}),
          text: beat.text,
        });
        return { network, id: commentId };
      }
      case 'bluesky': {
        const bluesky = this.#networks.bluesky;
        const agent = bluesky?.agents.get(account.handle);
        if (!bluesky || !agent) return null;
        const mentionsUs = beat.text.includes(`@${bluesky.brandHandle}`);
        const rt = new RichText({ text: mentionsUs ? beat.text : `@${bluesky.brandHandle} ${beat.text}` });
        await rt.detectFacets(agent);
        const replyTo = parent?.network === 'bluesky' ? parent : undefined;
        const { uri, cid } = await agent.post({
          text: rt.text,
          facets: rt.facets,
          langs: [beat.lang],
          createdAt: new Date().toISOString(),
          ...(replyTo
            ? { reply: { root: replyTo.root, parent: { uri: replyTo.uri, cid: replyTo.cid } } }
            : {}),
        });
        return { network, uri, cid, root: replyTo?.root ?? { uri, cid } };
      }
    }
  }
}
