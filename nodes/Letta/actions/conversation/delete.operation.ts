import type { IExecuteFunctions } from 'n8n-workflow';

import { deleteConversation } from '../../../shared/api/conversations';
import type { LettaClient } from '../../../shared/transport/request';
import { conversationField } from '../fields';
import { requireConversationId } from '../ids';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'Delete',
	value: 'delete',
	action: 'Delete a conversation',
	description:
		"Delete a conversation: it no longer lists or answers (the agent's memory is not touched)",
	properties: [conversationField],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => requireConversationId(this, itemIndex),
		send: async (conversationId, itemIndex) => {
			await deleteConversation(client, conversationId, itemIndex);
			return { deleted: true, conversation_id: conversationId };
		},
	});
}
