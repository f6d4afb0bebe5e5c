/** Every setting the server reads is documented where admins look: this folder's README and the root one. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { SETTING_NAMES } from '../src/config.ts';

function configurationSection(readme: URL): string {
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf('## Configuration');
  expect(start, `${readme.pathname} has a "## Configuration" section`).to.be.greaterThan(-1);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

/** Settings named in the first column of a table row (`| \`A\`, \`B\` | …`). */
function tabled(section: string): Set<string> {
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1] ?? '';
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(m[1]!);
  }
  return names;
}

describe('configuration documentation', () => {
  for (const [where, url] of [
    ['server/README.md', new URL('../README.md', import.meta.url)],
    ['README.md (root)', new URL('../../README.md', import.meta.url)],
  ] as const) {
    it(`${where} has a row for every setting of config.ts`, () => {
      const documented = tabled(configurationSection(url));
      expect(SETTING_NAMES.filter((name) => !documented.has(name))).to.deep.equal([]);
    });
  }
});
