import type { IExecuteFunctions } from 'n8n-workflow';

import { updateConversationSummary } from '../../../shared/api/conversations';
import type { LettaClient } from '../../../shared/transport/request';
import { conversationField } from '../fields';
import { requireConversationId } from '../ids';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'Update',
	value: 'update',
	action: 'Update a conversation',
	description: "Change a conversation's summary, its title in lists",
	properties: [
		conversationField,
		{
			displayName: 'Summary',
			name: 'summary',
			type: 'string',
			required: true,
			default: '',
			description: 'The new summary (title) of the conversation',
		},
	],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => ({
			conversationId: requireConversationId(this, itemIndex),
			summary: String(this.getNodeParameter('summary', itemIndex, '')),
		}),
		send: async ({ conversationId, summary }, itemIndex) =>
			await updateConversationSummary(client, conversationId, summary, itemIndex),
	});
}
