/**
 * schemas/*.json describe each command's `--json` result, as the official plugins keep them
 * (`sf schema generate` from @oclif/plugin-command-snapshot, run by `npm run snapshot:generate -w plugin`).
 * This test regenerates them the same way, with the same generator and settings, from src/results.ts where
 * the result types live, and fails when a committed schema no longer matches its type.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createGenerator } from 'ts-json-schema-generator';

const RESULTS = {
  'social-setup': 'SetupResult',
  'social-status': 'StatusResult',
  'social-backfill': 'BackfillResult',
  'social-serve': 'ServeResult',
  'social-scores-recompute': 'RecomputeResult',
} as const;

const pluginFile = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe('result JSON schemas', function () {
  this.timeout(60_000);

  it('schemas/*.json match the result types (regenerate: npm run snapshot:generate -w plugin)', () => {
    const generator = createGenerator({ path: pluginFile('src/results.ts'), skipTypeCheck: true, type: '*' });
    for (const [file, type] of Object.entries(RESULTS)) {
      const committed = JSON.parse(readFileSync(pluginFile(`schemas/${file}.json`), 'utf8')) as unknown;
      const current = JSON.parse(JSON.stringify(generator.createSchema(type))) as unknown;
      expect(committed, `schemas/${file}.json is stale`).to.deep.equal(current);
    }
  });
});
