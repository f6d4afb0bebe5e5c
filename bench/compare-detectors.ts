/**
 * Which language detector for short posts? Measures accuracy and speed of franc-min (all languages and
 * restricted to ours), tinyld (all and restricted), eld (all and restricted) and our detector on the
 * cleaned text of every example in eval-set.jsonl. Not a test: run it by hand when changing detectors:
 *
 *   node bench/compare-detectors.ts
 */
import { readFileSync } from 'node:fs';
import { franc } from 'franc-min';
import { detect as tinyDetect } from 'tinyld';
import { eld } from 'eld/large';
import { parseEvalSet } from '../server/src/analysis/evaluate.ts';
import { detectLanguage } from '../server/src/analysis/language.ts';
import { SUPPORTED_LANGUAGES } from '../server/src/analysis/schema.ts';
import { tokenize } from '../server/src/analysis/tokenize.ts';
import { ISO639_3_TO_1 } from './iso639.ts';

const examples = parseEvalSet(
  readFileSync(new URL('../server/test/analysis/eval-set.jsonl', import.meta.url), 'utf8'),
);
const ours = SUPPORTED_LANGUAGES as readonly string[];
const only3 = Object.entries(ISO639_3_TO_1)
  .filter(([, two]) => ours.includes(two))
  .map(([three]) => three);
const eldAll = eld.newInstance();
const eldOurs = eld.newInstance();
eldOurs.setLanguageSubset([...ours]);

const fromFranc = (code: string): string => ISO639_3_TO_1[code] ?? 'und';
const orUnd = (code: string): string => (code === '' ? 'und' : code);

const detectors: Record<string, (raw: string, clean: string) => string> = {
  'franc-min (all)': (_raw, clean) => fromFranc(franc(clean, { minLength: 3 })),
  'franc-min (ours)': (_raw, clean) => fromFranc(franc(clean, { minLength: 3, only: only3 })),
  'tinyld (all)': (_raw, clean) => orUnd(tinyDetect(clean)),
  'tinyld (ours)': (_raw, clean) => orUnd(tinyDetect(clean, { only: [...ours] })),
  'eld (all)': (_raw, clean) => orUnd(eldAll.detect(clean).language),
  'eld (ours)': (_raw, clean) => orUnd(eldOurs.detect(clean).language),
  'ours (function words + eld)': (raw) => detectLanguage(tokenize(raw)),
};

const cleaned = examples.map((e) => tokenize(e.text).languageText);
const rows = Object.entries(detectors).map(([name, detect]) => {
  let correct = 0;
  examples.forEach((e, i) => {
    if (detect(e.text, cleaned[i] as string) === e.language) correct++;
  });
  const rounds = 5;
  const start = performance.now();
  for (let r = 0; r < rounds; r++) examples.forEach((e, i) => detect(e.text, cleaned[i] as string));
  const perSecond = (rounds * examples.length) / ((performance.now() - start) / 1000);
  return {
    detector: name,
    accuracy: Number((correct / examples.length).toFixed(3)),
    'posts/s': Math.round(perSecond),
  };
});
console.table(rows);
