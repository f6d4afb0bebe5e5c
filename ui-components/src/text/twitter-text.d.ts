// Deep imports of twitter-text's ES build (its index pulls in every linkifier; these pull in only what
// the components use). Types come from @types/twitter-text.
declare module 'twitter-text/dist/esm/parseTweet' {
  import type { parseTweet } from 'twitter-text';
  const fn: typeof parseTweet;
  export default fn;
}
declare module 'twitter-text/dist/esm/extractUrlsWithIndices' {
  import type { extractUrlsWithIndices } from 'twitter-text';
  const fn: typeof extractUrlsWithIndices;
  export default fn;
}
declare module 'twitter-text/dist/esm/extractMentionsWithIndices' {
  import type { extractMentionsWithIndices } from 'twitter-text';
  const fn: typeof extractMentionsWithIndices;
  export default fn;
}
