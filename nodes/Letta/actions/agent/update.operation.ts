import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { updateAgent, type AgentUpdate } from '../../../shared/api/agents';
import { resolveAgentId } from '../../../shared/items/locators';
import { itemInputError } from '../../../shared/items/parameters';
import type { LettaClient } from '../../../shared/transport/request';
import { agentField, collectionField } from '../fields';
import { runEachItem, type OperationDescription } from '../operation';
import { parseTags } from '../values';

export const description: OperationDescription = {
	name: 'Update',
	value: 'update',
	action: 'Update an agent',
	description: "Change an agent's name, description or tags; fields left out stay as they are",
	properties: [
		agentField,
		collectionField('Update Fields', [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				description: 'The new name of the agent',
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				description: 'The new description of the agent',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'support, eu',
				description:
					"The agent's tags, separated by commas: they replace its current tags (empty removes them all)",
			},
		]),
	],
};

export function agentUpdateFrom(fields: IDataObject): AgentUpdate {
	return {
		...(fields.name !== undefined ? { name: String(fields.name) } : {}),
		...(fields.description !== undefined ? { description: String(fields.description) } : {}),
		...(fields.tags !== undefined ? { tags: parseTags(fields.tags) } : {}),
	};
}

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => {
			const update = agentUpdateFrom(
				this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject,
			);
			if (Object.keys(update).length === 0) {
				throw itemInputError(
					this,
					itemIndex,
					'Nothing to update',
					'Add at least one field under "Update Fields" (name, description or tags).',
				);
			}
			return { agentId: resolveAgentId(this, itemIndex), update };
		},
		lane: ({ agentId }) => agentId,
		send: async ({ agentId, update }, itemIndex) =>
			await updateAgent(client, agentId, update, itemIndex),
	});
}
