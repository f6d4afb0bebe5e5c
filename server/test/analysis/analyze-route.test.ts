import { expect } from 'chai';
import { createApp } from '../../src/http/app.ts';
import { createAnalyzeRouter } from '../../src/http/routes/analyze.ts';
import type { RunningServer } from '../../src/http/server.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { listen } from '../helpers/listen.ts';

describe('POST /api/analyze', () => {
  let server: RunningServer;

  before(async () => {
    server = await listen(
      createApp({ logger: silentLogger(), metrics: createMetrics(), routers: [createAnalyzeRouter()] }),
    );
  });

  after(async () => {
    await server.close();
  });

  const post = (body: unknown): Promise<Response> =>
    fetch(`${server.url}/api/analyze`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers one result per text, in order, in the contract shape', async () => {
    const res = await post({
      texts: [
        '@acme_outdoor my order is late again. Still waiting, please help',
        '¿Hacéis envíos a México? @acme_es',
        'Merci @acme_fr, tout est parfait 👍',
      ],
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    const body = (await res.json()) as { results: Array<Record<string, unknown>> };
    expect(body.results).to.have.length(3);
    expect(body.results[0]).to.deep.include({ language: 'en', intent: 'complaint', needsReply: true });
    expect(body.results[1]).to.deep.include({ language: 'es', intent: 'purchase_intent', needsReply: true });
    expect(body.results[2]).to.deep.include({ language: 'fr', intent: 'praise', needsReply: false });
    for (const result of body.results) {
      expect(result).to.have.all.keys('language', 'sentiment', 'intent', 'needsReply');
      const sentiment = result.sentiment as { label: string; score: number };
      expect(sentiment).to.have.all.keys('label', 'score');
      expect(sentiment.score).to.be.within(-1, 1);
    }
    expect((body.results[0]?.sentiment as { label: string }).label).to.equal('negative');
    expect((body.results[2]?.sentiment as { label: string }).label).to.equal('positive');
  });

  it('accepts 1,000 texts', async () => {
    const res = await post({
      texts: Array.from({ length: 1000 }, (_, i) => `post ${i} about @acme_outdoor`),
    });
    expect(res.status).to.equal(200);
    expect(((await res.json()) as { results: unknown[] }).results).to.have.length(1000);
  });

  for (const [name, body, path] of [
    ['no texts field', {}, 'texts'],
    ['texts not an array', { texts: 'hello' }, 'texts'],
    ['an empty array', { texts: [] }, 'texts'],
    ['more than 1,000 texts', { texts: Array.from({ length: 1001 }, () => 'x') }, 'texts'],
    ['a text that is not a string', { texts: ['ok', 42] }, 'texts.1'],
    ['a text over 10,000 characters', { texts: ['x'.repeat(10_001)] }, 'texts.0'],
    ['an unknown field', { texts: ['ok'], extra: true }, ''],
  ] as const) {
    it(`answers 400 validation_failed with a hint for ${name}`, async () => {
      const res = await post(body);
      expect(res.status).to.equal(400);
      const { error } = (await res.json()) as {
        error: { code: string; message: string; hint?: string; details?: Array<{ path: string }> };
      };
      expect(error.code).to.equal('validation_failed');
      expect(error.hint).to.be.a('string').and.match(/texts/);
      expect(error.details?.map((d) => d.path)).to.include(path);
    });
  }

  it('answers 400 invalid_json for a malformed body', async () => {
    const res = await post('{"texts": [');
    expect(res.status).to.equal(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('invalid_json');
  });
});
