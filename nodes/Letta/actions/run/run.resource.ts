/** Run: one line per operation. */
export * as get from './get.operation';
export * as list from './list.operation';
export * as listActive from './listActive.operation';
export * as getMessages from './getMessages.operation';
export * as getUsage from './getUsage.operation';
export * as cancel from './cancel.operation';
