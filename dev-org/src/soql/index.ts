/** The dev org's SOQL engine. */
export { executeQuery } from './engine.ts';
export type { ApiRecord, QueryOptions, QueryResult } from './engine.ts';
export { queryColumns } from './columns.ts';
export type { QueryColumn, QueryColumns } from './columns.ts';
