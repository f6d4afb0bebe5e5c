/**
 * A week of Acme Outdoor on social networks, as `npm start` plays it: mostly customers the CRM knows
 * (each from an account their record lists, in a language they write), some strangers, a few
 * influential accounts; questions, complaints, praise, people shopping; and threads where people answer
 * each other. Authors are handle lines as `Social_Handles__c` writes them, found in the demo cast.
 *
 * X, Mastodon and Bluesky posts that do not mention the brand get its handle put in front, as a reply
 * box does; Facebook posts land on the brand's page and Instagram comments under its media.
 */
import type { DemoLanguage } from './demo-cast.ts';

export type DemoIntent = 'complaint' | 'question' | 'praise' | 'purchase_intent' | 'other';

export interface DemoBeat {
  /** For replies to point at. */
  id: string;
  /** The author's account: `x:@ann_lee`, `bluesky:keishabrown.bsky.social`, … */
  by: string;
  lang: DemoLanguage;
  /** What the post is, for the log and for tests of the mix (the sync server finds it on its own). */
  intent: DemoIntent;
  text: string;
  /** Another beat (same network) this one answers. */
  replyTo?: string;
}

export const DEMO_WEEK: readonly DemoBeat[] = [
  // Monday
  {
    id: 'ann-opening',
    by: 'x:@ann_lee',
    lang: 'en',
    intent: 'question',
    text: 'Replacement tents for order #48213: will they reach the Seattle store before Saturday’s opening? We need them on the floor.',
  },
  {
    id: 'magazine-review',
    by: 'x:@trailsummitmag',
    lang: 'en',
    intent: 'praise',
    text: 'Our winter test is out: the @acmeoutdoor Storm Shell took the top spot for waterproofing. Breathability could be better, but nothing else stayed this dry.',
  },
  {
    id: 'keisha-bags',
    by: 'bluesky:keishabrown.bsky.social',
    lang: 'en',
    intent: 'purchase_intent',
    text: 'Planning the spring overnight for the 8th grade: we need 30 sleeping bags rated to 0 °C. Is there a school price on the Summit bags?',
  },
  {
    id: 'lars-zipper',
    by: 'mastodon:@larsh@mastodon.social',
    lang: 'en',
    intent: 'complaint',
    text: 'Back from the fjords. The Summit bag zipper still snags on the draft tube every night. Is there a fix, or should I send it in?',
  },
  {
    id: 'liv-sunrise',
    by: 'instagram:@liv.outdoors',
    lang: 'en',
    intent: 'praise',
    text: 'Sunrise on Camel’s Hump with the club 🌄 The Alpine Fleece did all the work at -8 °C.',
  },
  {
    id: 'diego-customs',
    by: 'x:@diegofdz',
    lang: 'es',
    intent: 'complaint',
    text: 'El pedido #50127 sigue en aduana y el grupo sale a Torres del Paine el lunes. ¿Hay novedades del agente?',
  },
  {
    id: 'kai-tall',
    by: 'x:@kai_on_foot',
    lang: 'en',
    intent: 'question',
    text: 'Is the Ridgeline 2P long enough for two people over 1.90 m? Anyone tried?',
  },
  {
    id: 'tom-tall',
    by: 'x:@tomnguyen_hikes',
    lang: 'en',
    intent: 'other',
    replyTo: 'kai-tall',
    text: '@kai_on_foot I’m 1.93 and my partner 1.88: fits, but your feet touch the end wall. The 3P is the comfortable one for tall folks.',
  },
  // Tuesday
  {
    id: 'camille-guides',
    by: 'x:@camilleroux_mtn',
    lang: 'fr',
    intent: 'purchase_intent',
    text: 'Nous équipons deux nouveaux guides pour l’hiver : 2 sacs Trailblazer 40L et 2 vestes Storm Shell. On passe commande cette semaine.',
  },
  {
    id: 'jake-zipper',
    by: 'facebook:jake.thompson.rafting',
    lang: 'en',
    intent: 'complaint',
    text: 'Still waiting on the replacement packs for our guides. The river season starts in ten days. Who can give me a date?',
  },
  {
    id: 'megan-bags',
    by: 'bluesky:meganreilly.bsky.social',
    lang: 'en',
    intent: 'question',
    text: 'Which sleeping bag would you pick for 11-year-olds camping in April? Kids get cold fast.',
  },
  {
    id: 'keisha-answers-megan',
    by: 'bluesky:keishabrown.bsky.social',
    lang: 'en',
    intent: 'other',
    replyTo: 'megan-bags',
    text: 'We used the Summit Junior with our 7th graders in April: warm enough with a liner, and the kids can pack it themselves.',
  },
  {
    id: 'lukas-soles',
    by: 'mastodon:@lschneider@mastodon.social',
    lang: 'de',
    intent: 'complaint',
    text: 'Drei Kunden haben diese Woche Cascade-Schuhe mit gelöster Sohle zurückgebracht. Betrifft das eine bestimmte Charge?',
  },
  {
    id: 'gearnerd-canisters',
    by: 'mastodon:@gearnerd@fosstodon.org',
    lang: 'en',
    intent: 'question',
    text: 'Does the Ember stove take standard EN417 canisters, or only the branded ones?',
  },
  {
    id: 'lars-canisters',
    by: 'mastodon:@larsh@mastodon.social',
    lang: 'en',
    intent: 'other',
    replyTo: 'gearnerd-canisters',
    text: '@gearnerd@fosstodon.org Any EN417 canister works, we run ours on whatever the harbour shop sells.',
  },
  {
    id: 'gearnerd-thanks',
    by: 'mastodon:@gearnerd@fosstodon.org',
    lang: 'en',
    intent: 'praise',
    replyTo: 'lars-canisters',
    text: '@larsh@mastodon.social Thanks, that settles it. Ordering one.',
  },
  {
    id: 'luca-group',
    by: 'x:@lucaferri_trek',
    lang: 'it',
    intent: 'purchase_intent',
    text: 'Vorrei comprare quattro zaini Trailblazer 40L per il nostro gruppo di trekking. Fate sconti per gruppi?',
  },
  // Wednesday
  {
    id: 'sofia-fade',
    by: 'instagram:@sofia.bianchi.dolomiti',
    lang: 'it',
    intent: 'complaint',
    text: 'Altre tre Trail Tee scolorite al primo lavaggio. Le togliamo dallo shop del rifugio finché non sappiamo di più.',
  },
  {
    id: 'beatriz-recycled',
    by: 'instagram:@bia.souza',
    lang: 'pt',
    intent: 'praise',
    text: 'As jaquetas recicladas chegaram para a equipe de campo. Leves, quentes e sem plástico virgem 💚',
  },
  {
    id: 'julien-exchange',
    by: 'bluesky:julienmoreau.bsky.social',
    lang: 'fr',
    intent: 'question',
    text: 'Toujours pas d’étiquette de retour pour échanger la Storm Shell orange (commande 51877). Je la renvoie comment ?',
  },
  {
    id: 'hikerhaven-test',
    by: 'bluesky:hikerhaven.bsky.social',
    lang: 'en',
    intent: 'praise',
    text: 'Week two of testing the Firefly headlamp in the Highlands: battery lasts three nights on medium. Full review Friday.',
  },
  {
    id: 'wildcoast-kayak',
    by: 'instagram:@wildcoastadventures',
    lang: 'en',
    intent: 'question',
    text: 'Filming in the Lofoten next month. Does the Storm Shell hold up to salt spray all day, or do we need a drysuit layer?',
  },
  {
    id: 'sarah-trip',
    by: 'facebook:sarah.johnson.teach',
    lang: 'en',
    intent: 'question',
    text: 'Our sleeping bags for the field trip are still back-ordered and we leave in six days. Is there stock in Denver?',
  },
  {
    id: 'ines-size',
    by: 'mastodon:@inesnavarro@mastodon.social',
    lang: 'es',
    intent: 'question',
    text: '¿Las botas Cascade tallan grande? Uso un 38 y no sé si pedir el 38 o el 39.',
  },
  // Thursday
  {
    id: 'arjun-onboarding',
    by: 'x:@arjunmehta',
    lang: 'en',
    intent: 'purchase_intent',
    text: 'We’re hiring 60 people this quarter and want Trailblazer packs with our logo in every onboarding kit. Who do I talk to about a quote?',
  },
  {
    id: 'marco-hut',
    by: 'facebook:marco.deluca.rifugio',
    lang: 'it',
    intent: 'purchase_intent',
    text: 'Per la stagione estiva ci servono 40 pile Alpine Fleece per lo shop del rifugio. Possiamo avere lo stesso prezzo dell’anno scorso?',
  },
  {
    id: 'dan-hold',
    by: 'x:@trailmix_dan',
    lang: 'en',
    intent: 'complaint',
    text: '40 minutes on hold again to change a delivery address. There has to be a better way.',
  },
  {
    id: 'dan-hold-2',
    by: 'x:@trailmix_dan',
    lang: 'en',
    intent: 'complaint',
    replyTo: 'dan-hold',
    text: 'Update: hung up after an hour. Still no one.',
  },
  {
    id: 'elodie-fit',
    by: 'bluesky:elodiegarnier.bsky.social',
    lang: 'fr',
    intent: 'question',
    text: 'La Storm Shell femme taille-t-elle petit ? Je fais du 38 et j’hésite entre S et M.',
  },
  {
    id: 'valentina-boots',
    by: 'instagram:@vale.rojas.trek',
    lang: 'es',
    intent: 'praise',
    text: 'Cuarta temporada en la Patagonia con las mismas Cascade. Ni una ampolla 🥾',
  },
  {
    id: 'greta-bags',
    by: 'facebook:greta.hoffmann.wandert',
    lang: 'de',
    intent: 'purchase_intent',
    text: 'Ich möchte zwei Summit-Schlafsäcke für eine Hüttentour im März kaufen. Liefert ihr nach Österreich?',
  },
  // Friday
  {
    id: 'nina-login',
    by: 'bluesky:ninapatel.bsky.social',
    lang: 'en',
    intent: 'complaint',
    text: 'The login page is still looping. I need to reorder gloves for 40 trail volunteers before Saturday.',
  },
  {
    id: 'owen-gloves',
    by: 'bluesky:owenprice.bsky.social',
    lang: 'en',
    intent: 'other',
    replyTo: 'nina-login',
    text: 'Same here since Tuesday. Clearing cookies got me in once, for what it’s worth.',
  },
  {
    id: 'hana-order',
    by: 'x:@hana_sato_hikes',
    lang: 'en',
    intent: 'purchase_intent',
    text: 'Got the group quote, thank you! We’ll order the 15 Trailblazer packs next week.',
  },
  {
    id: 'laura-event',
    by: 'mastodon:@laura_schmidt@mastodon.social',
    lang: 'de',
    intent: 'purchase_intent',
    text: 'Für unser Firmenevent brauchen wir jetzt 95 Regenjacken mit Logo statt 80. Geht das bis Ende April?',
  },
  {
    id: 'joao-field',
    by: 'x:@joaopereira_br',
    lang: 'pt',
    intent: 'question',
    text: 'As mochilas Trailblazer aguentam chuva forte o dia inteiro no parque eólico ou precisamos de capa?',
  },
  {
    id: 'priscila-tent',
    by: 'instagram:@pri.andrade.trilhas',
    lang: 'pt',
    intent: 'purchase_intent',
    text: 'Quero comprar a barraca Basecamp 4 para a travessia da Serra Fina. Vocês entregam em Minas Gerais?',
  },
  // Saturday
  {
    id: 'aoife-challenge',
    by: 'x:@aoifemurphy',
    lang: 'en',
    intent: 'praise',
    text: 'Our staff hiking challenge kicked off today: 300 people in matching Acme shells on Howth Head. Brilliant day.',
  },
  {
    id: 'samira-stove',
    by: 'x:@samira_builds',
    lang: 'en',
    intent: 'question',
    text: 'Any news from product safety on the Ember valve leak? Our site teams are still cooking on the old stoves.',
  },
  {
    id: 'kevin-jackets',
    by: 'facebook:kevin.harris.boise',
    lang: 'en',
    intent: 'purchase_intent',
    text: 'Need 25 insulated jackets for the winter crew before the first frost. Same model as last year if you still make it.',
  },
  {
    id: 'rui-delivery',
    by: 'facebook:rui.carvalho.pt',
    lang: 'pt',
    intent: 'complaint',
    text: 'A minha encomenda devia ter chegado na terça e ainda não há rasto dela. Alguém me pode ajudar?',
  },
  {
    id: 'fatima-headlamp',
    by: 'instagram:@fatima.hikes',
    lang: 'en',
    intent: 'praise',
    text: 'Night shift → sunrise summit again. The Firefly has not let me down once this winter ✨',
  },
  // Sunday
  {
    id: 'amara-library',
    by: 'bluesky:amaraosei.bsky.social',
    lang: 'en',
    intent: 'other',
    text: 'The gear library opened today: 12 tents and 20 sleeping bags for first-time campers to borrow. Thank you for the donation!',
  },
  {
    id: 'sven-repair',
    by: 'mastodon:@sven@fosstodon.org',
    lang: 'en',
    intent: 'question',
    text: 'Do you repair Alpine Fleece zips outside the warranty? Mine is 7 years old and otherwise perfect.',
  },
  {
    id: 'marta-petite',
    by: 'instagram:@marta.caminante',
    lang: 'es',
    intent: 'question',
    text: '¿Para cuándo la Storm Shell en tallas petite? Me quedan largas todas las mangas.',
  },
  {
    id: 'chloe-headlamp',
    by: 'mastodon:@chloet@mastodon.online',
    lang: 'fr',
    intent: 'praise',
    text: 'La lampe Firefly de remplacement tient la charge depuis deux semaines de tournage. Merci pour l’échange rapide !',
  },
  {
    id: 'ethan-crew',
    by: 'x:@ethan_trailcrew',
    lang: 'en',
    intent: 'praise',
    text: 'Trail crew day: 2 km of drainage rebuilt, and every volunteer in gloves from the nonprofit program. Thanks!',
  },
  {
    id: 'antoine-order',
    by: 'x:@antoine_girard',
    lang: 'fr',
    intent: 'purchase_intent',
    text: 'Grille tarifaire reçue, merci. Nous commandons 12 vestes et 12 sacs pour nos accompagnateurs.',
  },
];
