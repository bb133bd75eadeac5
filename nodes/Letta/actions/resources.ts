import * as agent from './agent/agent.resource';
import * as archivalMemory from './archivalMemory/archivalMemory.resource';
import * as conversation from './conversation/conversation.resource';
import * as memoryBlock from './memoryBlock/memoryBlock.resource';
import type { LettaOperation } from './operation';
import * as run from './run/run.resource';

/** The Letta node's resources, in the order of its Resource dropdown. */

export interface LettaResource {
	name: string;
	value: string;
	description: string;
	/** The resource file's operations: `export * as <operation> from './<operation>.operation'`. */
	operations: Record<string, LettaOperation>;
}

export const RESOURCES: LettaResource[] = [
	{
		name: 'Memory Block',
		value: 'memoryBlock',
		description: "A block of an agent's core memory (always in its context), e.g. human, persona",
		operations: memoryBlock,
	},
	{
		name: 'Archival Memory',
		value: 'archivalMemory',
		description: "Passages in an agent's long-term memory, searched when needed",
		operations: archivalMemory,
	},
	{
		name: 'Run',
		value: 'run',
		description: 'One request an agent worked on: its status, messages and usage',
		operations: run,
	},
	{ name: 'Agent', value: 'agent', description: 'A Letta agent', operations: agent },
	{
		name: 'Conversation',
		value: 'conversation',
		description: 'A separate conversation with an agent (beside its default one)',
		operations: conversation,
	},
];

export function findOperation(resource: string, operation: string): LettaOperation | undefined {
	const operations = RESOURCES.find((candidate) => candidate.value === resource)?.operations;
	// Compiled to CommonJS the namespace is a plain object: `toString` must not count.
	return operations && Object.prototype.hasOwnProperty.call(operations, operation)
		? operations[operation]
		: undefined;
}
