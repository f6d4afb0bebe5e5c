/**
 * Parsing SOQL with @jetstreamapp/soql-parser-js, turning its errors into Salesforce's MALFORMED_QUERY, and
 * locating names in the query text so errors can carry Salesforce's caret line.
 */
import { parseQuery } from '@jetstreamapp/soql-parser-js';
import type { Query } from '@jetstreamapp/soql-parser-js';
import { SalesforceError } from '../errors.ts';

/**
 * `LAST_N_HOURS:n` / `NEXT_N_HOURS:n` are not known to the parser; they are swapped for same-length
 * week literals in a casing nobody writes, and recognized again by that casing.
 */
export const HOURS_MARKER: Record<string, string> = {
  lAsT_n_WeEkS: 'LAST_N_HOURS',
  nExT_n_WeEkS: 'NEXT_N_HOURS',
};

function preprocess(soql: string): string {
  return soql.replace(
    /'(?:\\.|[^'\\])*'|\b(LAST|NEXT)_N_HOURS\b(?=\s*:)/gi,
    (match: string, which?: string) => {
      if (which === undefined) return match;
      return which.toUpperCase() === 'LAST' ? 'lAsT_n_WeEkS' : 'nExT_n_WeEkS';
    },
  );
}

interface ParserToken {
  image: string;
  startOffset: number | null;
  startLine: number | null;
  startColumn: number | null;
  tokenType?: { name?: string };
}

interface ParserError {
  name?: string;
  message?: string;
  token?: ParserToken;
  previousToken?: ParserToken;
}

/** Salesforce's error prefix: the query line, a caret under the column, and `ERROR at Row:r:Column:c`. */
export function positioned(soql: string, offset: number | null, message: string): string {
  if (offset === null || offset < 0 || offset > soql.length) return message;
  const before = soql.slice(0, offset);
  const lines = before.split('\n');
  const row = lines.length;
  const column = (lines[lines.length - 1] ?? '').length + 1;
  const lineText = soql.split('\n')[row - 1] ?? '';
  return `\n${lineText}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${message}`;
}

export function malformed(soql: string, offset: number | null, message: string): SalesforceError {
  return new SalesforceError(400, 'MALFORMED_QUERY', positioned(soql, offset, message));
}

function isIdentifierChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_.]/.test(c);
}

/**
 * Offset of the first whole-token, case-insensitive occurrence of `needle` outside string literals,
 * at or after `from`; null if absent.
 */
export function locate(soql: string, needle: string, from = 0): number | null {
  const lower = soql.toLowerCase();
  const wanted = needle.toLowerCase();
  let inString = false;
  for (let i = 0; i < soql.length; i++) {
    const c = soql[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === "'") inString = false;
      continue;
    }
    if (c === "'") {
      inString = true;
      continue;
    }
    if (i < from) continue;
    if (
      lower.startsWith(wanted, i) &&
      !isIdentifierChar(soql[i - 1]) &&
      !isIdentifierChar(soql[i + wanted.length])
    ) {
      return i;
    }
  }
  return null;
}

function parserErrors(soql: string): ParserError | undefined {
  const captured: unknown[][] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    captured.push(args);
  };
  try {
    parseQuery(soql, { logErrors: true });
  } catch {
    // reported through the captured log
  } finally {
    console.log = original;
  }
  for (const args of captured) {
    const first = args[0];
    if (Array.isArray(first) && first.length > 0) return first[0] as ParserError;
  }
  return undefined;
}

function syntaxError(soql: string, error: unknown): SalesforceError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'LexingError') {
    const m = /at offset: (\d+)/.exec(message);
    const offset = m ? Number(m[1]) : null;
    const char = offset === null ? '' : soql.charAt(offset);
    return malformed(soql, offset, `unexpected token: '${char || '<EOF>'}'`);
  }
  const detail = parserErrors(soql);
  let token = detail?.token;
  if (
    token &&
    detail?.previousToken?.tokenType?.name === 'Identifier' &&
    /--> FROM <--/.test(detail.message ?? '')
  ) {
    // `SELECT Id FORM Contact`: the parser took FORM for an alias; Salesforce blames FORM.
    token = detail.previousToken;
  }
  if (!token || token.startOffset === null || token.tokenType?.name === 'EOF') {
    return malformed(soql, null, `unexpected token: '<EOF>'`);
  }
  return malformed(soql, token.startOffset, `unexpected token: '${token.image}'`);
}

/** Parses SOQL; syntax errors become MALFORMED_QUERY with Salesforce's message shape. */
export function parseSoql(soql: string): Query {
  const text = preprocess(soql);
  let query: Query;
  try {
    query = parseQuery(text);
  } catch (error) {
    throw syntaxError(text, error);
  }
  if (!query.sObject) throw malformed(soql, null, 'unexpected token: <EOF>');
  return query;
}
