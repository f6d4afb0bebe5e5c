/**
 * Micro benchmark (not a test): first render of <social-timeline> with 1,000 posts (and 10,000 for scale),
 * and of <social-inbox> with 1,000 and 10,000 open posts (`InboxItem`s: the filters, the due-time sort and
 * the first rows), in headless Chromium, using the production bundle (dist/, built if missing). Each
 * 10,000 figure has the 1,000 figure of the same run as its baseline: virtualization keeps the ratio near 1.
 *
 *   node bench/render.bench.ts            # prints a table and one JSON line
 *
 * "First render" = from assigning `posts` to a fresh element until its first rows are on screen: rows in
 * the DOM (checked from the next animation frame on), and that frame rendered: style, layout, the
 * virtualizer's ResizeObserver pass and paint (a task queued from the frame's requestAnimationFrame
 * callback runs after them). This counts the rendering work of the frame whether the rows were inserted
 * before `updateComplete` or after it, and not the idle time until the following frame.
 */
import { createServer } from 'node:http';
import { readFile, access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumExecutable } from '../../scripts/browser.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const bundle = here('../dist/social-components.js');
const RUNS = 15;

try {
  await access(bundle);
} catch {
  const { build } = await import('vite');
  await build({ root: here('..'), configFile: here('../vite.config.ts'), logLevel: 'warn' });
}

const page = `<!doctype html><html lang="en"><body><script type="module">
import '/social-components.js';
const networks = ['x', 'bluesky', 'mastodon', 'facebook', 'instagram'];
const posts = (n) => Array.from({ length: n }, (_, i) => ({
  id: 'p' + i, network: networks[i % 5], postedAt: new Date(Date.now() - i * 60000).toISOString(),
  body: 'Post ' + i + ' about #support, see https://example.com/' + i + ' cc @brand 👍',
  authorHandle: 'user' + (i % 50), authorName: 'User ' + (i % 50), authorInfluence: i % 100,
  sentiment: ['positive', 'neutral', 'negative'][i % 3], intent: 'question', needsReply: i % 4 === 0,
  inReplyToId: i % 7 === 3 ? 'p' + (i + 1) : undefined,
}));
const owners = [['00GSUP', 'Social Support', true], ['00GSAL', 'Social Sales', true], ['005MAR', 'Maria Lopez', false]];
const items = (n) => Array.from({ length: n }, (_, i) => ({
  postId: 'a' + i, network: networks[i % 5], externalId: 'x:' + i, url: 'https://x.com/u/status/' + i,
  author: { handle: 'user' + (i % 50), name: 'User ' + (i % 50), influence: i % 100 },
  text: 'Post ' + i + ' about #support, see https://example.com/' + i + ' cc @brand 👍',
  sentiment: ['positive', 'neutral', 'negative'][i % 3], intent: 'question', language: ['en', 'es', 'fr'][i % 3],
  priority: ['Urgent', 'High', 'Normal', 'Low'][i % 4],
  receivedAt: new Date(Date.now() - i * 60000).toISOString(),
  // The server sends them by due time; one in seven has no target.
  dueAt: i % 7 === 6 ? null : new Date(Date.now() - 3600000 + i * 30000).toISOString(),
  status: 'needs_reply', ownerId: owners[i % 3][0], ownerName: owners[i % 3][1], ownerIsQueue: owners[i % 3][2],
  recordId: i % 2 ? null : '003' + i, recordType: 'Contact', recordName: 'User ' + (i % 50), threadId: 'a' + i,
  suggestions: i % 2 ? [{ recordId: '00Q' + i, recordType: 'Lead', name: 'User ' + (i % 50), confidence: 70 }] : [],
}));
const data = { 'social-timeline': ['posts', posts], 'social-inbox': ['items', items] };
const frame = () => new Promise((r) => requestAnimationFrame(r));
const afterRendering = () => new Promise((r) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = r;
  channel.port2.postMessage(0);
});
window.measure = async (tag, n) => {
  const [prop, make] = data[tag];
  const input = make(n);
  const el = document.createElement(tag);
  document.body.append(el);
  const t0 = performance.now();
  el[prop] = input;
  await el.updateComplete;
  await frame();
  while (!el.renderRoot.querySelector('article')) await frame();
  await afterRendering();
  const ms = performance.now() - t0;
  const rows = el.renderRoot.querySelectorAll('article').length;
  el.remove();
  return { ms, rows };
};
</script></body></html>`;

const server = createServer(async (req, res) => {
  if (req.url === '/social-components.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(bundle));
  } else {
    res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const { port } = server.address() as AddressInfo;

const browser = await chromium.launch({
  executablePath: await chromiumExecutable(),
  args: [...CHROMIUM_ARGS],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await tab.goto(`http://127.0.0.1:${port}/`);
  await tab.waitForFunction(() => 'measure' in window && customElements.get('social-inbox'));
  type Measure = { measure(tag: string, n: number): Promise<{ ms: number; rows: number }> };
  const results: Record<string, { value: number; unit: string; rows: number }> = {};
  for (const [tag, name] of [
    ['social-timeline', 'timeline'],
    ['social-inbox', 'inbox'],
  ] as const) {
    for (const n of [1_000, 10_000]) {
      await tab.evaluate(([t, k]) => (window as unknown as Measure).measure(t, k), [tag, n] as const); // warm-up
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await tab.evaluate(([t, k]) => (window as unknown as Measure).measure(t, k), [
          tag,
          n,
        ] as const);
        times.push(r.ms);
        rows = r.rows;
      }
      times.sort((a, b) => a - b);
      results[`ui_${name}_first_render_${n}`] = {
        value: Number(times[Math.floor(RUNS / 2)]!.toFixed(1)),
        unit: 'ms',
        rows,
      };
    }
  }
  console.table(
    Object.fromEntries(
      Object.entries(results).map(([k, v]) => [k, { 'median ms': v.value, 'rows in DOM': v.rows }]),
    ),
  );
  console.log(JSON.stringify(results));
} finally {
  await browser.close();
  server.close();
}
