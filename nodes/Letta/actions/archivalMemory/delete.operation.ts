import type { IExecuteFunctions } from 'n8n-workflow';

import { deletePassage } from '../../../shared/api/passages';
import { resolveAgentId } from '../../../shared/items/locators';
import type { LettaClient } from '../../../shared/transport/request';
import { agentField } from '../fields';
import { PASSAGE_ID, readLettaId } from '../ids';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete a passage from archival memory',
	description: "Remove one passage from an agent's archival memory",
	properties: [
		agentField,
		{
			displayName: 'Passage ID',
			name: 'passageId',
			type: 'string',
			required: true,
			default: '',
			placeholder: PASSAGE_ID.example,
			description: 'The ID of the passage to delete, e.g. the ID a Search or List returned',
		},
	],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => ({
			agentId: resolveAgentId(this, itemIndex),
			passageId: readLettaId(this, itemIndex, 'passageId', PASSAGE_ID),
		}),
		send: async ({ agentId, passageId }, itemIndex) => {
			await deletePassage(client, agentId, passageId, itemIndex);
			return { deleted: true, agent_id: agentId, passage_id: passageId };
		},
	});
}
