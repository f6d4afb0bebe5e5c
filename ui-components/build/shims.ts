/**
 * Module replacements shared by the vite build and the test server, so tests run the code that ships.
 * twitter-text's ES build imports core-js 2 polyfills and two CommonJS packages; see each shim for why
 * the replacement is faithful.
 */
export const shims: Record<string, string> = {
  '^core-js/.*$': './src/text/shims/empty.ts',
  '^twemoji-parser$': './src/text/shims/twemoji-parser.ts',
  '^punycode$': './src/text/shims/punycode.ts',
};
