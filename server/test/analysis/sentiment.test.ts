import { expect } from 'chai';
import Sentiment from 'sentiment';
import { analyze } from '../../src/analysis/index.ts';
import type { SentimentLabel } from '../../src/analysis/index.ts';

function sentimentOf(text: string): { label: SentimentLabel; score: number } {
  return analyze(text).sentiment;
}

function expectLabel(text: string, label: SentimentLabel): void {
  expect(sentimentOf(text).label, text).to.equal(label);
}

describe('analysis: sentiment', () => {
  it('keeps the score within -1 … 1 and labels plain praise and plain complaints', () => {
    for (const text of [
      'love love love love love this amazing perfect wonderful jacket!!! 😍😍😍',
      'worst worst worst terrible awful useless broken scam 😡😡😡',
    ]) {
      const { score } = sentimentOf(text);
      expect(score).to.be.within(-1, 1);
      expect(Math.abs(score)).to.be.greaterThan(0.8);
    }
    expectLabel('@acme_outdoor best rain jacket I have ever owned', 'positive');
    expectLabel('@acme_outdoor the zipper broke after two days, really disappointed', 'negative');
  });

  describe('negation', () => {
    it('reaches beyond the next word ("not at all happy")', () => {
      expectLabel("@acme_outdoor I'm not at all happy with how my return was handled", 'negative');
      expectLabel('@acme_outdoor I am happy with how my return was handled', 'positive');
    });

    it('turns "not bad" positive and "not good" negative', () => {
      expectLabel('Not bad at all, the new app is fast now @acme_outdoor', 'positive');
      expectLabel('@acme_outdoor the new app is not good', 'negative');
    });

    it('handles negation in every supported language', () => {
      expectLabel('@acme_es no me gusta nada la nueva app', 'negative');
      expectLabel('@acme_es me gusta la nueva app', 'positive');
      expectLabel('@acme_fr je ne suis pas du tout satisfait de la livraison', 'negative');
      expectLabel('@acme_fr je suis satisfait de la livraison', 'positive');
      expectLabel('@acme_de das war nicht gut, die Lieferung kam zu spät', 'negative');
      expectLabel('@acme_de die neue App gefällt mir überhaupt nicht', 'negative');
      expectLabel('@acme_de die neue App gefällt mir', 'positive');
      expectLabel('@acme_br não gostei do atendimento da loja', 'negative');
      expectLabel('@acme_br gostei do atendimento da loja', 'positive');
      expectLabel('@acme_it la nuova app non mi piace per niente', 'negative');
    });

    it('reads "it doesn\'t work" as negative though "work" alone is neutral', () => {
      expectLabel('@acme_outdoor the discount code does not work', 'negative');
      expectLabel('@acme_es el código de descuento no funciona', 'negative');
      expectLabel('@acme_de der Gutscheincode funktioniert nicht', 'negative');
      expectLabel('@acme_outdoor I work near your Denver store', 'neutral');
    });
  });

  describe('emoji and emoticons', () => {
    it('scores them in any language and on their own', () => {
      expectLabel('@acme_outdoor 😡😡', 'negative');
      expectLabel('@acme_outdoor 👍🔥', 'positive');
      expectLabel('@acme_outdoor new boots arrived :)', 'positive');
      expectLabel('@acme_outdoor my parcel is wet :(', 'negative');
    });

    it('reads an eye-roll as irony: "great job 🙄" about a crushed box is negative', () => {
      expectLabel('Package arrived soaked and the box was crushed. Great job @acme_outdoor 🙄', 'negative');
      expectLabel('Great, my order is late again. Thanks a lot @acme_outdoor', 'negative');
    });
  });

  describe('customer-service language', () => {
    it('keeps a complaint full of "please help, thanks" negative', () => {
      const text = '@acme_outdoor my order was supposed to arrive Monday. Still waiting. Please help, thanks';
      expectLabel(text, 'negative');
      // The plain AFINN lexicon reads the courtesy words as praise.
      expect(new Sentiment().analyze(text).score).to.be.greaterThan(0);
    });

    it('counts thanks as praise when nothing is wrong', () => {
      expectLabel('Thank you so much @AcmeSupport!', 'positive');
      expectLabel('Mil gracias @acme_es 🙌', 'positive');
    });

    it('reads "still waiting", "third time I ask", "never again" and "worst" as negative', () => {
      expectLabel('@acme_outdoor still waiting for my refund', 'negative');
      expectLabel('Third time I ask @AcmeSupport: where is my refund?', 'negative');
      expectLabel('Never again ordering from @acme_outdoor', 'negative');
      expectLabel('@acme_outdoor worst checkout experience', 'negative');
      expectLabel('Nunca más compro en @acme_es', 'negative');
      expectLabel('Plus jamais chez @acme_fr', 'negative');
      expectLabel('Nie wieder @acme_de', 'negative');
    });

    it('leaves plain questions neutral', () => {
      expectLabel('@acme_outdoor is the Summit jacket good for heavy rain?', 'neutral');
      expectLabel('@acme_outdoor what are your store hours on Sunday?', 'neutral');
      expectLabel('@acme_es ¿cuál es el horario de la tienda el domingo?', 'neutral');
    });
  });

  describe('intensifiers, downtoners and "but"', () => {
    it('scales the next sentiment word', () => {
      const plain = sentimentOf('@acme_outdoor the jacket is good').score;
      const very = sentimentOf('@acme_outdoor the jacket is very good').score;
      const bit = sentimentOf('@acme_outdoor the jacket is a bit good').score;
      expect(very).to.be.greaterThan(plain);
      expect(bit).to.be.lessThan(plain);
      expect(sentimentOf('@acme_es la chaqueta es muy buena').score).to.be.greaterThan(
        sentimentOf('@acme_es la chaqueta es buena').score,
      );
    });

    it('weighs the clause after "but" more', () => {
      expectLabel(
        'I love your jackets but this time the stitching came apart in a week @acme_outdoor',
        'negative',
      );
      expectLabel('The delivery was a bit slow but the jacket is amazing @acme_outdoor', 'positive');
      expectLabel('Adoro il marchio ma stavolta la giacca è arrivata rotta @acme_it', 'negative');
      expectLabel('Ich liebe die Marke, aber die Jacke kam kaputt an @acme_de', 'negative');
    });
  });

  describe('never the English lexicon on foreign text', () => {
    it('scores German with German words: "Die … toll" is positive, though AFINN reads "die" as -3', () => {
      const text = 'Die neue Jacke ist toll @acme_de';
      expect(new Sentiment().analyze(text).score).to.be.lessThan(0);
      const result = analyze(text);
      expect(result.language).to.equal('de');
      expect(result.sentiment.label).to.equal('positive');
    });

    it('scores French with French words: "pain" is bread', () => {
      const text = "J'adore le pain de votre boulangerie, merci @acme_fr";
      expect(new Sentiment().analyze(text).score).to.be.lessThan(3);
      expect(analyze(text).sentiment.label).to.equal('positive');
    });

    it('uses only emoji for languages without a lexicon', () => {
      // Dutch "die" and "bad" (bath) would be strongly negative in English.
      const text = 'Die nieuwe badjas is heerlijk voor na het bad @acme_outdoor';
      expect(new Sentiment().analyze(text).score).to.be.lessThan(0);
      const result = analyze(text, { languageHint: 'nl' });
      expect(result.language).to.equal('nl');
      expect(result.sentiment).to.deep.equal({ label: 'neutral', score: 0 });
      expect(analyze('Die nieuwe badjas 😍 @acme_outdoor', { languageHint: 'nl' }).sentiment.label).to.equal(
        'positive',
      );
    });
  });
});
