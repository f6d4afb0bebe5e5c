/**
 * The social side of the demo org: people's personas on five networks, what they posted about
 * Acme Outdoor (the demo brand), the brand's sent replies, and the agents' saved replies.
 * Post and user ids look like each network's own (X snowflakes, AT Protocol URIs and DIDs, Mastodon
 * status ids, Instagram and Facebook numeric ids); they are generated from each record's ref, so one
 * record's ids never change when others are added.
 */
import { randomBetween, randomFor, randomString } from './clock.ts';
import type { SeedClock } from './clock.ts';
import { contactAccountRef } from './crm-records.ts';
import { ref } from './types.ts';
import type { SeedRecord } from './types.ts';

export const NETWORKS = ['x', 'bluesky', 'mastodon', 'facebook', 'instagram'] as const;
export type Network = (typeof NETWORKS)[number];

/** The demo brand's own accounts, as `Author_Handle__c` shows them on outbound posts. */
export const DEMO_BRAND = {
  name: 'Acme Outdoor',
  handles: {
    x: '@acmeoutdoor',
    bluesky: 'acmeoutdoor.bsky.social',
    mastodon: '@acmeoutdoor@mastodon.social',
    facebook: 'acmeoutdoor',
    instagram: '@acmeoutdoor',
  },
  blueskyDid: 'did:plc:acme4outdoor7demo2brand5',
} as const satisfies { name: string; handles: Record<Network, string>; blueskyDid: string };

const DIGITS = '0123456789';
const BASE32_SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';
const BASE64_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

interface PersonaSpec {
  ref: string;
  network: Network;
  handle: string;
  displayName: string;
  followers: number;
  contact?: string;
  lead?: string;
  bio?: string;
  verified?: boolean;
  /** An identity match proposed to a rep, not yet accepted. */
  suggestion?: { contact: string; confidence: number; reason: string };
}

const PERSONAS: PersonaSpec[] = [
  {
    ref: 'per-ann-lee-x',
    network: 'x',
    handle: '@ann_lee',
    displayName: 'Ann Lee',
    followers: 1840,
    contact: 'con-ann-lee',
  },
  {
    ref: 'per-tom-nguyen-x',
    network: 'x',
    handle: '@tomnguyen_hikes',
    displayName: 'Tom Nguyen 🥾',
    followers: 3120,
    contact: 'con-tom-nguyen',
  },
  {
    ref: 'per-keisha-brown-bsky',
    network: 'bluesky',
    handle: 'keishabrown.bsky.social',
    displayName: 'Keisha Brown',
    followers: 940,
    contact: 'con-keisha-brown',
  },
  {
    ref: 'per-lars-haugen-mastodon',
    network: 'mastodon',
    handle: '@larsh@mastodon.social',
    displayName: 'Lars Haugen',
    followers: 412,
    contact: 'con-lars-haugen',
  },
  {
    ref: 'per-olivia-martin-ig',
    bio: 'Pinecrest Outdoor Club president 🏕️ Vermont trails, sunrise chaser.',
    network: 'instagram',
    handle: '@liv.outdoors',
    displayName: 'Liv | Outdoors',
    followers: 22_400,
    contact: 'con-olivia-martin',
  },
  {
    ref: 'per-jake-thompson-fb',
    network: 'facebook',
    handle: 'jake.thompson.rafting',
    displayName: 'Jake Thompson',
    followers: 1260,
    contact: 'con-jake-thompson',
  },
  // Facebook mentions carry a page-scoped id and a name, never the username a rep writes down: a
  // customer's Facebook mentions reach their record through a persona a rep linked once.
  {
    ref: 'per-sarah-johnson-fb',
    network: 'facebook',
    handle: 'sarah.johnson.teach',
    displayName: 'Sarah Johnson',
    followers: 310,
    contact: 'con-sarah-johnson',
  },
  {
    ref: 'per-marco-de-luca-fb',
    network: 'facebook',
    handle: 'marco.deluca.rifugio',
    displayName: 'Marco De Luca',
    followers: 640,
    contact: 'con-marco-de-luca',
  },
  {
    ref: 'per-kevin-harris-fb',
    network: 'facebook',
    handle: 'kevin.harris.boise',
    displayName: 'Kevin Harris',
    followers: 220,
    contact: 'con-kevin-harris',
  },
  {
    ref: 'per-diego-fernandez-x',
    network: 'x',
    handle: '@diegofdz',
    displayName: 'Diego Fernández',
    followers: 2210,
    contact: 'con-diego-fernandez',
  },
  {
    ref: 'per-chloe-tremblay-mastodon',
    network: 'mastodon',
    handle: '@chloet@mastodon.online',
    displayName: 'Chloé Tremblay',
    followers: 1580,
    contact: 'con-chloe-tremblay',
  },
  {
    ref: 'per-julien-moreau-bsky',
    network: 'bluesky',
    handle: 'julienmoreau.bsky.social',
    displayName: 'Julien Moreau — Vélo Lyon',
    followers: 860,
    contact: 'con-julien-moreau',
  },
  {
    ref: 'per-lukas-schneider-mastodon',
    network: 'mastodon',
    handle: '@lschneider@mastodon.social',
    displayName: 'Lukas Schneider',
    followers: 305,
    contact: 'con-lukas-schneider',
  },
  {
    ref: 'per-sofia-bianchi-ig',
    network: 'instagram',
    handle: '@sofia.bianchi.dolomiti',
    displayName: 'Sofia Bianchi',
    followers: 4700,
    contact: 'con-sofia-bianchi',
  },
  {
    ref: 'per-emily-carter-ig',
    network: 'instagram',
    handle: '@emilycarter.sedona',
    displayName: 'Emily Carter',
    followers: 2890,
    contact: 'con-emily-carter',
  },
  {
    ref: 'per-aoife-murphy-x',
    network: 'x',
    handle: '@aoifemurphy',
    displayName: 'Aoife Murphy',
    followers: 1330,
    contact: 'con-aoife-murphy',
  },
  {
    ref: 'per-camille-roux-x',
    network: 'x',
    handle: '@camilleroux_mtn',
    displayName: 'Camille Roux',
    followers: 6900,
    contact: 'con-camille-roux',
  },
  {
    ref: 'per-beatriz-souza-ig',
    network: 'instagram',
    handle: '@bia.souza',
    displayName: 'Bia Souza 🌱',
    followers: 8100,
    contact: 'con-beatriz-souza',
  },
  {
    ref: 'per-valentina-rojas-ig',
    bio: 'Guía de trekking en la Patagonia 🇨🇱 Torres del Paine · Atacama',
    network: 'instagram',
    handle: '@vale.rojas.trek',
    displayName: 'Valentina Rojas',
    followers: 12_600,
    contact: 'con-valentina-rojas',
  },
  {
    ref: 'per-nina-patel-bsky',
    network: 'bluesky',
    handle: 'ninapatel.bsky.social',
    displayName: 'Nina Patel',
    followers: 720,
    contact: 'con-nina-patel',
  },
  {
    ref: 'per-ethan-walker-x',
    network: 'x',
    handle: '@ethan_trailcrew',
    displayName: 'Ethan Walker',
    followers: 540,
    contact: 'con-ethan-walker',
  },
  {
    ref: 'per-fatima-al-sayed-ig',
    network: 'instagram',
    handle: '@fatima.hikes',
    displayName: 'Fatima | Night-shift hiker',
    followers: 3400,
    contact: 'con-fatima-al-sayed',
  },
  {
    ref: 'per-amara-osei-bsky',
    network: 'bluesky',
    handle: 'amaraosei.bsky.social',
    displayName: 'Amara Osei',
    followers: 2050,
    contact: 'con-amara-osei',
  },
  {
    ref: 'per-yuki-tanaka-bsky',
    network: 'bluesky',
    handle: 'yukitanaka.bsky.social',
    displayName: 'Yuki Tanaka',
    followers: 390,
    contact: 'con-yuki-tanaka',
  },
  {
    ref: 'per-hana-sato-x',
    network: 'x',
    handle: '@hana_sato_hikes',
    displayName: 'Hana Sato',
    followers: 1120,
    lead: 'lead-hana-sato',
  },
  {
    ref: 'per-laura-schmidt-mastodon',
    network: 'mastodon',
    handle: '@laura_schmidt@mastodon.social',
    displayName: 'Laura Schmidt',
    followers: 268,
    lead: 'lead-laura-schmidt',
  },
  {
    ref: 'per-lucas-oliveira-ig',
    network: 'instagram',
    handle: '@lucas.trilhas',
    displayName: 'Lucas | Trilhas Brasil',
    followers: 9300,
    lead: 'lead-lucas-oliveira',
  },
  {
    ref: 'per-megan-reilly-bsky',
    network: 'bluesky',
    handle: 'meganreilly.bsky.social',
    displayName: 'Megan Reilly',
    followers: 455,
    lead: 'lead-megan-reilly',
  },
  {
    ref: 'per-ana-costa-x',
    network: 'x',
    handle: '@ana_costa_pt',
    displayName: 'Ana Costa',
    followers: 2780,
    lead: 'lead-ana-costa',
  },
  {
    ref: 'per-antoine-girard-x',
    network: 'x',
    handle: '@antoine_girard',
    displayName: 'Antoine Girard',
    followers: 830,
    lead: 'lead-antoine-girard',
  },
  // Not (yet) matched to anyone in the CRM.
  {
    ref: 'per-jwhit-x',
    network: 'x',
    handle: '@jwhit_eng',
    displayName: 'James Whitfield',
    followers: 640,
    bio: 'Civil engineer at Ironbridge. Bridges, bikes and bad weather.',
    suggestion: {
      contact: 'con-james-whitfield',
      confidence: 72,
      reason: 'Display name matches a contact; bio names the contact’s company',
    },
  },
  {
    ref: 'per-dan-ortiz-x',
    network: 'x',
    handle: '@trailmix_dan',
    displayName: 'Dan Ortiz',
    followers: 210,
  },
  {
    ref: 'per-hiker-haven-bsky',
    bio: 'Independent gear reviews from the Scottish Highlands. No sponsored posts.',
    network: 'bluesky',
    handle: 'hikerhaven.bsky.social',
    displayName: 'Hiker Haven (gear reviews)',
    followers: 48_300,
  },
  {
    ref: 'per-gearnerd-mastodon',
    network: 'mastodon',
    handle: '@gearnerd@fosstodon.org',
    displayName: 'Gear Nerd',
    followers: 1710,
  },
  {
    ref: 'per-marta-caminante-ig',
    network: 'instagram',
    handle: '@marta.caminante',
    displayName: 'Marta 🏔️ Caminante',
    followers: 5600,
  },
];

function personaSpec(personaRef: string): PersonaSpec {
  const persona = PERSONAS.find((p) => p.ref === personaRef);
  if (!persona) throw new Error(`seed: no persona ${personaRef}`);
  return persona;
}

/** A network's own user id for a persona, e.g. an X numeric id or a Bluesky DID. */
function networkUserId(network: Network, key: string): string {
  const random = randomFor(`user:${key}`);
  switch (network) {
    case 'x':
      return random() < 0.4
        ? `${1 + Math.floor(random() * 4)}${randomString(random, DIGITS, 9)}`
        : `1${randomString(random, DIGITS, 18)}`;
    case 'bluesky':
      return `did:plc:${randomString(random, BASE32_SORTABLE, 24)}`;
    case 'mastodon':
      return `10${randomString(random, DIGITS, 16)}`;
    case 'instagram':
      return `17841${randomString(random, DIGITS, 12)}`;
    case 'facebook':
      return `10${randomString(random, DIGITS, 14)}`;
  }
}

/** Influence from reach: 0 for no followers, about 20 per tenfold, capped at 100. */
/** The public profile page of a handle on its network. */
function profileUrl(network: Network, handle: string): string {
  const { user, instance } = handleParts(handle);
  switch (network) {
    case 'x':
      return `https://x.com/${user}`;
    case 'bluesky':
      return `https://bsky.app/profile/${user}`;
    case 'mastodon':
      return `https://${instance ?? 'mastodon.social'}/@${user}`;
    case 'instagram':
      return `https://www.instagram.com/${user}/`;
    case 'facebook':
      return `https://www.facebook.com/${user}`;
  }
}

export function personas(): SeedRecord[] {
  return PERSONAS.map((p) => ({
    ref: p.ref,
    Name: p.displayName.slice(0, 80),
    External_Id__c: `${p.network}:${networkUserId(p.network, p.ref)}`,
    Network__c: p.network,
    Handle__c: p.handle,
    Display_Name__c: p.displayName,
    Profile_Url__c: profileUrl(p.network, p.handle),
    Bio__c: p.bio ?? null,
    Verified__c: p.verified ?? p.followers >= 20_000,
    Followers__c: p.followers,
    // Influence_Score__c and Advocacy_Score__c: computed from the posts with the product's formulas
    // (social-summary.ts).
    Contact__c: p.contact === undefined ? null : ref(p.contact),
    Lead__c: p.lead === undefined ? null : ref(p.lead),
    Suggested_Contact__c: p.suggestion === undefined ? null : ref(p.suggestion.contact),
    Match_Confidence__c: p.suggestion?.confidence ?? null,
    Match_Reason__c: p.suggestion?.reason ?? null,
  }));
}

/** The part of a handle a profile URL uses, and the Mastodon instance it lives on. */
function handleParts(handle: string): { user: string; instance: string | null } {
  const [user = '', instance] = handle.replace(/^@/, '').split('@');
  return { user, instance: instance ?? null };
}

/**
 * Ids on X, Mastodon and Bluesky encode their creation time, so they sort like the posts. They are
 * computed against a fixed reference time (not `now`), so the same post keeps the same id whatever
 * the seed's `now`; `minutesAgo` orders them as the posts are ordered.
 */
const ID_REFERENCE_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const X_EPOCH_MS = 1_288_834_974_657n;

function idTimeMs(minutesAgo: number): bigint {
  return BigInt(ID_REFERENCE_MS - Math.round(minutesAgo * 60_000));
}

function randomBits(random: () => number, bits: number): bigint {
  return BigInt(Math.floor(random() * 2 ** bits));
}

/** An AT Protocol TID: microseconds and a clock id, in base32-sortable, 13 characters. */
function tid(ms: bigint, random: () => number): string {
  let value = ((ms * 1000n + randomBits(random, 9)) << 10n) | randomBits(random, 10);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = (BASE32_SORTABLE[Number(value & 31n)] ?? '2') + out;
    value >>= 5n;
  }
  return out;
}

/** A post's network id (what follows `<network>:` in External_Id__c) and its public URL. */
function networkPost(
  network: Network,
  key: string,
  minutesAgo: number,
  authorHandle: string,
  authorUserId: string,
  /** For a reply: the post replied to, whose Instagram media or Facebook post it shares. */
  parentKey?: string,
): { id: string; url: string } {
  const random = randomFor(`post:${key}`);
  const container = randomFor(`container:${parentKey ?? key}`);
  const { user, instance } = handleParts(authorHandle);
  const ms = idTimeMs(minutesAgo);
  switch (network) {
    case 'x': {
      // Snowflake: milliseconds since X's epoch, then worker and sequence bits.
      const id = (((ms - X_EPOCH_MS) << 22n) | randomBits(random, 22)).toString();
      return { id, url: `https://x.com/${user}/status/${id}` };
    }
    case 'bluesky': {
      const rkey = tid(ms, random);
      return {
        id: `at://${authorUserId}/app.bsky.feed.post/${rkey}`,
        url: `https://bsky.app/profile/${user}/post/${rkey}`,
      };
    }
    case 'mastodon': {
      // Mastodon's snowflake: milliseconds since 1970, then 16 sequence bits.
      const id = ((ms << 16n) | randomBits(random, 16)).toString();
      return { id, url: `https://${instance ?? 'mastodon.social'}/@${user}/${id}` };
    }
    case 'instagram': {
      // Comments on the brand's media: the permalink names the media's shortcode and the comment id.
      const shortcode = `C${randomString(container, BASE64_URL, 10)}`;
      const id = `179${randomString(random, DIGITS, 14)}`;
      return { id, url: `https://www.instagram.com/p/${shortcode}/c/${id}/` };
    }
    case 'facebook': {
      // Comments on the brand page's posts: `<post id>_<comment id>`.
      const postId = `1220${randomString(container, DIGITS, 11)}`;
      const commentId = `${1 + Math.floor(random() * 9)}${randomString(random, DIGITS, 15)}`;
      return {
        id: `${postId}_${commentId}`,
        url: `https://www.facebook.com/${DEMO_BRAND.handles.facebook}/posts/${postId}?comment_id=${commentId}`,
      };
    }
  }
}

type Sentiment = 'positive' | 'neutral' | 'negative';
type Intent = 'complaint' | 'question' | 'praise' | 'purchase_intent' | 'other';

interface PostSpec {
  ref: string;
  persona: string;
  minutesAgo: number;
  language: 'en' | 'es' | 'fr' | 'de' | 'pt' | 'it';
  sentiment: Sentiment;
  intent: Intent;
  body: string;
  case?: string;
  /** Another customer's post (same network) this one answers: customers help each other in threads. */
  inReplyTo?: string;
  /** Defaults: complaints, questions and purchase intent need a reply until the brand has replied. */
  needsReply?: boolean;
  /** The brand's sent reply, `afterMinutes` after the post. */
  reply?: { afterMinutes: number; body: string };
}

const POSTS: PostSpec[] = [
  {
    ref: 'post-ann-damaged',
    persona: 'per-ann-lee-x',
    minutesAgo: 95,
    language: 'en',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-damaged-48213',
    body: '@acmeoutdoor Order #48213 just showed up with the box crushed and the tent poles bent. We open the new store on Saturday and needed these on the floor. Who can help?',
  },
  {
    ref: 'post-ann-followup',
    persona: 'per-ann-lee-x',
    minutesAgo: 38,
    language: 'en',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-damaged-48213',
    body: 'Still no answer on order #48213. Sent a DM too. @acmeoutdoor anyone there?',
  },
  {
    ref: 'post-ann-restock',
    persona: 'per-ann-lee-x',
    minutesAgo: 12 * 24 * 60,
    language: 'en',
    sentiment: 'positive',
    intent: 'praise',
    body: 'Restocked the @acmeoutdoor wall for the season. Customers keep asking for the Alpine Fleece in sage 🌿',
  },
  {
    ref: 'post-tom-pole',
    persona: 'per-tom-nguyen-x',
    minutesAgo: 2 * 24 * 60 + 40,
    language: 'en',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-tent-pole',
    body: 'First night out with the Ridgeline 2P and a pole section snapped in light wind. Gutted. @acmeoutdoor is this covered?',
    reply: {
      afterMinutes: 22,
      body: "@tomnguyen_hikes So sorry, Tom. That's not the trip we want for you. Poles are covered by our lifetime warranty: a replacement set ships today, tracking is in your DMs.",
    },
  },
  {
    ref: 'post-tom-thanks',
    persona: 'per-tom-nguyen-x',
    minutesAgo: 20 * 60,
    language: 'en',
    sentiment: 'positive',
    intent: 'praise',
    case: 'case-tent-pole',
    body: 'Replacement poles arrived this morning, two days after I asked. That is how you do warranty, @acmeoutdoor 👏',
  },
  {
    ref: 'post-keisha-rainfly',
    persona: 'per-keisha-brown-bsky',
    minutesAgo: 6 * 60,
    language: 'en',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-missing-rainfly',
    body: "Our school's new Basecamp 4 tents arrived, but two of the boxes have no rain fly. The 7th grade trip is in 9 days. @acmeoutdoor.bsky.social can you help?",
    reply: {
      afterMinutes: 35,
      body: "Hi Keisha, thanks for flagging this. Two rain flies are going out by express today, well before the trip. We've emailed you the tracking number.",
    },
  },
  {
    ref: 'post-keisha-thanks',
    persona: 'per-keisha-brown-bsky',
    minutesAgo: 50,
    language: 'en',
    sentiment: 'positive',
    intent: 'praise',
    case: 'case-missing-rainfly',
    body: 'Rain flies already here! Thank you @acmeoutdoor.bsky.social for the quick turnaround. 28 seventh graders will stay dry 🙌',
  },
  {
    ref: 'post-lars-zipper',
    persona: 'per-lars-haugen-mastodon',
    minutesAgo: 20 * 60,
    language: 'en',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-sleeping-bag',
    body: '@acmeoutdoor@mastodon.social The zipper on my Summit bag snags on the draft tube every single night of this trip. Warm bag otherwise, but at -5 °C fighting a zipper is no fun.',
  },
  {
    ref: 'post-olivia-refund',
    persona: 'per-olivia-martin-ig',
    minutesAgo: 3 * 24 * 60 + 130,
    language: 'en',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-refund-jacket',
    body: 'Returned my Storm Shell 3 weeks ago and still no refund 😕 @acmeoutdoor',
    reply: {
      afterMinutes: 48,
      body: "@liv.outdoors We're sorry for the wait, Olivia. We've chased the refund today and sent you the details by DM.",
    },
  },
  {
    ref: 'post-olivia-sunrise',
    persona: 'per-olivia-martin-ig',
    minutesAgo: 8 * 24 * 60,
    language: 'en',
    sentiment: 'positive',
    intent: 'praise',
    body: "Sunrise from the ridge this morning. Layered up in my Alpine Fleece and didn't feel the wind at all ⛰️ @acmeoutdoor #acmeoutdoor",
  },
  {
    ref: 'post-jake-zipper',
    persona: 'per-jake-thompson-fb',
    minutesAgo: 4 * 24 * 60,
    language: 'en',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-zipper-warranty',
    body: 'Third Trailblazer 40L this season with a failed main zipper. Our river guides depend on these packs. Really disappointed, Acme.',
    reply: {
      afterMinutes: 65,
      body: "Jake, that's not the quality we stand for. We've escalated this to our product team and a manager will call you today about replacing all three packs.",
    },
  },
  {
    ref: 'post-jake-season',
    persona: 'per-jake-thompson-fb',
    minutesAgo: 13 * 24 * 60,
    language: 'en',
    sentiment: 'positive',
    intent: 'praise',
    body: 'Great first day on the river with the whole crew kitted out in Acme gear. Ready for the season!',
  },
  {
    ref: 'post-diego-customs',
    persona: 'per-diego-fernandez-x',
    minutesAgo: 5 * 60,
    language: 'es',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-customs-chile',
    body: '@acmeoutdoor Mi pedido #50127 lleva 10 días retenido en aduana en Santiago. Tenemos un grupo que sale a Torres del Paine el lunes. ¿Alguien me puede ayudar?',
    reply: {
      afterMinutes: 18,
      body: '@diegofdz Hola Diego, lamentamos mucho el retraso. Ya estamos en contacto con el agente de aduanas y te escribimos por mensaje directo con novedades hoy mismo.',
    },
  },
  {
    ref: 'post-diego-thanks',
    persona: 'per-diego-fernandez-x',
    minutesAgo: 4 * 60 + 10,
    language: 'es',
    sentiment: 'positive',
    intent: 'other',
    case: 'case-customs-chile',
    body: 'Gracias por la respuesta rápida @acmeoutdoor. Quedo atento a la actualización.',
  },
  {
    ref: 'post-chloe-headlamp',
    persona: 'per-chloe-tremblay-mastodon',
    minutesAgo: 26 * 60,
    language: 'fr',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-headlamp-battery',
    body: "Ma lampe frontale Firefly se vide complètement pendant la nuit, même éteinte. Quelqu'un d'autre a ce problème ? @acmeoutdoor@mastodon.social",
    reply: {
      afterMinutes: 40,
      body: "@chloet@mastodon.online Bonjour Chloé, merci pour le signalement. Ce n'est pas normal : nous vous envoyons une lampe de remplacement et une étiquette de retour pour analyser l'ancienne.",
    },
  },
  {
    ref: 'post-julien-couleur',
    persona: 'per-julien-moreau-bsky',
    minutesAgo: 7 * 60,
    language: 'fr',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-commande-couleur',
    body: "Commande n° 51877 : j'ai commandé la veste Storm Shell en bleu et j'ai reçu une orange. Pas idéal pour l'atelier… @acmeoutdoor.bsky.social",
  },
  {
    ref: 'post-lukas-sole',
    persona: 'per-lukas-schneider-mastodon',
    minutesAgo: 3 * 60,
    language: 'de',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-boots-sole',
    body: 'Bei meinen Cascade-Wanderschuhen löst sich nach drei Monaten die Sohle. Für den Preis hätte ich mehr erwartet. Betrifft das die ganze Charge? @acmeoutdoor@mastodon.social',
  },
  {
    ref: 'post-sofia-fade',
    persona: 'per-sofia-bianchi-ig',
    minutesAgo: 47 * 60,
    language: 'it',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-color-fade',
    body: 'La mia Trail Tee si è scolorita già dopo il primo lavaggio a 30 gradi. Peccato, il taglio è perfetto. Succede anche alle magliette che vendiamo al rifugio? @acmeoutdoor',
  },
  {
    ref: 'post-emily-waterproof',
    persona: 'per-emily-carter-ig',
    minutesAgo: 6 * 24 * 60,
    language: 'en',
    sentiment: 'neutral',
    intent: 'question',
    case: 'case-waterproof-question',
    body: '@acmeoutdoor Is the Storm Shell good for 4 days of steady rain in the Olympics, or should I look at something heavier?',
    reply: {
      afterMinutes: 30,
      body: "@emilycarter.sedona Great question, Emily! The Storm Shell is rated 20,000 mm and fully seam-taped, so it's built for multi-day rain. Pair it with a breathable base layer and you're set.",
    },
  },
  {
    ref: 'post-aoife-swap',
    persona: 'per-aoife-murphy-x',
    minutesAgo: 9 * 24 * 60,
    language: 'en',
    sentiment: 'positive',
    intent: 'praise',
    case: 'case-wrong-size',
    body: 'Wrong size arrived, @acmeoutdoor swapped it in two days with zero fuss. Fits perfectly now.',
  },
  {
    ref: 'post-camille-season',
    persona: 'per-camille-roux-x',
    minutesAgo: 2 * 24 * 60,
    language: 'fr',
    sentiment: 'positive',
    intent: 'praise',
    body: "Fin de la saison d'été : nos sacs Trailblazer ont survécu à 40 sorties sur le massif du Mont-Blanc. Chapeau @acmeoutdoor 🏔️",
  },
  {
    ref: 'post-beatriz-recycled',
    persona: 'per-beatriz-souza-ig',
    minutesAgo: 5 * 24 * 60,
    language: 'pt',
    sentiment: 'positive',
    intent: 'praise',
    body: 'Adorei a nova coleção feita com poliéster reciclado! Finalmente uma marca outdoor que leva a sustentabilidade a sério. @acmeoutdoor',
    reply: {
      afterMinutes: 90,
      body: '@bia.souza Obrigado, Beatriz! Ficamos muito felizes que você tenha gostado 💚',
    },
  },
  {
    ref: 'post-valentina-boots',
    persona: 'per-valentina-rojas-ig',
    minutesAgo: 30 * 60,
    language: 'es',
    sentiment: 'positive',
    intent: 'praise',
    body: 'Tercera temporada con las botas Cascade en la Patagonia y siguen como nuevas. ¡Gracias @acmeoutdoor!',
  },
  {
    ref: 'post-hana-group',
    persona: 'per-hana-sato-x',
    minutesAgo: 4 * 60,
    language: 'en',
    sentiment: 'positive',
    intent: 'purchase_intent',
    body: 'Our hiking club wants to buy 15 Trailblazer 40L packs before autumn. @acmeoutdoor do you do group discounts?',
  },
  {
    ref: 'post-tom-answers-hana',
    persona: 'per-tom-nguyen-x',
    minutesAgo: 3 * 60 + 25,
    language: 'en',
    sentiment: 'positive',
    intent: 'other',
    inReplyTo: 'post-hana-group',
    body: '@hana_sato_hikes Our co-op hiking club got a group rate on Trailblazers last spring. Ask @acmeoutdoor about the club program, worth it for 15 packs.',
  },
  {
    ref: 'post-laura-event',
    persona: 'per-laura-schmidt-mastodon',
    minutesAgo: 23 * 60,
    language: 'de',
    sentiment: 'neutral',
    intent: 'purchase_intent',
    body: 'Wir planen ein Firmen-Outdoor-Event für 80 Personen und suchen Regenjacken mit Logo. Bietet @acmeoutdoor@mastodon.social so etwas an?',
  },
  {
    ref: 'post-lucas-brasil',
    persona: 'per-lucas-oliveira-ig',
    minutesAgo: 2 * 24 * 60 + 200,
    language: 'pt',
    sentiment: 'neutral',
    intent: 'purchase_intent',
    body: 'Vocês entregam no Brasil? Queria equipar nossos guias com a barraca Basecamp 4. @acmeoutdoor',
  },
  {
    ref: 'post-megan-troop',
    persona: 'per-megan-reilly-bsky',
    minutesAgo: 10 * 60,
    language: 'en',
    sentiment: 'positive',
    intent: 'purchase_intent',
    body: 'Our scout troop is finally replacing our 15-year-old tents. Leaning toward the Basecamp 4 from @acmeoutdoor.bsky.social. Anyone used them with kids?',
  },
  {
    ref: 'post-keisha-answers-megan',
    persona: 'per-keisha-brown-bsky',
    minutesAgo: 9 * 60 + 15,
    language: 'en',
    sentiment: 'positive',
    intent: 'other',
    inReplyTo: 'post-megan-troop',
    body: '@meganreilly.bsky.social We took 28 seventh graders out in Basecamp 4s. The kids pitched them on their own, and @acmeoutdoor.bsky.social sorted out a missing rain fly fast.',
  },
  {
    ref: 'post-ana-stock',
    persona: 'per-ana-costa-x',
    minutesAgo: 3 * 24 * 60,
    language: 'pt',
    sentiment: 'neutral',
    intent: 'question',
    body: '@acmeoutdoor Quando volta ao stock o saco-cama Summit em tamanho L? Preciso dele para uma expedição em março.',
    reply: {
      afterMinutes: 55,
      body: '@ana_costa_pt Olá Ana! O Summit L volta ao stock no início do próximo mês. Se quiser, avisamos por e-mail assim que estiver disponível.',
    },
  },
  {
    ref: 'post-antoine-pro',
    persona: 'per-antoine-girard-x',
    minutesAgo: 6 * 24 * 60,
    language: 'fr',
    sentiment: 'neutral',
    intent: 'purchase_intent',
    body: 'Je cherche un fournisseur pour équiper 12 accompagnateurs en vestes et sacs. @acmeoutdoor vous avez une offre pro ?',
    reply: {
      afterMinutes: 45,
      body: "@antoine_girard Bonjour Antoine, oui ! Notre équipe pro vous contacte aujourd'hui par e-mail avec notre grille tarifaire.",
    },
  },
  {
    ref: 'post-jwhit-stove',
    persona: 'per-jwhit-x',
    minutesAgo: 16 * 60,
    language: 'en',
    sentiment: 'neutral',
    intent: 'question',
    body: '@acmeoutdoor Our site crew runs the Ember stove at altitude every day. Is there a high-altitude jet for it, or do we just live with slow boils above 3,000 m?',
  },
  {
    ref: 'post-dan-hold',
    persona: 'per-dan-ortiz-x',
    minutesAgo: 2 * 60,
    language: 'en',
    sentiment: 'negative',
    intent: 'complaint',
    body: 'Been on hold with @acmeoutdoor for 45 minutes trying to change a delivery address. Come on.',
  },
  {
    ref: 'post-hiker-haven-review',
    persona: 'per-hiker-haven-bsky',
    minutesAgo: 28 * 60,
    language: 'en',
    sentiment: 'positive',
    intent: 'praise',
    body: 'Field test: the @acmeoutdoor.bsky.social Ridgeline 2P after 30 nights. Light, quick to pitch, and it shrugged off 50 km/h gusts on the Cairngorm plateau. Full review on the blog.',
    reply: {
      afterMinutes: 120,
      body: 'Thanks for putting it through its paces! 30 nights on the plateau is the kind of test we love to hear about.',
    },
  },
  {
    ref: 'post-gearnerd-canisters',
    persona: 'per-gearnerd-mastodon',
    minutesAgo: 12 * 60,
    language: 'en',
    sentiment: 'neutral',
    intent: 'question',
    body: 'Does the Ember stove from @acmeoutdoor@mastodon.social work with isobutane canisters from other brands? The manual only lists their own.',
  },
  {
    ref: 'post-marta-petite',
    persona: 'per-marta-caminante-ig',
    minutesAgo: 9 * 60,
    language: 'es',
    sentiment: 'neutral',
    intent: 'question',
    body: '¿La chaqueta Storm Shell tiene tallas petite? Mido 1,55 y todas me quedan largas de manga. @acmeoutdoor',
  },
  {
    ref: 'post-nina-login',
    persona: 'per-nina-patel-bsky',
    minutesAgo: 65,
    language: 'en',
    sentiment: 'negative',
    intent: 'complaint',
    case: 'case-login-loop',
    body: 'Trying to reorder volunteer gloves but the @acmeoutdoor.bsky.social login page just keeps reloading. Tried two browsers already.',
  },
  {
    ref: 'post-ethan-nonprofit',
    persona: 'per-ethan-walker-x',
    minutesAgo: 3 * 24 * 60 + 300,
    language: 'en',
    sentiment: 'neutral',
    intent: 'purchase_intent',
    body: '@acmeoutdoor Do you offer discounts for trail volunteer crews? We go through gloves and packs fast.',
    reply: {
      afterMinutes: 75,
      body: '@ethan_trailcrew We do, Ethan! Registered trail organisations get 30% off through our nonprofit program. Sign-up link is in your DMs.',
    },
  },
  {
    ref: 'post-fatima-headlamp',
    persona: 'per-fatima-al-sayed-ig',
    minutesAgo: 4 * 24 * 60 + 90,
    language: 'en',
    sentiment: 'positive',
    intent: 'praise',
    body: 'Night shift done, sunrise hike earned. The Firefly headlamp is the best thing I bought this year @acmeoutdoor',
  },
  {
    ref: 'post-amara-library',
    persona: 'per-amara-osei-bsky',
    minutesAgo: 11 * 24 * 60,
    language: 'en',
    sentiment: 'positive',
    intent: 'other',
    body: 'Idea for @acmeoutdoor.bsky.social: a gear library so first-time campers can borrow a tent before they buy one. Who should I talk to?',
    reply: {
      afterMinutes: 180,
      body: 'We love this idea, Amara! Our community team will reach out by email this week.',
    },
  },
  {
    ref: 'post-yuki-code',
    persona: 'per-yuki-tanaka-bsky',
    minutesAgo: 14 * 24 * 60,
    language: 'en',
    sentiment: 'neutral',
    intent: 'other',
    case: 'case-promo-code',
    body: 'Checkout rejected SPRING20 twice. Support sorted it out within an hour though. @acmeoutdoor.bsky.social',
  },
];

const SCORE_RANGES: Record<Sentiment, [number, number]> = {
  positive: [0.55, 0.95],
  neutral: [-0.15, 0.2],
  negative: [-0.92, -0.5],
};

/** Who answers a post: the agent covering its language. */
function agentFor(language: PostSpec['language']): string {
  return ['es', 'pt', 'fr', 'it'].includes(language) ? 'user-mateo' : 'user-priya';
}

function postSpec(postRef: string): PostSpec {
  const post = POSTS.find((p) => p.ref === postRef);
  if (!post) throw new Error(`seed: no post ${postRef}`);
  return post;
}

/** An inbound post's id on its network. */
function inboundPost(p: PostSpec): { id: string; url: string; externalId: string } {
  const persona = personaSpec(p.persona);
  const post = networkPost(
    persona.network,
    p.ref,
    p.minutesAgo,
    persona.handle,
    networkUserId(persona.network, persona.ref),
  );
  return { ...post, externalId: `${persona.network}:${post.id}` };
}

/** The External_Id__c of the post a thread started with. */
function threadRoot(p: PostSpec): string {
  return p.inReplyTo === undefined ? inboundPost(p).externalId : threadRoot(postSpec(p.inReplyTo));
}

export function posts(clock: SeedClock): SeedRecord[] {
  const out: SeedRecord[] = [];
  for (const p of POSTS) {
    const persona = personaSpec(p.persona);
    const inbound = inboundPost(p);
    const externalId = inbound.externalId;
    const rootId = threadRoot(p);
    const links = {
      Contact__c: persona.contact === undefined ? null : ref(persona.contact),
      Lead__c: persona.lead === undefined ? null : ref(persona.lead),
      Account__c: persona.contact === undefined ? null : ref(contactAccountRef(persona.contact)),
      Case__c: p.case === undefined ? null : ref(p.case),
    };
    const asksForReply =
      p.intent === 'complaint' || p.intent === 'question' || p.intent === 'purchase_intent';
    const [low, high] = SCORE_RANGES[p.sentiment];
    const engagement = randomFor(`engagement:${p.ref}`);
    const reach = Math.max(3, Math.round(persona.followers * 0.01));
    const agent = agentFor(p.language);
    const repliedAt = p.reply ? clock.minutesAgo(p.minutesAgo - p.reply.afterMinutes) : null;
    out.push({
      ref: p.ref,
      External_Id__c: externalId,
      Network__c: persona.network,
      Network_Post_Id__c: inbound.id,
      Thread_Root__c: rootId,
      In_Reply_To__c: p.inReplyTo === undefined ? null : ref(p.inReplyTo),
      Body__c: p.body,
      Posted_At__c: clock.minutesAgo(p.minutesAgo),
      Author_Handle__c: persona.handle,
      Url__c: inbound.url,
      Sentiment__c: p.sentiment,
      Sentiment_Score__c: randomBetween(randomFor(`score:${p.ref}`), low, high, 2),
      Intent__c: p.intent,
      Language__c: p.language,
      Needs_Reply__c: p.needsReply ?? (asksForReply && p.reply === undefined),
      Is_Outbound__c: false,
      Like_Count__c: Math.floor(engagement() * reach),
      Repost_Count__c: Math.floor(engagement() * reach * 0.2),
      Reply_Count__c: (p.reply ? 1 : 0) + Math.floor(engagement() * 3),
      Replied_At__c: repliedAt,
      Replied_By__c: p.reply ? ref(agent) : null,
      First_Response_Minutes__c: p.reply ? p.reply.afterMinutes : null,
      Persona__c: ref(persona.ref),
      ...links,
    });
    if (p.reply) {
      const replyRef = `${p.ref}-reply`;
      const brandHandle = DEMO_BRAND.handles[persona.network];
      const outbound = networkPost(
        persona.network,
        replyRef,
        p.minutesAgo - p.reply.afterMinutes,
        brandHandle,
        DEMO_BRAND.blueskyDid,
        p.ref,
      );
      out.push({
        ref: replyRef,
        External_Id__c: `${persona.network}:${outbound.id}`,
        Network__c: persona.network,
        Network_Post_Id__c: outbound.id,
        Thread_Root__c: rootId,
        Body__c: p.reply.body,
        Posted_At__c: repliedAt,
        Author_Handle__c: brandHandle,
        Url__c: outbound.url,
        Language__c: p.language,
        Needs_Reply__c: false,
        Is_Outbound__c: true,
        Status__c: 'Sent',
        Idempotency_Key__c: `seed:${replyRef}`,
        In_Reply_To__c: ref(p.ref),
        OwnerId: ref(agent),
        ...links,
      });
    }
  }
  return out;
}

export function savedReplies(): SeedRecord[] {
  return [
    {
      ref: 'reply-damaged-order',
      Name: 'Damaged order: apology and next step',
      Category__c: 'Orders',
      Body__c:
        "Hi {first_name}, we're so sorry your order arrived damaged. Could you DM us your order number and a photo? We'll ship a replacement right away.",
      Active__c: true,
    },
    {
      ref: 'reply-thanks',
      Name: 'Thanks for the love',
      Category__c: 'Praise',
      Body__c: 'Thank you, {first_name}! Posts like this make our day. See you on the trail 🏕️',
      Active__c: true,
    },
    {
      ref: 'reply-order-status',
      Name: 'Order status check',
      Category__c: 'Orders',
      Body__c:
        "Hi {first_name}, thanks for reaching out. Please DM us your order number and we'll check the delivery status for you.",
      Active__c: true,
    },
    {
      ref: 'reply-case-opened',
      Name: 'Case opened',
      Category__c: 'Support',
      Body__c:
        "Thanks {first_name}, we've opened case {case_number} for this and an agent will follow up within one business day.",
      Active__c: true,
    },
    {
      ref: 'reply-warranty',
      Name: 'Warranty claim',
      Category__c: 'Support',
      Body__c:
        "Sorry to hear that, {first_name}. Our gear has a lifetime warranty: reply with a photo and your order number and we'll take it from there.",
      Active__c: true,
    },
    {
      ref: 'reply-delay-es',
      Name: 'Pedido retrasado (ES)',
      Category__c: 'Orders',
      Body__c:
        'Hola {first_name}, lamentamos el retraso. Envíanos por mensaje directo tu número de pedido y lo revisamos enseguida.',
      Active__c: true,
    },
    {
      ref: 'reply-dm-instagram',
      Name: 'Move to DM',
      Category__c: 'Support',
      Network__c: 'instagram;facebook',
      Body__c: "Hi {first_name}, we've sent you a DM so we can sort this out privately.",
      Active__c: true,
    },
    {
      ref: 'reply-holiday-cutoff',
      Name: 'Holiday shipping cutoff',
      Category__c: 'Orders',
      Body__c:
        'Hi {first_name}, orders placed by December 18 arrive before the holidays. After that, choose express shipping at checkout.',
      Active__c: false,
    },
  ];
}
