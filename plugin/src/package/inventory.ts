/**
 * Which of the package's components the org has, asked the way `sf org list metadata` asks: the Metadata
 * API's `listMetadata`, three types per call, compared by type and full name (case-insensitively, as the
 * org compares API names).
 */
import type { Connection } from '@salesforce/core';
import type { TypeInventory } from '../results.ts';
import type { ComponentRef } from '../results.ts';

export interface ComponentPresence extends ComponentRef {
  present: boolean;
}

const QUERIES_PER_CALL = 3;

export async function componentInventory(
  conn: Connection,
  expected: readonly ComponentRef[],
): Promise<ComponentPresence[]> {
  const types = [...new Set(expected.map((c) => c.type))].sort();
  const found = new Set<string>();
  for (let i = 0; i < types.length; i += QUERIES_PER_CALL) {
    const queries = types.slice(i, i + QUERIES_PER_CALL).map((type) => ({ type }));
    const listed = await conn.metadata.list(queries, conn.getApiVersion());
    for (const file of Array.isArray(listed) ? listed : [listed]) {
      if (file?.type && file.fullName) found.add(`${file.type}#${file.fullName.toLowerCase()}`);
    }
  }
  return expected.map((c) => ({ ...c, present: found.has(`${c.type}#${c.fullName.toLowerCase()}`) }));
}

/** Per type: how many are there, and which are missing. */
export function byType(components: readonly ComponentPresence[]): TypeInventory[] {
  const types = new Map<string, TypeInventory>();
  for (const c of components) {
    const entry = types.get(c.type) ?? { type: c.type, present: 0, total: 0, missing: [] };
    entry.total += 1;
    if (c.present) entry.present += 1;
    else entry.missing.push(c.fullName);
    types.set(c.type, entry);
  }
  return [...types.values()].sort((a, b) => a.type.localeCompare(b.type));
}
