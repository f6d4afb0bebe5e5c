/**
 * Cross-site requests change nothing, in a real browser: a page served by another origin (a second
 * local HTTP server, on another port of 127.0.0.1 — same site — and as localhost — another site) tries
 * every way a page can send a request without asking the server first (fetch with text/plain or a form
 * encoding in no-cors mode, a <form> POST with the text/plain JSON trick) and a CORS JSON request, against
 * the dead letters' redrive, backfill, replies, presence and analyze. The dead letters are still there
 * afterwards; the record page's own same-origin requests still work.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '@socialcrm/server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../scripts/browser.ts';
import { eventually, startEmbedded, type Embedded } from './support/embedded.ts';

const POST_ID = 'a0B000000000001AAA';

/**
 * The attacker's page: a frame for answers to land in, and the classic JSON-in-a-form trick (a text/plain
 * form whose one field is named `{"x":"` with the value `"}`: the body reads as JSON) against the redrive.
 */
function attackerPage(target: string): string {
  return `<!doctype html><html><head><title>prize</title></head><body>
<iframe name="sink"></iframe>
<form method="POST" enctype="text/plain" target="sink" action="${target}/api/dead-letters/redrive">
<input type="hidden" name='{"x":"' value='"}'><button type="submit">Claim your prize</button>
</form></body></html>`;
}

/** What the sync server answered, from its request log (the page cannot read no-cors answers). */
interface Seen {
  method: string;
  path: string;
  status: number;
}

describe('cross-site requests against the sync server, in Chromium', function () {
  this.timeout(180_000);
  let e: Embedded;
  let browser: Browser;
  let attacker: Server;
  let attackerPort: number;
  const seen: Seen[] = [];

  before(async () => {
    const requestLog = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (!line) continue;
          const entry = JSON.parse(line) as Partial<Seen> & { msg: string };
          if (entry.msg === 'request')
            seen.push({ method: entry.method!, path: entry.path!, status: entry.status! });
        }
        callback();
      },
    });
    e = await startEmbedded({ logger: createLogger({ level: 'info', destination: requestLog }) });
    // Hold the sync so a queued mention stays put until we dead-letter it.
    await e.server.worker.stop();
    await e.x.addMention({ author: 'ann_lee', text: 'where is my order?' });
    const [item] = await eventually(
      () => e.server.intake.queue.claim(10, 60_000),
      (items) => items.length === 1,
      { what: 'the queued mention' },
    );
    await e.server.intake.queue.deadLetter(item!.seq, 'the org refused it (a test dead letter)');

    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(attackerPage(e.server.url));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerPort = (attacker.address() as AddressInfo).port;

    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: [...CHROMIUM_ARGS] });
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
    await e?.close();
  });

  async function deadLetters(): Promise<number> {
    return (await e.server.intake.queue.stats()).deadLetters;
  }

  async function pageOn(origin: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(origin);
    return page;
  }

  for (const [label, host] of [
    ['another port of the same host (same-site, another origin)', '127.0.0.1'],
    ['another site (localhost against 127.0.0.1)', 'localhost'],
  ] as const) {
    it(`refuses every state change from ${label}; the dead letters stay`, async () => {
      seen.length = 0;
      expect(await deadLetters()).to.equal(1);
      const page = await pageOn(`http://${host}:${attackerPort}/`);
      const target = e.server.url;
      const outcomes = await page.evaluate(
        async ({ target, postId }) => {
          const attempts: [string, RequestInit][] = [];
          const simple = (path: string, type: string, body: string): void => {
            attempts.push([
              path,
              { method: 'POST', mode: 'no-cors', headers: { 'content-type': type }, body },
            ]);
          };
          for (const [path, body] of [
            ['/api/dead-letters/redrive', '{}'],
            ['/api/backfill', '{"network":"x","since":"7d"}'],
            ['/api/replies', `{"postId":"${postId}","text":"hi","idempotencyKey":"k-1"}`],
            ['/api/analyze', '{"texts":["hi"]}'],
          ] as const) {
            simple(path, 'text/plain', body);
            simple(path, 'application/x-www-form-urlencoded', 'seqs=1');
            attempts.push([path, { method: 'POST', headers: { 'content-type': 'application/json' }, body }]);
          }
          attempts.push([
            `/api/posts/${postId}/presence`,
            {
              method: 'PUT',
              headers: { 'content-type': 'application/json' },
              body: '{"viewerId":"attacker01"}',
            },
          ]);
          const results: string[] = [];
          for (const [path, init] of attempts) {
            try {
              const res = await fetch(`${target}${path}`, init);
              results.push(`${init.method} ${path} ${res.type} ${res.status}`);
            } catch (error) {
              results.push(`${init.method} ${path} blocked: ${(error as Error).name}`);
            }
          }
          return results;
        },
        { target, postId: POST_ID },
      );
      await page.getByRole('button', { name: 'Claim your prize' }).click();

      // No-cors answers are opaque to the page; CORS JSON requests never get past the preflight.
      for (const outcome of outcomes.filter((o) => o.includes(' application/json')))
        expect(outcome).to.include('blocked');
      expect(outcomes.filter((o) => /blocked/.test(o))).to.have.length(5);

      // What reached the server (8 no-cors fetches and the form; the JSON ones stopped at their
      // preflight) was refused before any route ran.
      const reached = await eventually(
        async () => seen.filter((s) => s.method !== 'OPTIONS' && s.path.startsWith('/api/')),
        (list) => list.length >= 9,
        { what: 'the cross-site requests to reach the server' },
      );
      expect(reached.map((r) => `${r.method} ${r.path} ${r.status}`).sort()).to.deep.equal(
        [
          ...Array<string>(3).fill('POST /api/dead-letters/redrive 403'),
          ...Array<string>(2).fill('POST /api/backfill 403'),
          ...Array<string>(2).fill('POST /api/replies 403'),
          ...Array<string>(2).fill('POST /api/analyze 403'),
        ].sort(),
      );
      expect(await deadLetters()).to.equal(1);
      await page.close();
    });
  }

  it("lets the record page's own same-origin requests through", async () => {
    const page = await pageOn(`${e.server.url}/`);
    const results = await page.evaluate(async (postId) => {
      const json = { 'content-type': 'application/json' };
      const presence = await fetch(`/api/posts/${postId}/presence`, {
        method: 'PUT',
        headers: json,
        body: '{"viewerId":"own-page-01"}',
      });
      const analyze = await fetch('/api/analyze', {
        method: 'POST',
        headers: json,
        body: '{"texts":["love it"]}',
      });
      const redrive = await fetch('/api/dead-letters/redrive', { method: 'POST', headers: json, body: '{}' });
      return {
        presence: presence.status,
        analyze: analyze.status,
        redrive: (await redrive.json()) as unknown,
      };
    }, POST_ID);
    expect(results).to.deep.equal({ presence: 204, analyze: 200, redrive: { redriven: 1 } });
    expect(await deadLetters()).to.equal(0);
    await page.close();
  });
});
