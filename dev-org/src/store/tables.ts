/**
 * How sObjects are laid out in SQLite: one table per object, named by its API name, one column per
 * field, named by its API name. Storage forms (the SOQL engine and the record store both rely on them):
 * - text-like types (id, reference, string, textarea, email, phone, url, picklist, multipicklist as `a;b`):
 *   TEXT. Every text column but Id and references compares case-insensitively (COLLATE NOCASE), as SOQL does.
 * - boolean: INTEGER 0/1, never NULL.  int: INTEGER.  double, currency, percent: REAL.
 * - date: TEXT `YYYY-MM-DD`.  datetime: TEXT `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC, so text order is time order).
 * - time: TEXT `HH:MM:SS.sss` (a time of day without a zone, as BusinessHours' `MondayStartTime`).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { FieldDef, ObjectDef, Schema } from '../schema/model.ts';

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function columnDefinition(field: FieldDef): string {
  const name = quoteIdent(field.name);
  switch (field.type) {
    case 'id':
      return `${name} TEXT PRIMARY KEY`;
    case 'reference':
      return `${name} TEXT`;
    case 'boolean':
      return `${name} INTEGER NOT NULL DEFAULT 0`;
    case 'int':
      return `${name} INTEGER`;
    case 'double':
    case 'currency':
    case 'percent':
      return `${name} REAL`;
    case 'date':
    case 'datetime':
    case 'time':
      return `${name} TEXT`;
    default:
      return `${name} TEXT COLLATE ${field.caseSensitive ? 'BINARY' : 'NOCASE'}`;
  }
}

/** Unique values hold among records outside the recycle bin only (see record-store.ts). */
function uniqueScope(object: ObjectDef): string {
  return object.fields.some((f) => f.name === 'IsDeleted' && f.type === 'boolean')
    ? ' WHERE "IsDeleted" = 0'
    : '';
}

function tableStatement(object: ObjectDef): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(object.name)} (${object.fields.map(columnDefinition).join(', ')})`;
}

/** Each index of the object: its name and the statement that creates it. */
function indexStatements(object: ObjectDef): { name: string; sql: string }[] {
  const table = quoteIdent(object.name);
  const statements: { name: string; sql: string }[] = [];
  for (const field of object.fields) {
    if (field.type === 'id') continue;
    const name = `${object.name}_${field.name}_idx`;
    const index = quoteIdent(name);
    const column = quoteIdent(field.name);
    if (field.unique) {
      statements.push({
        name,
        sql: `CREATE UNIQUE INDEX ${index} ON ${table} (${column})${uniqueScope(object)}`,
      });
    } else if (field.externalId || field.type === 'reference') {
      statements.push({ name, sql: `CREATE INDEX ${index} ON ${table} (${column})` });
    }
  }
  return statements;
}

/**
 * Creates every object's table and indexes; adds columns for fields added to the schema since, and
 * remakes an index whose definition changed (a unique index from before the recycle bin).
 */
export function createTables(db: DatabaseSync, schema: Schema): void {
  const existingIndexes = new Map(
    (
      db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as {
        name: string;
        sql: string;
      }[]
    ).map((row) => [row.name, row.sql]),
  );
  for (const object of schema.objects()) {
    db.exec(tableStatement(object));
    const existing = new Set(
      (db.prepare(`PRAGMA table_info(${quoteIdent(object.name)})`).all() as { name: string }[]).map((c) =>
        c.name.toLowerCase(),
      ),
    );
    for (const field of object.fields) {
      if (!existing.has(field.name.toLowerCase())) {
        db.exec(`ALTER TABLE ${quoteIdent(object.name)} ADD COLUMN ${columnDefinition(field)}`);
      }
    }
    for (const index of indexStatements(object)) {
      const current = existingIndexes.get(index.name);
      if (current === index.sql) continue;
      if (current !== undefined) db.exec(`DROP INDEX ${quoteIdent(index.name)}`);
      db.exec(index.sql);
    }
  }
}
