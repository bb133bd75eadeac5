import type { IExecuteFunctions } from 'n8n-workflow';

import { createConversation } from '../../../shared/api/conversations';
import { resolveAgentId } from '../../../shared/items/locators';
import type { LettaClient } from '../../../shared/transport/request';
import { agentField } from '../fields';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'Create',
	value: 'create',
	action: 'Create a conversation',
	description:
		'Start a new conversation with an agent, separate from its default one (same memory, own history)',
	properties: [
		agentField,
		{
			displayName: 'Summary',
			name: 'summary',
			type: 'string',
			default: '',
			placeholder: 'Ticket 4711: refund request',
			description: 'A title for the conversation, shown in lists (optional)',
		},
	],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => ({
			agentId: resolveAgentId(this, itemIndex),
			summary: String(this.getNodeParameter('summary', itemIndex, '')).trim() || undefined,
		}),
		send: async ({ agentId, summary }, itemIndex) =>
			await createConversation(client, agentId, summary, itemIndex),
	});
}
