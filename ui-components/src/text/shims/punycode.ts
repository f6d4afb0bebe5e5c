/**
 * Stand-in for the `punycode` package inside twitter-text (its only use: `toASCII` of one domain label,
 * to measure an internationalised URL as X does). The browser's URL parser does the same IDNA
 * conversion natively, which keeps a CommonJS package and ~1.5 KB out of the bundle.
 */
function toASCII(label: string): string {
  // The common case, an ASCII label that is neither punycode nor a number, maps to itself (lowercased,
  // the same length, which is all twitter-text reads): no URL to parse, once per label of every link.
  if (/^(?!xn--)[a-z][a-z\d-]*$/i.test(label)) return label;
  try {
    return new URL(`http://${label}`).hostname;
  } catch {
    return '';
  }
}

export default { toASCII };
