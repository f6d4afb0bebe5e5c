/**
 * How sObjects are laid out in SQLite: one table per object, named by its API name, one column per
 * field, named by its API name. Storage forms (the SOQL engine and the record store both rely on them):
 * - text-like types (id, reference, string, textarea, email, phone, url, picklist, multipicklist as `a;b`):
 *   TEXT. Every text column but Id and references compares case-insensitively (COLLATE NOCASE), as SOQL does.
 * - boolean: INTEGER 0/1, never NULL.  int: INTEGER.  double, currency, percent: REAL.
 * - date: TEXT `YYYY-MM-DD`.  datetime: TEXT `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC, so text order is time order).
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
      return `${name} TEXT`;
    default:
      return `${name} TEXT COLLATE ${field.caseSensitive ? 'BINARY' : 'NOCASE'}`;
  }
}

function tableStatements(object: ObjectDef): string[] {
  const table = quoteIdent(object.name);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${table} (${object.fields.map(columnDefinition).join(', ')})`,
  ];
  for (const field of object.fields) {
    if (field.type === 'id') continue;
    const index = quoteIdent(`${object.name}_${field.name}_idx`);
    if (field.unique || field.externalId) {
      const unique = field.unique ? 'UNIQUE ' : '';
      statements.push(`CREATE ${unique}INDEX IF NOT EXISTS ${index} ON ${table} (${quoteIdent(field.name)})`);
    } else if (field.type === 'reference') {
      statements.push(`CREATE INDEX IF NOT EXISTS ${index} ON ${table} (${quoteIdent(field.name)})`);
    }
  }
  return statements;
}

/** Creates every object's table and indexes; adds columns for fields added to the schema since. */
export function createTables(db: DatabaseSync, schema: Schema): void {
  for (const object of schema.objects()) {
    for (const sql of tableStatements(object)) db.exec(sql);
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
  }
}
