// Shared by the manifests tests: where the package lives, and loose XML access for metadata the reader skips.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

export const MANIFESTS_DIR = fileURLToPath(new URL('..', import.meta.url));
export const SOURCE_DIR = join(MANIFESTS_DIR, 'force-app');
export const DEFAULT_DIR = join(SOURCE_DIR, 'main', 'default');
export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

/** Standard objects this package may point at or grant access to. */
export const STANDARD_OBJECTS = new Set(['Account', 'Contact', 'Lead', 'Case', 'User', 'Task']);

/** Every file under `dir`, as absolute paths, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

/** `path` relative to the manifests folder, for readable assertion messages. */
export function rel(path: string): string {
  return relative(MANIFESTS_DIR, path);
}

/** A parsed element: children by tag name; leaves are strings, attributes are `@_name`. */
export type XmlElement = { [key: string]: unknown };

// Elements that repeat in the metadata types these tests read; always parsed as arrays.
const REPEATED = new Set([
  'applicationVisibilities',
  'columns',
  'customTabListAdditionalFields',
  'fieldPermissions',
  'fields',
  'filters',
  'formFactors',
  'layoutColumns',
  'layoutItems',
  'layoutSections',
  'lookupDialogsAdditionalFields',
  'members',
  'objectPermissions',
  'relatedLists',
  'searchResultsAdditionalFields',
  'tabSettings',
  'tabs',
  'types',
  'value',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => REPEATED.has(name),
});

/** Parses a metadata file; returns the root element's name and content. */
export function readXml(file: string): { root: string; xmlns: unknown; content: XmlElement } {
  const doc = parser.parse(readFileSync(file, 'utf8')) as XmlElement;
  const root = Object.keys(doc).find((k) => k !== '?xml');
  if (!root) throw new Error(`${rel(file)}: no root element`);
  const value = doc[root];
  const content = typeof value === 'object' && value !== null ? (value as XmlElement) : {};
  return { root, xmlns: content['@_xmlns'], content };
}

/** The child elements named `key` (an empty list when absent). */
export function elements(node: XmlElement, key: string): XmlElement[] {
  const value = node[key];
  if (value === undefined || value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'object' && v !== null ? (v as XmlElement) : {}));
}

/** The text of the leaf elements named `key`. */
export function texts(node: XmlElement, key: string): string[] {
  const value = node[key];
  if (value === undefined) return [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v !== 'string') throw new Error(`<${key}> is not a leaf`);
    return v;
  });
}

/** The text of the single leaf element named `key`, or undefined. */
export function text(node: XmlElement, key: string): string | undefined {
  const all = texts(node, key);
  if (all.length > 1) throw new Error(`<${key}> appears ${all.length} times`);
  return all[0];
}
