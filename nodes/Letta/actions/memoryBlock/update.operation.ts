import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeBlock, getBlock, updateBlockValue } from '../../../shared/api/blocks';
import type { LettaClient } from '../../../shared/transport/request';
import { collectionField } from '../fields';
import { runEachItem, type OperationDescription } from '../operation';
import { blockLane, blockRefProperties, readBlockRef } from './blockRef';
import { unexpectedBlockValue } from './guard';

export const description: OperationDescription = {
	name: 'Update',
	value: 'update',
	action: 'Update a memory block',
	description:
		"Replace a block's value; optionally only if it still holds the value you read earlier",
	properties: [
		...blockRefProperties,
		{
			displayName: 'Value',
			name: 'value',
			type: 'string',
			typeOptions: { rows: 6 },
			required: true,
			default: '',
			description:
				'The new value of the block: it replaces the whole value, and the agent sees it from its next step on',
		},
		collectionField('Options', [
			{
				displayName: 'Only If Value Is',
				name: 'onlyIfValueIs',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description:
					'Write only if the block still holds exactly this value (map the value a Get returned). If another workflow changed it meanwhile, the item fails instead of overwriting that change.',
			},
		]),
	],
};

interface PreparedUpdate {
	ref: ReturnType<typeof readBlockRef>;
	value: string;
	/** The value the block must still hold; undefined: no guard. */
	expected: string | undefined;
}

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem<PreparedUpdate>(this, {
		prepare: (itemIndex) => {
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			return {
				ref: readBlockRef(this, itemIndex),
				value: String(this.getNodeParameter('value', itemIndex, '')),
				expected: 'onlyIfValueIs' in options ? String(options.onlyIfValueIs ?? '') : undefined,
			};
		},
		lane: ({ ref }) => blockLane(ref),
		send: async ({ ref, value, expected }, itemIndex) => {
			if (expected !== undefined) {
				const current = await getBlock(client, ref, itemIndex);
				const changed = unexpectedBlockValue(expected, current.value);
				if (changed !== undefined) {
					throw new NodeOperationError(
						this.getNode(),
						`The ${describeBlock(ref)} changed since it was read; not overwritten [item ${itemIndex}]`,
						{
							itemIndex,
							description: `It no longer holds the value given in "Only If Value Is". It now holds: "${changed}". Read the block again, apply your change to its current value, and update with that value in "Only If Value Is".`,
						},
					);
				}
			}
			return await updateBlockValue(client, ref, value, itemIndex);
		},
	});
}
