import type { IExecuteFunctions } from 'n8n-workflow';

import { deleteAgent } from '../../../shared/api/agents';
import { resolveAgentId } from '../../../shared/items/locators';
import { itemInputError } from '../../../shared/items/parameters';
import type { LettaClient } from '../../../shared/transport/request';
import { agentField } from '../fields';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete an agent',
	description:
		'Delete an agent with its memory and history, for good; needs "Confirm Delete" switched on',
	properties: [
		agentField,
		{
			displayName: 'Confirm Delete',
			name: 'confirmDelete',
			type: 'boolean',
			default: false,
			description:
				'Whether you really mean to delete the agent: it cannot be undone. Nothing is deleted while this is off.',
		},
	],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => {
			const agentId = resolveAgentId(this, itemIndex);
			if (this.getNodeParameter('confirmDelete', itemIndex, false) !== true) {
				throw itemInputError(
					this,
					itemIndex,
					`Agent ${agentId} was not deleted: "Confirm Delete" is off`,
					'Deleting an agent removes its memory and history for good. Switch on "Confirm Delete" to delete it.',
				);
			}
			return agentId;
		},
		send: async (agentId, itemIndex) => {
			await deleteAgent(client, agentId, itemIndex);
			return { deleted: true, agent_id: agentId };
		},
	});
}
