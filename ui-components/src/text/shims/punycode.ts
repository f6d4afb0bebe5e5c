/**
 * Stand-in for the `punycode` package inside twitter-text (its only use: `toASCII` of one domain label,
 * to measure an internationalised URL as X does). The browser's URL parser does the same IDNA
 * conversion natively, which keeps a CommonJS package and ~1.5 KB out of the bundle.
 */
function toASCII(label: string): string {
  try {
    return new URL(`http://${label}`).hostname;
  } catch {
    return '';
  }
}

export default { toASCII };
