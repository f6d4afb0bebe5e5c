/**
 * The only way a URL from a post or a profile reaches an `href`: parsed by the browser and kept only
 * when its scheme is http or https. `javascript:`, `data:`, `vbscript:`, scheme-less text and anything
 * unparsable give `undefined`, and the caller renders plain text instead of a link.
 */
export function safeHttpUrl(raw: string | undefined | null): string | undefined {
  if (!raw || !/^https?:\/\//i.test(raw)) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
