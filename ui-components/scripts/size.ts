/**
 * Prints the gzipped size of each built bundle and fails (exit 1) when one is over the budget:
 * all four components together ≤ 43 KB (43 × 1024 bytes) gzipped, lit and the virtualizer included.
 * The budget was 35 KB for the record page's three; <social-inbox> (list, filters, menus, conversation pane,
 * keyboard triage) adds ≈ 8.1 KB gzipped, sharing lit, the virtualizer and the respond box.
 *
 *   npm run build -w ui-components && npm run size -w ui-components
 */
import { readFile } from 'node:fs/promises';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET = 43 * 1024;
const files = ['social-components.js', 'social-components.closed.js'];
let over = false;

for (const name of files) {
  const path = fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
  let code: Buffer;
  try {
    code = await readFile(path);
  } catch {
    console.error(`${name}: missing — run \`npm run build -w ui-components\` first`);
    process.exit(1);
  }
  const gz = gzipSync(code, { level: 9 }).length;
  const br = brotliCompressSync(code).length;
  const ok = gz <= BUDGET;
  over ||= !ok;
  console.log(
    `${name.padEnd(30)} ${(code.length / 1024).toFixed(1).padStart(6)} KB raw  ${(gz / 1024).toFixed(1).padStart(5)} KB gzip  ` +
      `${(br / 1024).toFixed(1).padStart(5)} KB brotli  ${ok ? 'within' : 'OVER'} the ${BUDGET / 1024} KB gzip budget`,
  );
}
process.exit(over ? 1 : 0);
