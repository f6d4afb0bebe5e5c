import { expect } from 'chai';
import { analyze, normalizeHint } from '../../src/analysis/index.ts';

const languageOf = (text: string, options?: Parameters<typeof analyze>[1]): string =>
  analyze(text, options).language;

describe('analysis: language identification', () => {
  it('identifies short posts in each supported language despite mentions, hashtags, URLs and emoji', () => {
    const cases: Array<[string, string]> = [
      ['@acme_outdoor where is my order?? https://acme.example/t/123 #fail', 'en'],
      ['@acme_es ¿hacéis envíos a México? 🙏', 'es'],
      ['@acme_fr colis reçu cassé 😡 https://acme.example/x', 'fr'],
      ['@acme_de wo bleibt meine Bestellung? #ärgerlich', 'de'],
      ['@acme_br cadê meu pedido?? 😤', 'pt'],
      ['@acme_it il mio ordine è in ritardo', 'it'],
      ['Thanks @acme_outdoor!', 'en'],
      ['Gracias @acme_es!!', 'es'],
      ['Merci beaucoup @acme_fr', 'fr'],
      ['Danke @acme_de 👍', 'de'],
      ['Valeu @acme_br', 'pt'],
      ['Grazie mille @acme_it', 'it'],
    ];
    for (const [text, language] of cases) expect(languageOf(text), text).to.equal(language);
  });

  it('does not let an English brand handle or hashtag decide: they are stripped first', () => {
    expect(languageOf('@AcmeOutdoorSupport #BlackFriday #BestDeals mi pedido no ha llegado')).to.equal('es');
  });

  it("answers 'und' for posts with no words, and a hint when one is given", () => {
    expect(languageOf('@acme_outdoor 😡😡😡')).to.equal('und');
    expect(languageOf('https://acme.example/p/1 @acme_es')).to.equal('und');
    expect(languageOf('@acme_es 👍', { languageHint: 'es' })).to.equal('es');
  });

  it("names languages it has no lexicon for by their code (or 'und')", () => {
    expect(languageOf('@acme_outdoor mijn bestelling is na twee weken nog steeds niet aangekomen')).to.equal(
      'nl',
    );
    expect(languageOf('@acme_outdoor заказ до сих пор не пришёл, что происходит?')).to.equal('ru');
    expect(languageOf('@acme_outdoor 注文した商品がまだ届きません')).to.equal('ja');
  });

  it('uses a plausible network hint, and ignores one the text contradicts', () => {
    // Too short to tell Spanish from Portuguese or Italian: the hint decides.
    expect(languageOf('@acme_br tudo ok', { languageHint: 'pt-BR' })).to.equal('pt');
    expect(languageOf('@acme_it ok', { languageHint: 'it' })).to.equal('it');
    // A clearly French post mislabelled as English by the network stays French.
    expect(
      languageOf("@acme_fr je n'ai toujours pas reçu ma commande, c'est la troisième fois que j'écris", {
        languageHint: 'en',
      }),
    ).to.equal('fr');
    // Networks' "no language" codes are no hint.
    expect(normalizeHint('und')).to.equal(null);
    expect(normalizeHint('zxx')).to.equal(null);
    expect(normalizeHint('pt-BR')).to.equal('pt');
    expect(normalizeHint(null)).to.equal(null);
  });

  it('considers only the configured languages first when told to', () => {
    // Italian is not configured: the n-gram verdict over all languages names it rather than forcing en or es.
    const result = analyze('@acme_it grazie mille per tutto, siete i migliori', { languages: ['en', 'es'] });
    expect(result.language).to.equal('it');
  });
});
