/**
 * Deterministic time and variety for the seed: everything is relative to a given `now`, and the
 * "random" bits come from a small seeded generator, so the same `now` always gives the same data.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export class SeedClock {
  readonly #now: number;

  constructor(now: Date) {
    this.#now = now.getTime();
  }

  /** A datetime `minutes` before now, in the stored form `YYYY-MM-DDTHH:MM:SS.sssZ`. */
  minutesAgo(minutes: number): string {
    return new Date(this.#now - minutes * MINUTE_MS).toISOString();
  }

  hoursAgo(hours: number): string {
    return this.minutesAgo(hours * 60);
  }

  daysAgo(days: number): string {
    return this.minutesAgo(days * 24 * 60);
  }

  /** A date (`YYYY-MM-DD`, UTC) `days` from now; negative is in the past. */
  dateIn(days: number): string {
    return new Date(this.#now + days * DAY_MS).toISOString().slice(0, 10);
  }
}

/** mulberry32: a tiny, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string: seeds a generator per record, so one record's values don't shift others'. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A generator seeded from `key`: the same key always yields the same sequence. */
export function randomFor(key: string): () => number {
  return seededRandom(hashSeed(key));
}

/** `length` characters drawn from `alphabet`. */
export function randomString(random: () => number, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)] ?? '';
  return out;
}

/** A number in [min, max] rounded to `decimals` places. */
export function randomBetween(random: () => number, min: number, max: number, decimals = 0): number {
  const factor = 10 ** decimals;
  return Math.round((min + random() * (max - min)) * factor) / factor;
}
