import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { runItemsUnrouted } from '../../shared/items/runner';
import type { LettaClient } from '../../shared/transport/request';

/** What every `<operation>.operation.ts` exports: its `description` and its `execute`. */

export interface OperationDescription {
	/** The operation's name in the Operation dropdown, e.g. `Get`. */
	name: string;
	value: string;
	/** What the operation does, as n8n's actions list shows it: `Get a memory block`. */
	action: string;
	description: string;
	/** Its fields; the node shows them for this resource and operation only. */
	properties: INodeProperties[];
}

export type OperationExecute = (
	this: IExecuteFunctions,
	client: LettaClient,
) => Promise<INodeExecutionData[]>;

export interface LettaOperation {
	description: OperationDescription;
	execute: OperationExecute;
}

export interface ItemPlan<Prepared> {
	/** Reads and checks the item's parameters: every item is checked before any is sent. */
	prepare(itemIndex: number): Prepared | Promise<Prepared>;
	/** Items of one lane run one at a time, in item order; by default each item is its own lane. */
	lane?(prepared: Prepared): string;
	/** One Letta answer: an object becomes one output item, an array one item per entry. */
	send(prepared: Prepared, itemIndex: number): Promise<OperationAnswer>;
}

/** Objects parsed from Letta's JSON (zod-checked, passthrough) or built from them. */
export type OperationAnswer = object | object[];

export function toOutputItems(answer: OperationAnswer, itemIndex: number): INodeExecutionData[] {
	return (Array.isArray(answer) ? answer : [answer]).map((json) => ({
		// Parsed from JSON, so every value is a JSON value: what IDataObject describes.
		json: json as IDataObject,
		pairedItem: { item: itemIndex },
	}));
}

/**
 * Runs an operation over the input items with the shared runner: checked first, then sent in
 * lanes up to the Concurrency option, continue-on-fail items in place of failed ones.
 */
export async function runEachItem<Prepared>(
	context: IExecuteFunctions,
	plan: ItemPlan<Prepared>,
): Promise<INodeExecutionData[]> {
	const results = await runItemsUnrouted(context, {
		prepare: async (itemIndex) => ({ value: await plan.prepare(itemIndex), itemIndex }),
		lane: (entry) => plan.lane?.(entry.value) ?? `item:${entry.itemIndex}`,
		send: async (entry, itemIndex) =>
			toOutputItems(await plan.send(entry.value, itemIndex), itemIndex),
	});
	return results.flat();
}
