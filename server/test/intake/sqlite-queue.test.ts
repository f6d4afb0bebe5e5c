import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openIntakeStore } from '../../src/intake/sqlite-queue.ts';
import type { IntakeStore, IntakeStoreOptions } from '../../src/intake/sqlite-queue.ts';
import type { QueuedMention } from '../../src/intake/mention-queue.ts';
import { mention } from './fixtures/mentions.ts';

const T0 = Date.parse('2025-06-01T00:00:00Z');
const DAY = 24 * 60 * 60_000;

/** A manual clock for the store. */
class Clock {
  ms = T0;
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

function keys(items: readonly QueuedMention[]): string[] {
  return items.map((item) => item.key);
}

describe('SqliteMentionQueue', () => {
  let clock: Clock;
  const open: IntakeStore[] = [];
  let dir: string;

  function store(options: Partial<IntakeStoreOptions> = {}): IntakeStore {
    const opened = openIntakeStore({ path: ':memory:', now: clock.now, ...options });
    open.push(opened);
    return opened;
  }

  beforeEach(() => {
    clock = new Clock();
    dir = mkdtempSync(join(tmpdir(), 'intake-'));
  });

  afterEach(async () => {
    for (const opened of open.splice(0)) await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('enqueue and dedupe', () => {
    it('drops keys seen in an earlier call, in the same batch, and after completion or dead-lettering', async () => {
      const { queue } = store();
      expect(await queue.enqueue([mention('1', 'ann'), mention('2', 'bob')])).to.deep.equal({
        accepted: 2,
        duplicates: 0,
      });
      expect(await queue.enqueue([mention('2', 'bob'), mention('3', 'cy')])).to.deep.equal({
        accepted: 1,
        duplicates: 1,
      });
      expect(await queue.enqueue([mention('4', 'dee'), mention('4', 'dee')])).to.deep.equal({
        accepted: 1,
        duplicates: 1,
      });

      const claimed = await queue.claim(10, 60_000);
      expect(keys(claimed)).to.deep.equal(['x:1', 'x:2', 'x:3', 'x:4']);
      await queue.complete([claimed[0]!.seq]);
      await queue.deadLetter(claimed[1]!.seq, 'rejected by the org');
      // ...in flight (x:3) too.
      expect(
        await queue.enqueue([mention('1', 'ann'), mention('2', 'bob'), mention('3', 'cy')]),
      ).to.deep.equal({
        accepted: 0,
        duplicates: 3,
      });
      // Same post id on another network is another post.
      expect(await queue.enqueue([mention('1', 'ann', 'bluesky')])).to.deep.equal({
        accepted: 1,
        duplicates: 0,
      });
      expect((await queue.stats()).depth).to.equal(3);
    });

    it('forgets a completed key after the retention, but never a queued or dead-lettered one', async () => {
      const { queue } = store({ dedupeRetentionMs: 30 * DAY });
      await queue.enqueue([mention('done', 'ann'), mention('dead', 'bob'), mention('waiting', 'cy')]);
      const claimed = await queue.claim(2, 60_000);
      expect(keys(claimed)).to.deep.equal(['x:done', 'x:dead']);
      await queue.complete([claimed[0]!.seq]);
      await queue.deadLetter(claimed[1]!.seq, 'bad record');

      clock.advance(29 * DAY);
      expect((await queue.enqueue([mention('done', 'ann')])).accepted).to.equal(0);

      clock.advance(2 * DAY);
      const again = [mention('done', 'ann'), mention('dead', 'bob'), mention('waiting', 'cy')];
      expect(await queue.enqueue(again)).to.deep.equal({ accepted: 1, duplicates: 2 });
    });

    it('rejects an invalid mention and stores nothing of its batch', async () => {
      const { queue } = store();
      const invalid = { ...mention('2', 'bob'), createdAt: 'yesterday' };
      let caught: unknown;
      try {
        await queue.enqueue([mention('1', 'ann'), invalid]);
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(Error);
      expect((await queue.stats()).depth).to.equal(0);
      expect((await queue.enqueue([mention('1', 'ann')])).accepted).to.equal(1);
    });
  });

  describe('claim', () => {
    it('hands out the oldest first, one per author, and the next of an author only after the previous finished', async () => {
      const { queue } = store();
      await queue.enqueue([
        mention('a1', 'ann'),
        mention('b1', 'bob'),
        mention('a2', 'ann'),
        mention('b2', 'bob'),
        mention('a3', 'ann'),
      ]);

      const first = await queue.claim(10, 60_000);
      expect(keys(first)).to.deep.equal(['x:a1', 'x:b1']);
      expect(first.map((item) => item.orderingKey)).to.deep.equal(['x:ann', 'x:bob']);
      expect(first[0]!.mention).to.deep.equal(mention('a1', 'ann'));
      expect(first[0]!.attempts).to.equal(0);
      expect(first[0]!.enqueuedAt.getTime()).to.equal(T0);
      // a2 and b2 wait while a1 and b1 are leased.
      expect(await queue.claim(10, 60_000)).to.deep.equal([]);

      await queue.complete([first[0]!.seq]);
      expect(keys(await queue.claim(10, 60_000))).to.deep.equal(['x:a2']);

      // A retried head keeps its place: b2 still waits behind b1.
      await queue.retry(first[1]!.seq, 'org timed out', 0);
      const retried = await queue.claim(10, 60_000);
      expect(keys(retried)).to.deep.equal(['x:b1']);
      expect(retried[0]!.attempts).to.equal(1);

      // Dead-lettering a head also lets the author's next one through.
      await queue.deadLetter(retried[0]!.seq, 'rejected');
      expect(keys(await queue.claim(10, 60_000))).to.deep.equal(['x:b2']);
    });

    it('respects the limit and returns nothing for a limit of 0', async () => {
      const { queue } = store();
      await queue.enqueue(['1', '2', '3'].map((id) => mention(id, `author${id}`)));
      expect(await queue.claim(0, 1000)).to.deep.equal([]);
      expect(keys(await queue.claim(2, 1000))).to.deep.equal(['x:1', 'x:2']);
      expect(keys(await queue.claim(2, 1000))).to.deep.equal(['x:3']);
    });

    it('returns an item whose lease ran out, counting the attempt', async () => {
      const { queue } = store();
      await queue.enqueue([mention('1', 'ann'), mention('2', 'ann')]);
      const [item] = await queue.claim(5, 1000);
      expect(item?.key).to.equal('x:1');
      expect((await queue.stats()).inFlight).to.equal(1);

      clock.advance(999);
      expect(await queue.claim(5, 1000)).to.deep.equal([]);
      clock.advance(1);
      expect((await queue.stats()).inFlight).to.equal(0);
      const again = await queue.claim(5, 1000);
      expect(keys(again)).to.deep.equal(['x:1']);
      expect(again[0]!.seq).to.equal(item!.seq);
      expect(again[0]!.attempts).to.equal(1);
    });

    it('dead-letters an item whose stored JSON no longer parses instead of handing it out', async () => {
      const path = join(dir, 'intake.db');
      const { queue } = store({ path });
      await queue.enqueue([mention('1', 'ann'), mention('2', 'ann')]);
      const raw = new DatabaseSync(path);
      raw.prepare('UPDATE items SET mention = \'{"network":"myspace"}\' WHERE key = \'x:1\'').run();
      raw.close();

      expect(keys(await queue.claim(5, 1000))).to.deep.equal(['x:2']);
      const [dead] = await queue.listDeadLetters();
      expect(dead?.key).to.equal('x:1');
      expect(dead?.reason).to.match(/not a valid Mention/);
    });

    it('claims 200 of 20k queued items quickly, in arrival order, one per author', async () => {
      const { queue } = store({ path: join(dir, 'big.db') });
      for (let batch = 0; batch < 20; batch++) {
        const mentions = Array.from({ length: 1000 }, (_, i) => {
          const n = batch * 1000 + i;
          return mention(String(n), `author${n % 500}`);
        });
        await queue.enqueue(mentions);
      }
      const claimed = await queue.claim(200, 60_000);
      expect(claimed).to.have.length(200);
      expect(keys(claimed)).to.deep.equal(Array.from({ length: 200 }, (_, n) => `x:${n}`));
      await queue.complete(claimed.map((item) => item.seq));
      // Authors 0..199 now have their second post as head; 200..499 still their first.
      const next = await queue.claim(500, 60_000);
      expect(next).to.have.length(500);
      expect(new Set(next.map((item) => item.orderingKey)).size).to.equal(500);
      expect((await queue.stats()).depth).to.equal(19_800);
    });
  });

  describe('release (the org failed, not the mention)', () => {
    it('returns items after the delay without counting the delivery, so an outage never dead-letters', async () => {
      const { queue } = store({ backoff: { baseMs: 10, maxMs: 10, maxAttempts: 2 } });
      await queue.enqueue([mention('1', 'ann')]);
      for (let outage = 0; outage < 10; outage++) {
        const [item] = await queue.claim(1, 10_000);
        expect(item, `claim ${outage}`).to.not.equal(undefined);
        expect(item!.attempts).to.equal(0);
        await queue.release([item!.seq], 1000);
        clock.advance(999);
        expect(await queue.claim(1, 10_000)).to.deep.equal([]);
        clock.advance(1);
      }
      expect((await queue.stats()).deadLetters).to.equal(0);
      expect(await queue.claim(1, 10_000)).to.have.length(1);
    });
  });

  describe('retry and backoff', () => {
    it('waits random() * min(maxMs, baseMs * 2^(deliveries - 1)) between deliveries', async () => {
      const { queue } = store({ random: () => 0.5, backoff: { baseMs: 100, maxMs: 1000, maxAttempts: 20 } });
      await queue.enqueue([mention('1', 'ann')]);
      const expected = [50, 100, 200, 400, 500, 500];
      for (const delay of expected) {
        const [item] = await queue.claim(1, 10_000);
        expect(item, `claimable before a ${delay} ms wait`).to.not.equal(undefined);
        await queue.retry(item!.seq, 'network blip');
        clock.advance(delay - 1);
        expect(await queue.claim(1, 10_000), `still waiting at ${delay - 1} ms`).to.deep.equal([]);
        clock.advance(1);
      }
      expect(await queue.claim(1, 10_000)).to.have.length(1);
    });

    it('keeps jittered delays within [0, window)', () => {
      const draws = [0, 0.25, 0.999999];
      let next = 0;
      const { queue } = store({
        random: () => draws[next++ % draws.length]!,
        backoff: { baseMs: 500, maxMs: 300_000 },
      });
      for (let deliveries = 1; deliveries <= 15; deliveries++) {
        const window = Math.min(300_000, 500 * 2 ** (deliveries - 1));
        for (let i = 0; i < draws.length; i++) {
          const delay = queue.backoffDelay(deliveries);
          expect(delay).to.be.at.least(0);
          expect(delay).to.be.below(window);
          expect(delay).to.be.closeTo(draws[i]! * window, 1e-6);
        }
      }
      // Defaults: full jitter from Math.random stays within the window too.
      const { queue: real } = store();
      for (let i = 0; i < 200; i++) expect(real.backoffDelay(3)).to.be.within(0, 2000);
    });

    it('honours an explicit delay', async () => {
      const { queue } = store({ random: () => 0 });
      await queue.enqueue([mention('1', 'ann')]);
      const [item] = await queue.claim(1, 1000);
      await queue.retry(item!.seq, 'rate limited', 30_000);
      clock.advance(29_999);
      expect(await queue.claim(1, 1000)).to.deep.equal([]);
      clock.advance(1);
      expect(await queue.claim(1, 1000)).to.have.length(1);
    });

    it('moves an item to the dead letters with the last error after maxAttempts deliveries', async () => {
      const { queue } = store({ random: () => 0, backoff: { maxAttempts: 3 } });
      await queue.enqueue([mention('1', 'ann'), mention('2', 'ann')]);
      for (let attempt = 0; attempt < 3; attempt++) {
        const [item] = await queue.claim(1, 1000);
        expect(item?.key).to.equal('x:1');
        expect(item?.attempts).to.equal(attempt);
        await queue.retry(item!.seq, `failure ${attempt + 1}`);
      }
      const letters = await queue.listDeadLetters();
      expect(letters).to.have.length(1);
      expect(letters[0]).to.deep.include({ key: 'x:1', reason: 'failure 3', attempts: 3 });
      expect(letters[0]!.mention).to.deep.equal(mention('1', 'ann'));
      expect(letters[0]!.failedAt.getTime()).to.equal(T0);
      // The author is no longer blocked.
      expect(keys(await queue.claim(1, 1000))).to.deep.equal(['x:2']);
    });

    it('dead-letters an item whose lease ran out maxAttempts times (a mention that kills its worker)', async () => {
      const { queue } = store({ backoff: { maxAttempts: 2 } });
      await queue.enqueue([mention('1', 'ann'), mention('2', 'ann')]);
      await queue.claim(1, 1000);
      clock.advance(1000);
      await queue.retry((await queue.claim(1, 1000))[0]!.seq, 'worker gave up', 0);
      // That retry was the second delivery's failure: dead-lettered right away.
      expect((await queue.listDeadLetters()).map((letter) => letter.key)).to.deep.equal(['x:1']);

      await queue.enqueue([mention('3', 'bob'), mention('4', 'bob')]);
      await queue.claim(5, 1000); // x:2 and x:3, first delivery
      clock.advance(1000);
      await queue.claim(5, 1000); // second delivery of both
      clock.advance(1000);
      // Both ran out of leases twice: dead-lettered, and bob's next post comes through in the same claim.
      expect(keys(await queue.claim(5, 1000))).to.deep.equal(['x:4']);
      const letters = await queue.listDeadLetters();
      expect(letters.map((letter) => letter.key)).to.deep.equal(['x:1', 'x:2', 'x:3']);
      expect(letters[1]!.reason).to.equal('lease expired after 2 deliveries');
    });

    it('ignores complete, retry and deadLetter of unknown seqs', async () => {
      const { queue } = store();
      await queue.enqueue([mention('1', 'ann')]);
      await queue.complete([999]);
      await queue.retry(999, 'x');
      await queue.deadLetter(999, 'x');
      expect(await queue.stats()).to.deep.include({ depth: 1, deadLetters: 0 });
    });
  });

  describe('redrive', () => {
    it('puts dead letters back at their original place with attempts reset', async () => {
      const { queue } = store();
      await queue.enqueue([mention('a1', 'ann'), mention('a2', 'ann'), mention('b1', 'bob')]);
      const [a1, b1] = await queue.claim(5, 60_000);
      await queue.retry(a1!.seq, 'blip', 0);
      const [a1Again] = await queue.claim(1, 60_000);
      expect(a1Again?.attempts).to.equal(1);
      await queue.deadLetter(a1!.seq, 'rejected');
      await queue.deadLetter(b1!.seq, 'rejected');

      const [a2] = await queue.claim(5, 60_000);
      expect(a2?.key).to.equal('x:a2');

      expect(await queue.redrive([a1!.seq, 12345])).to.equal(1);
      expect(await queue.stats()).to.deep.include({ depth: 2, deadLetters: 1 });
      // ann's a2 is in flight, so the redriven a1 waits for it (never two of one author at once).
      expect(await queue.claim(5, 60_000)).to.deep.equal([]);
      await queue.complete([a2!.seq]);
      const [back] = await queue.claim(5, 60_000);
      expect(back).to.deep.include({ seq: a1!.seq, key: 'x:a1', attempts: 0 });
      expect(back!.enqueuedAt.getTime()).to.equal(T0);

      expect(await queue.redrive()).to.equal(1);
      expect(await queue.redrive()).to.equal(0);
      expect(keys(await queue.claim(5, 60_000))).to.deep.equal(['x:b1']);
    });

    it('takes the head back from a later post of the author that is not in flight', async () => {
      const { queue } = store();
      await queue.enqueue([mention('a1', 'ann'), mention('a2', 'ann'), mention('a3', 'ann')]);
      const [a1] = await queue.claim(1, 60_000);
      await queue.deadLetter(a1!.seq, 'rejected');
      await queue.redrive();
      // a2 was head but waiting; a1 goes first again, then a2, a3.
      const order: string[] = [];
      for (;;) {
        const [item] = await queue.claim(5, 60_000);
        if (!item) break;
        order.push(item.key);
        await queue.complete([item.seq]);
      }
      expect(order).to.deep.equal(['x:a1', 'x:a2', 'x:a3']);
    });
  });

  describe('stats', () => {
    it('counts depth, in flight, dead letters and the age of the oldest unfinished mention', async () => {
      const { queue } = store();
      expect(await queue.stats()).to.deep.equal({
        depth: 0,
        inFlight: 0,
        deadLetters: 0,
        oldestAgeSeconds: 0,
      });
      await queue.enqueue([mention('1', 'ann'), mention('2', 'bob')]);
      clock.advance(10_000);
      await queue.enqueue([mention('3', 'cy')]);
      clock.advance(5_000);
      const claimed = await queue.claim(2, 60_000);
      expect(await queue.stats()).to.deep.equal({
        depth: 3,
        inFlight: 2,
        deadLetters: 0,
        oldestAgeSeconds: 15,
      });
      await queue.complete([claimed[0]!.seq]);
      await queue.deadLetter(claimed[1]!.seq, 'no');
      expect(await queue.stats()).to.deep.equal({
        depth: 1,
        inFlight: 0,
        deadLetters: 1,
        oldestAgeSeconds: 5,
      });
    });
  });

  describe('persistence and several instances', () => {
    it('keeps items, leases, dead letters and cursors across reopening the file', async () => {
      const path = join(dir, 'nested', 'intake.db');
      const first = openIntakeStore({ path, now: clock.now });
      await first.queue.enqueue([mention('1', 'ann'), mention('2', 'bob'), mention('3', 'cy')]);
      const [leased] = await first.queue.claim(1, 5000);
      await first.queue.deadLetter((await first.queue.claim(1, 5000))[0]!.seq, 'rejected');
      await first.cursors.set('x:mentions', 'since-123');
      await first.cursors.set('x:mentions', 'since-456');
      await first.close();
      await first.close(); // idempotent

      const second = store({ path });
      expect(await second.cursors.get('x:mentions')).to.equal('since-456');
      expect(await second.cursors.get('nothing')).to.equal(null);
      expect(await second.queue.stats()).to.deep.include({ depth: 2, inFlight: 1, deadLetters: 1 });
      expect(keys(await second.queue.claim(5, 60_000))).to.deep.equal(['x:3']);
      clock.advance(5000);
      const back = await second.queue.claim(5, 5000);
      expect(back).to.have.length(1);
      expect(back[0]).to.deep.include({ seq: leased!.seq, attempts: 1 });
      expect((await second.queue.enqueue([mention('1', 'ann'), mention('2', 'bob')])).duplicates).to.equal(2);
    });

    it('refuses calls after close', async () => {
      const { queue, cursors } = store();
      await queue.close();
      let caught: unknown;
      try {
        await cursors.get('x');
      } catch (error) {
        caught = error;
      }
      expect(String(caught)).to.match(/closed/);
    });

    it('never hands the same item to two instances sharing the file', async () => {
      const path = join(dir, 'shared.db');
      const a = store({ path });
      const b = store({ path });
      await a.queue.enqueue(Array.from({ length: 300 }, (_, n) => mention(String(n), `author${n % 40}`)));
      const byA: number[] = [];
      const byB: number[] = [];
      while ((await a.queue.stats()).depth > 0) {
        // Both instances hold their claims at the same time, then finish them.
        const fromA = await a.queue.claim(7, 60_000);
        const fromB = await b.queue.claim(7, 60_000);
        const authorsOfA = new Set(fromA.map((item) => item.orderingKey));
        expect(fromB.filter((item) => authorsOfA.has(item.orderingKey))).to.deep.equal([]);
        byA.push(...fromA.map((item) => item.seq));
        byB.push(...fromB.map((item) => item.seq));
        await a.queue.complete(fromA.map((item) => item.seq));
        await b.queue.complete(fromB.map((item) => item.seq));
      }
      expect(byA.filter((seq) => byB.includes(seq))).to.deep.equal([]);
      expect(new Set(byA).size).to.equal(byA.length);
      expect(new Set(byB).size).to.equal(byB.length);
      expect(byA.length + byB.length).to.equal(300);
      expect(byA.length).to.be.above(0);
      expect(byB.length).to.be.above(0);
    });
  });
});
