/**
 * Emoji and emoticon valence, shared by every language. The base is the Emoji Sentiment Ranking table
 * that ships with the `sentiment` package; the overrides are what those symbols mean in posts to a
 * brand, where 😡 and 🙄 are the whole message and 😂 is as often bitter as happy.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ranking = require('sentiment/build/emoji.json') as Record<string, number>;

const OVERRIDES: Record<string, number> = {
  '😡': -3,
  '🤬': -4,
  '😠': -3,
  '😤': -2,
  '👎': -2,
  '🙄': -2,
  '😒': -2,
  '😞': -2,
  '😩': -2,
  '😫': -2,
  '😢': -2,
  '😭': -2,
  '💔': -3,
  '🤦': -2,
  '😑': -1,
  '😐': -1,
  '😕': -1,
  '🙃': -1,
  '🤮': -3,
  '💩': -3,
  '😂': 0,
  '🤣': 0,
  '🙏': 0,
  '🤔': 0,
  '🔥': 2,
  '💯': 2,
  '🙌': 2,
  '👏': 2,
  '😍': 3,
  '🥰': 3,
  '❤': 3,
  '🧡': 3,
  '💚': 3,
  '💙': 3,
  '✨': 1,
  '🎉': 2,
  '👍': 2,
  '😊': 2,
  '🙂': 1,
  '😀': 2,
  '🤩': 3,
  '🌞': 2,
  '☀': 2,
  '🌅': 2,
  '⭐': 2,
  '🌟': 2,
  '✅': 1,
  '❌': -1,
};

const EMOTICONS: Record<string, number> = {
  ':)': 2,
  ':-)': 2,
  ':))': 2,
  '=)': 2,
  ':d': 2,
  ':-d': 2,
  ';)': 1,
  ';-)': 1,
  ':p': 1,
  '<3': 3,
  '</3': -3,
  ':(': -2,
  ':-(': -2,
  ":'(": -2,
  ':((': -3,
  '):': -2,
  ':/': -1,
  ':-/': -1,
  ':\\': -1,
  ':|': -1,
  ':@': -3,
};

/** Eye-rolls and upside-down smiles: the post is ironic, so its positive words mean the opposite. */
export const SARCASM_EMOJI: ReadonlySet<string> = new Set(['🙄', '🙃', '😒']);

export const EMOJI_VALENCE: ReadonlyMap<string, number> = new Map(
  Object.entries({ ...ranking, ...OVERRIDES, ...EMOTICONS }),
);
