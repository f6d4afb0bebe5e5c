/** The dev org's SOQL engine. */
export { executeQuery } from './engine.ts';
export type { ApiRecord, QueryOptions, QueryResult } from './engine.ts';
