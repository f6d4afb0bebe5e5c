/**
 * What metadata the dev org holds, as the Metadata API's `listMetadata` reports it (`FileProperties`).
 *
 * Custom objects and fields come from the schema (read from manifests/ at start-up, so the sync server and
 * the demo work before any deploy): they are listed whether or not they were deployed, exactly as
 * `describe` shows them. Every other type (permission sets, layouts, tabs, apps, list views, Lightning
 * components, static resources, …) exists once a deploy has brought it. Deployed components are stored in
 * SQLite beside the records, with a hash of their definition, so a redeploy can tell created, changed
 * and unchanged apart, as a Salesforce DeployResult does.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { recordId } from '../ids.ts';
import type { Schema } from '../schema/model.ts';

/** One component as `listMetadata` answers it. */
export interface FileProperties {
  createdById: string;
  createdByName: string;
  createdDate: string;
  fileName: string;
  fullName: string;
  id: string;
  lastModifiedById: string;
  lastModifiedByName: string;
  lastModifiedDate: string;
  manageableState: 'unmanaged';
  type: string;
}

export interface RecordedComponent {
  type: string;
  fullName: string;
  fileName: string;
  id: string;
  hash: string;
  createdDate: string;
  lastModifiedDate: string;
}

/** Key prefixes of the metadata ids Salesforce gives each type (as the Tooling API shows them). */
const ID_PREFIXES: Readonly<Record<string, string>> = {
  CustomObject: '01I',
  CustomField: '00N',
  ListView: '00B',
  CompactLayout: '0AH',
  ValidationRule: '03d',
  FieldSet: '0IX',
  WebLink: '00b',
  Layout: '00h',
  CustomTab: '01r',
  CustomApplication: '02u',
  PermissionSet: '0PS',
  StaticResource: '081',
  PlatformEventChannelMember: '0v8',
  LightningComponentBundle: '0Rb',
  FlexiPage: '0M0',
};

export function definitionHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface RegistryUser {
  id: string;
  name: string;
}

export class ComponentRegistry {
  readonly #db: DatabaseSync;
  readonly #schema: Schema;
  readonly #now: () => Date;
  readonly #startedAt: string;
  readonly #user: () => RegistryUser;

  constructor(db: DatabaseSync, schema: Schema, options: { now: () => Date; user: () => RegistryUser }) {
    this.#db = db;
    this.#schema = schema;
    this.#now = options.now;
    this.#user = options.user;
    this.#startedAt = options.now().toISOString();
    db.exec(`CREATE TABLE IF NOT EXISTS _metadata_components (
      type TEXT NOT NULL, full_name TEXT NOT NULL COLLATE NOCASE, file_name TEXT NOT NULL, id TEXT NOT NULL,
      hash TEXT NOT NULL, created_date TEXT NOT NULL, last_modified_date TEXT NOT NULL,
      PRIMARY KEY (type, full_name))`);
    db.exec('CREATE TABLE IF NOT EXISTS _metadata_sequence (type TEXT PRIMARY KEY, next INTEGER NOT NULL)');
  }

  get(type: string, fullName: string): RecordedComponent | undefined {
    const row = this.#db
      .prepare('SELECT * FROM _metadata_components WHERE type = ? AND full_name = ?')
      .get(type, fullName) as Record<string, string> | undefined;
    return row ? toRecorded(row) : undefined;
  }

  /** Whether any deploy has recorded a component (a new org has had none). */
  hasDeployed(): boolean {
    return this.#db.prepare('SELECT 1 FROM _metadata_components LIMIT 1').get() !== undefined;
  }

  /** Whether a component of this type and name exists in the org (schema or deployed). */
  exists(type: string, fullName: string): boolean {
    if (type === 'CustomObject') return this.#schema.object(fullName) !== undefined;
    if (type === 'CustomField') {
      const [object, fieldName] = splitChild(fullName);
      return this.#schema.field(object, fieldName)?.custom === true;
    }
    return this.get(type, fullName) !== undefined;
  }

  /**
   * Stores a deployed component; returns whether it was created or changed (same definition: neither).
   * The id of a schema-backed component is the one `listMetadata` already showed for it.
   */
  record(
    type: string,
    fullName: string,
    fileName: string,
    definition: string,
  ): RecordedComponent & {
    created: boolean;
    changed: boolean;
  } {
    const hash = definitionHash(definition);
    const now = this.#now().toISOString();
    const existing = this.get(type, fullName);
    if (existing) {
      const changed = existing.hash !== hash;
      if (changed) {
        this.#db
          .prepare(
            'UPDATE _metadata_components SET hash = ?, file_name = ?, last_modified_date = ? WHERE type = ? AND full_name = ?',
          )
          .run(hash, fileName, now, type, existing.fullName);
      }
      return {
        ...existing,
        hash,
        lastModifiedDate: changed ? now : existing.lastModifiedDate,
        created: false,
        changed,
      };
    }
    const schemaBacked = type === 'CustomObject' || type === 'CustomField';
    const id = schemaBacked
      ? (this.#schemaComponents(type).find((c) => c.fullName.toLowerCase() === fullName.toLowerCase())?.id ??
        this.#nextId(type))
      : this.#nextId(type);
    const created: RecordedComponent = {
      type,
      fullName,
      fileName,
      id,
      hash,
      createdDate: schemaBacked ? this.#startedAt : now,
      lastModifiedDate: now,
    };
    this.#db
      .prepare('INSERT INTO _metadata_components VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(type, fullName, fileName, id, hash, created.createdDate, created.lastModifiedDate);
    // An object or field that was already in the schema is not "created" by deploying it again.
    return { ...created, created: !schemaBacked, changed: schemaBacked };
  }

  /** `listMetadata` for one type: every component of it the org has. */
  list(type: string): FileProperties[] {
    const user = this.#user();
    const recorded = new Map(
      (
        this.#db.prepare('SELECT * FROM _metadata_components WHERE type = ?').all(type) as Record<
          string,
          string
        >[]
      ).map((row) => {
        const c = toRecorded(row);
        return [c.fullName.toLowerCase(), c];
      }),
    );
    const components =
      type === 'CustomObject' || type === 'CustomField'
        ? this.#schemaComponents(type).map((c) => recorded.get(c.fullName.toLowerCase()) ?? c)
        : [...recorded.values()];
    return components
      .map((c): FileProperties => ({
        createdById: user.id,
        createdByName: user.name,
        createdDate: c.createdDate,
        fileName: c.fileName,
        fullName: c.fullName,
        id: c.id,
        lastModifiedById: user.id,
        lastModifiedByName: user.name,
        lastModifiedDate: c.lastModifiedDate,
        manageableState: 'unmanaged',
        type,
      }))
      .sort((a, b) => a.fullName.localeCompare(b.fullName));
  }

  #schemaComponents(type: 'CustomObject' | 'CustomField'): RecordedComponent[] {
    const objects = this.#schema.objects();
    const base = { hash: '', createdDate: this.#startedAt, lastModifiedDate: this.#startedAt };
    if (type === 'CustomObject') {
      return objects.map((o, index) => ({
        ...base,
        type,
        fullName: o.name,
        fileName: `objects/${o.name}.object`,
        // Standard objects have no metadata id; custom ones an `01I` id, stable for the schema.
        id: o.custom ? recordId(ID_PREFIXES['CustomObject']!, index + 1) : '',
      }));
    }
    let sequence = 0;
    return objects.flatMap((o) =>
      o.fields
        .filter((f) => f.custom)
        .map((f) => ({
          ...base,
          type,
          fullName: `${o.name}.${f.name}`,
          fileName: `objects/${o.name}.object`,
          id: recordId(ID_PREFIXES['CustomField']!, ++sequence),
        })),
    );
  }

  #nextId(type: string): string {
    const row = this.#db.prepare('SELECT next FROM _metadata_sequence WHERE type = ?').get(type) as
      { next: number } | undefined;
    const next = row?.next ?? 1;
    this.#db
      .prepare(
        'INSERT INTO _metadata_sequence (type, next) VALUES (?, ?) ON CONFLICT(type) DO UPDATE SET next = excluded.next',
      )
      .run(type, next + 1);
    // Schema-backed types number their deployed-only members past the schema's own.
    const offset = type === 'CustomObject' || type === 'CustomField' ? 10_000 : 0;
    return recordId(ID_PREFIXES[type] ?? '0Dv', offset + next);
  }
}

/** `Social_Post__c.Body__c` → [`Social_Post__c`, `Body__c`]. */
export function splitChild(fullName: string): [string, string] {
  const dot = fullName.indexOf('.');
  return dot < 0 ? [fullName, ''] : [fullName.slice(0, dot), fullName.slice(dot + 1)];
}

function toRecorded(row: Record<string, string>): RecordedComponent {
  return {
    type: row['type']!,
    fullName: row['full_name']!,
    fileName: row['file_name']!,
    id: row['id']!,
    hash: row['hash']!,
    createdDate: row['created_date']!,
    lastModifiedDate: row['last_modified_date']!,
  };
}
