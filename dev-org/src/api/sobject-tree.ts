/**
 * sObject Tree (`POST …/composite/tree/<sObject>`), what `sf data import tree` sends: records of one type,
 * each with `attributes: {type, referenceId}`, children nested under their child relationship name
 * (`"Contacts": {"records": [...]}`) and linked to their parent by the org. All or nothing: the answer
 * is `201 {hasErrors: false, results: [{referenceId, id}]}` in insertion order, or `400 {hasErrors: true,
 * results: [{referenceId, errors}]}` naming each record that failed, with nothing saved.
 */
import { SalesforceError, collectionRecordError, type CollectionRecordError } from '../errors.ts';
import type { RecordStore } from '../store/record-store.ts';

/** Salesforce's limit: records of all levels in one request. */
const MAX_TREE_RECORDS = 200;
/** Salesforce's limit: a parent and up to four levels of children. */
const MAX_TREE_DEPTH = 5;

interface TreeResult {
  referenceId: string;
  id?: string;
  errors?: CollectionRecordError[];
}

class TreeFailed extends Error {}

function invalid(message: string): SalesforceError {
  return new SalesforceError(400, 'INVALID_INPUT', message);
}

function recordsOf(value: unknown, where: string): Record<string, unknown>[] {
  const records = (value as { records?: unknown } | null)?.records;
  if (
    !Array.isArray(records) ||
    records.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))
  ) {
    throw invalid(`${where} must be an object with a "records" array of records`);
  }
  return records as Record<string, unknown>[];
}

/** Checks the whole tree before anything is written: types, reference ids, nesting, size. */
function checkTree(
  store: RecordStore,
  type: string,
  records: Record<string, unknown>[],
  depth: number,
  seen: Set<string>,
): number {
  if (depth > MAX_TREE_DEPTH) {
    throw invalid(`a tree may nest at most ${MAX_TREE_DEPTH} levels of records`);
  }
  const object = store.objectOrThrow(type);
  let count = 0;
  for (const record of records) {
    const attributes = record['attributes'] as { type?: unknown; referenceId?: unknown } | undefined;
    const referenceId = attributes?.referenceId;
    if (typeof referenceId !== 'string' || referenceId === '') {
      throw invalid('every record needs attributes.referenceId');
    }
    if (typeof attributes?.type !== 'string' || attributes.type.toLowerCase() !== object.name.toLowerCase()) {
      throw invalid(`record ${referenceId}: attributes.type must be ${object.name}`);
    }
    if (seen.has(referenceId.toLowerCase())) {
      throw invalid(`duplicate referenceId: ${referenceId}; each record needs its own`);
    }
    seen.add(referenceId.toLowerCase());
    count += 1;
    for (const [name, value] of Object.entries(record)) {
      const relationship = store.schema.childRelationship(object.name, name);
      if (relationship && typeof value === 'object' && value !== null && 'records' in value) {
        count += checkTree(store, relationship.childSObject, recordsOf(value, name), depth + 1, seen);
      }
    }
  }
  return count;
}

export function createTree(
  store: RecordStore,
  type: string,
  body: unknown,
): { status: number; body: unknown } {
  const records = recordsOf(body, 'the request body');
  const total = checkTree(store, type, records, 1, new Set());
  if (total > MAX_TREE_RECORDS) {
    throw new SalesforceError(
      400,
      'LIMIT_EXCEEDED',
      `A tree may hold at most ${MAX_TREE_RECORDS} records; this one has ${total}`,
    );
  }
  const created: TreeResult[] = [];
  const failed: TreeResult[] = [];
  const insert = (
    objectName: string,
    list: Record<string, unknown>[],
    parent?: { field: string; id: string },
  ) => {
    for (const record of list) {
      const { attributes, ...rest } = record;
      const referenceId = String((attributes as { referenceId: string }).referenceId);
      const fields: Record<string, unknown> = {};
      const children: { childSObject: string; field: string; records: Record<string, unknown>[] }[] = [];
      for (const [name, value] of Object.entries(rest)) {
        const relationship = store.schema.childRelationship(objectName, name);
        if (relationship && typeof value === 'object' && value !== null && 'records' in value) {
          children.push({ ...relationship, records: recordsOf(value, name) });
        } else fields[name] = value;
      }
      if (parent) fields[parent.field] = parent.id;
      let id: string;
      try {
        id = store.create(objectName, fields);
      } catch (error) {
        if (!(error instanceof SalesforceError)) throw error;
        failed.push({ referenceId, errors: [collectionRecordError(error)] });
        continue;
      }
      created.push({ referenceId, id });
      for (const child of children) insert(child.childSObject, child.records, { field: child.field, id });
    }
  };
  try {
    store.transaction(() => {
      insert(store.objectOrThrow(type).name, records);
      if (failed.length > 0) throw new TreeFailed();
    });
  } catch (error) {
    if (!(error instanceof TreeFailed)) throw error;
    return { status: 400, body: { hasErrors: true, results: failed } };
  }
  return { status: 201, body: { hasErrors: false, results: created } };
}
