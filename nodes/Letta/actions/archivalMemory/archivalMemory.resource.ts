/** Archival Memory: one line per operation. */
export * as insert from './insert.operation';
export * as search from './search.operation';
export * as list from './list.operation';
export * as delete from './delete.operation';
