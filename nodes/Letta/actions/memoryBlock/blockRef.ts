import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { BlockRef } from '../../../shared/api/blocks';
import { resolveAgentId } from '../../../shared/items/locators';
import { itemInputError } from '../../../shared/items/parameters';
import { agentField } from '../fields';
import { BLOCK_ID, readLettaId } from '../ids';

/** Naming one block: by its label on an agent (the usual way), or by its own ID. */

const BY_LABEL = 'label';
const BY_ID = 'id';

const showBy = (mode: string) => ({ show: { blockBy: [mode] } });

export const blockIdField: INodeProperties = {
	displayName: 'Block ID',
	name: 'blockId',
	type: 'string',
	required: true,
	default: '',
	placeholder: BLOCK_ID.example,
	description: 'The ID of the block, e.g. the ID a Get or List returned',
};

export const blockRefProperties: INodeProperties[] = [
	{
		displayName: 'Block By',
		name: 'blockBy',
		type: 'options',
		default: BY_LABEL,
		options: [
			{
				name: 'Label on an Agent',
				value: BY_LABEL,
				description: 'The block with this label (e.g. human) in the agent’s core memory',
			},
			{
				name: 'Block ID',
				value: BY_ID,
				description: 'Any block by its ID, e.g. one shared by several agents',
			},
		],
		description: 'How to find the block',
	},
	{ ...agentField, displayOptions: showBy(BY_LABEL) },
	{
		displayName: 'Label',
		name: 'label',
		type: 'string',
		required: true,
		default: 'human',
		displayOptions: showBy(BY_LABEL),
		description: "The block's label in the agent's core memory, e.g. human, persona or company",
	},
	{ ...blockIdField, displayOptions: showBy(BY_ID) },
];

export function readBlockRef(context: IExecuteFunctions, itemIndex: number): BlockRef {
	const blockBy = context.getNodeParameter('blockBy', itemIndex, BY_LABEL) as string;
	if (blockBy === BY_ID) return { blockId: readLettaId(context, itemIndex, 'blockId', BLOCK_ID) };
	const agentId = resolveAgentId(context, itemIndex);
	const label = String(context.getNodeParameter('label', itemIndex, '')).trim();
	if (!label) {
		throw itemInputError(
			context,
			itemIndex,
			'No block label given',
			'Fill in "Label" with the label of one of the agent’s blocks, e.g. human or persona.',
		);
	}
	return { agentId, label };
}

/** Items that change the same block go one at a time, in item order. */
export function blockLane(ref: BlockRef): string {
	return 'blockId' in ref ? ref.blockId : `${ref.agentId}/${ref.label}`;
}
