/**
 * Demo traffic for `npm start`: every few seconds someone mentions the brand on one of the local
 * networks — customers the CRM knows (authors whose handles the seeded Contacts list) and strangers,
 * in several languages, asking, complaining, praising, shopping. It goes through the real paths: signed
 * X and Meta webhooks, the Mastodon stream, posts on the local Bluesky PDS.
 */
import { RichText, type AtpAgent } from '@atproto/api';
import type { MastodonStandIn } from './mastodon.ts';
import type { MetaStandIn } from './meta.ts';
import type { XStandIn } from './x.ts';

export interface KnownCustomer {
  name: string;
  /** `x:@ann_lee`, `mastodon:@ann@mastodon.social`, … as listed in Social_Handles__c. */
  handles: string[];
}

export interface DemoNetworks {
  x: XStandIn;
  meta: MetaStandIn;
  mastodon: MastodonStandIn;
  /** Logged-in agents of local Bluesky accounts that mention the brand, and the brand's handle. */
  bluesky: { brandHandle: string; authors: AtpAgent[] } | null;
}

const MESSAGES: readonly { text: string; lang: string }[] = [
  { text: 'My Trailhead 40L pack arrived with a torn strap. Order #48213. Can someone help?', lang: 'en' },
  { text: 'Do you ship the Summit 2 tent to Canada? Thinking of ordering this week.', lang: 'en' },
  {
    text: 'Best rain jacket I have owned, stayed dry through three days on the Olympic coast 🙌',
    lang: 'en',
  },
  { text: 'Still waiting for my refund, third time I ask. Really disappointed.', lang: 'en' },
  { text: 'How much is the Ridge down jacket in XL? Want to buy two.', lang: 'en' },
  { text: 'Is the store in Portland open on Sunday?', lang: 'en' },
  { text: 'Mi pedido llegó tarde y la mochila está rota. ¿Me pueden ayudar?', lang: 'es' },
  { text: '¡Me encantan mis botas nuevas! Súper cómodas en la montaña.', lang: 'es' },
  { text: 'Commande reçue avec deux jours de retard et sans facture… pas top.', lang: 'fr' },
  { text: 'Merci pour le service client, problème réglé en dix minutes !', lang: 'fr' },
  { text: 'Wo kann ich den Trailhead Rucksack in Berlin kaufen?', lang: 'de' },
  { text: 'Die Lieferung ist seit einer Woche überfällig. Bitte um Rückmeldung.', lang: 'de' },
  { text: 'Adorei a barraca, montagem super fácil. Recomendo!', lang: 'pt' },
  { text: 'Qual o prazo de entrega para Lisboa? Quero encomendar hoje.', lang: 'pt' },
  { text: 'Lo zaino è arrivato danneggiato, come posso fare il reso?', lang: 'it' },
  { text: 'Giacca fantastica, grazie mille!', lang: 'it' },
];

const STRANGERS = ['trail_mia', 'peakbagger_joe', 'lena.hikes', 'coastal_kai', 'summit_sara', 'camp_noah'];

function pick<T>(items: readonly T[], n: number): T {
  return items[n % items.length]!;
}

function handleOn(customer: KnownCustomer, network: string): string | null {
  const line = customer.handles.find((h) => h.startsWith(`${network}:`));
  return line ? line.slice(network.length + 1).replace(/^@/, '') : null;
}

export class DemoTraffic {
  readonly #networks: DemoNetworks;
  readonly #customers: KnownCustomer[];
  readonly #log: (line: string) => void;
  #timer: NodeJS.Timeout | null = null;
  #n = 0;

  constructor(networks: DemoNetworks, customers: KnownCustomer[], log: (line: string) => void) {
    this.#networks = networks;
    this.#customers = customers;
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

  /** One mention on the next network in turn. */
  async next(): Promise<void> {
    const n = this.#n++;
    const message = pick(MESSAGES, n * 7 + 3);
    const customer = this.#customers.length > 0 && n % 3 !== 2 ? pick(this.#customers, n * 5 + 1) : null;
    const networks = ['x', 'mastodon', 'facebook', 'bluesky', 'instagram'] as const;
    const network = networks[n % networks.length]!;
    const stranger = pick(STRANGERS, n);
    switch (network) {
      case 'x': {
        const username = (customer && handleOn(customer, 'x')) ?? stranger.replace('.', '_');
        await this.#networks.x.addMention({
          author: { username, name: customer?.name ?? username },
          text: message.text,
          lang: message.lang,
        });
        break;
      }
      case 'mastodon': {
        const handle =
          (customer && handleOn(customer, 'mastodon')) ?? `${stranger.replace('.', '_')}@mastodon.example`;
        const [username, domain] = handle.split('@');
        this.#networks.mastodon.addMention({
          author: {
            username: username!,
            ...(domain ? { domain } : {}),
            display_name: customer?.name ?? username!,
          },
          text: message.text,
          language: message.lang,
        });
        break;
      }
      case 'facebook':
        await this.#networks.meta.addVisitorPost({
          from: { name: customer?.name ?? stranger },
          message: message.text,
        });
        break;
      case 'instagram':
        await this.#networks.meta.addInstagramComment({
          username: (customer && handleOn(customer, 'instagram')) ?? stranger.replace('.', '_'),
          text: message.text,
        });
        break;
      case 'bluesky': {
        const bluesky = this.#networks.bluesky;
        if (!bluesky || bluesky.authors.length === 0) return;
        const agent = pick(bluesky.authors, n);
        const rt = new RichText({ text: `@${bluesky.brandHandle} ${message.text}` });
        await rt.detectFacets(agent);
        await agent.post({
          text: rt.text,
          facets: rt.facets,
          langs: [message.lang],
          createdAt: new Date().toISOString(),
        });
        break;
      }
    }
    this.#log(
      `demo traffic: a ${message.lang} mention on ${network}${customer ? ` by ${customer.name}` : ''}`,
    );
  }
}
