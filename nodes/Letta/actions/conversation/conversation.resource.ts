/** Conversation: one line per operation. */
export * as create from './create.operation';
export * as get from './get.operation';
export * as list from './list.operation';
export * as update from './update.operation';
export * as delete from './delete.operation';
