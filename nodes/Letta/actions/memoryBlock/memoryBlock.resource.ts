/** Memory Block: one line per operation. */
export * as get from './get.operation';
export * as list from './list.operation';
export * as update from './update.operation';
export * as attach from './attach.operation';
export * as detach from './detach.operation';
