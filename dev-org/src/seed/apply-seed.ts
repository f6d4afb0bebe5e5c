/**
 * Writes seed data into an org through a minimal sink: parents before children, each `{ ref }` field
 * replaced by the Id its record got. Collections go in SEED_COLLECTIONS order; within one collection
 * a record waits for the records of the same collection it points at (a reply after its post, a
 * child account after its parent). Null fields are not sent.
 */
import { SEED_COLLECTIONS, isRef } from './types.ts';
import type { SeedData, SeedRecord } from './types.ts';

export interface SeedSink {
  /** Creates one record and returns its new Id. */
  insert(objectName: string, fields: Record<string, unknown>): string;
  /**
   * Whether the org lets the seed set this field. When given, fields it refuses are left out (e.g. a
   * custom object's `Name` that the manifests make an auto-number). Audit fields (`CreatedDate`,
   * `LastModifiedDate`), which the seed uses to backdate records, are sent only when it says yes,
   * as Salesforce allows them only with "Set Audit Fields upon Record Creation".
   */
  canSet?(objectName: string, fieldName: string): boolean;
}

const AUDIT_FIELDS = new Set(['createddate', 'createdbyid', 'lastmodifieddate', 'lastmodifiedbyid']);

export class SeedError extends Error {
  override name = 'SeedError';
}

export interface ApplySeedOptions {
  /**
   * Refs that already exist in the org, with their Ids: those records are not inserted and fields
   * pointing at them get these Ids (e.g. `ADMIN_USER_REF` → the org's running user).
   */
  existing?: ReadonlyMap<string, string>;
}

/** Inserts everything in `data`; returns each ref's Id (new, or given in `existing`). */
export function applySeed(
  data: SeedData,
  sink: SeedSink,
  options: ApplySeedOptions = {},
): Map<string, string> {
  const ids = new Map<string, string>(options.existing ?? []);
  const collectionOf = new Map<string, string>();
  for (const { key } of SEED_COLLECTIONS) {
    for (const record of data[key]) {
      if (collectionOf.has(record.ref)) throw new SeedError(`seed ref "${record.ref}" is defined twice`);
      collectionOf.set(record.ref, key);
    }
  }

  for (const { key, objectName } of SEED_COLLECTIONS) {
    let pending: SeedRecord[] = data[key].filter((record) => !ids.has(record.ref));
    while (pending.length > 0) {
      const waiting: SeedRecord[] = [];
      for (const record of pending) {
        const targets = refTargets(record);
        for (const target of targets) {
          if (ids.has(target)) continue;
          const targetCollection = collectionOf.get(target);
          if (targetCollection === undefined) {
            throw new SeedError(`seed record "${record.ref}" points at unknown ref "${target}"`);
          }
          if (targetCollection !== key) {
            throw new SeedError(
              `seed record "${record.ref}" (${key}) points at "${target}" (${targetCollection}), which is inserted later`,
            );
          }
        }
        if (targets.every((t) => ids.has(t))) {
          ids.set(record.ref, sink.insert(objectName, resolveFields(objectName, record, ids, sink)));
        } else {
          waiting.push(record);
        }
      }
      if (waiting.length === pending.length) {
        throw new SeedError(
          `seed records point at each other in a cycle: ${waiting.map((r) => r.ref).join(', ')}`,
        );
      }
      pending = waiting;
    }
  }
  return ids;
}

function refTargets(record: SeedRecord): string[] {
  const targets: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (name !== 'ref' && isRef(value)) targets.push(value.ref);
  }
  return targets;
}

function resolveFields(
  objectName: string,
  record: SeedRecord,
  ids: ReadonlyMap<string, string>,
  sink: SeedSink,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    // Unset fields are left out, so the org's defaults apply (as for a field missing from a REST body).
    if (name === 'ref' || value === null) continue;
    const allowed = sink.canSet?.(objectName, name);
    if (allowed === false || (allowed === undefined && AUDIT_FIELDS.has(name.toLowerCase()))) continue;
    fields[name] = isRef(value) ? ids.get(value.ref) : value;
  }
  return fields;
}
