import { expect } from 'chai';
import { analyze } from '../../src/analysis/index.ts';
import type { Intent } from '../../src/analysis/index.ts';

function expectIntent(text: string, intent: Intent, needsReply: boolean): void {
  const result = analyze(text);
  expect({ intent: result.intent, needsReply: result.needsReply }, text).to.deep.equal({
    intent,
    needsReply,
  });
}

describe('analysis: intent and needs-reply', () => {
  it('complaints need a reply, in every language', () => {
    expectIntent('@acme_outdoor my package arrived damaged and nobody answers the chat', 'complaint', true);
    expectIntent('@acme_es el paquete llegó roto y nadie contesta', 'complaint', true);
    expectIntent('@acme_fr colis arrivé cassé, toujours pas de réponse', 'complaint', true);
    expectIntent('@acme_de Paket kaputt angekommen und keine Antwort vom Service', 'complaint', true);
    expectIntent('@acme_br o pacote chegou rasgado e ninguém responde', 'complaint', true);
    expectIntent('@acme_it il pacco è arrivato rotto e nessuno risponde', 'complaint', true);
  });

  it('a complaint phrased as a question is still a complaint', () => {
    expectIntent('Third time I ask @AcmeSupport: where is my refund??', 'complaint', true);
  });

  it('purchase intent: where to buy, how much, shipping destinations, wanting to order, pricing', () => {
    expectIntent('@acme_outdoor where can I buy the Ridge 40 in Denver?', 'purchase_intent', true);
    expectIntent('@acme_outdoor how much is the Summit jacket?', 'purchase_intent', true);
    expectIntent('@acme_outdoor do you ship to Canada?', 'purchase_intent', true);
    expectIntent('@acme_outdoor I want to order 20 fleeces for our club', 'purchase_intent', true);
    expectIntent("@acme_outdoor what's your pricing for teams?", 'purchase_intent', true);
    expectIntent('@acme_es ¿cuánto cuesta la mochila?', 'purchase_intent', true);
    expectIntent('@acme_fr vous livrez en Belgique ?', 'purchase_intent', true);
    expectIntent('@acme_de was kostet das Zelt?', 'purchase_intent', true);
  });

  it('questions need a reply and stay neutral', () => {
    const result = analyze('@acme_outdoor does the warranty cover zippers?');
    expect(result).to.deep.include({ intent: 'question', needsReply: true });
    expect(result.sentiment.label).to.equal('neutral');
    expectIntent('@acme_it la garanzia copre le cerniere?', 'question', true);
  });

  it('praise without a question needs no reply; praise with one does', () => {
    expectIntent('Huge thanks to @acme_outdoor for replacing my tent 🙌', 'praise', false);
    expectIntent('@acme_es sois los mejores ❤️', 'praise', false);
    expectIntent(
      'Loving my new boots! @acme_outdoor is there a waterproofing spray for them?',
      'question',
      true,
    );
  });

  it('plain chatter needs no reply; a direct request does', () => {
    expectIntent('Heading to the @acme_outdoor sale this weekend with my sister', 'other', false);
    expectIntent('Rain all week, no hiking for me. Ugh.', 'other', false);
    expectIntent("@AcmeSupport please DM me, I'll send the order details there.", 'other', true);
  });
});
