import type { IExecuteFunctions } from 'n8n-workflow';

import { getConversation } from '../../../shared/api/conversations';
import type { LettaClient } from '../../../shared/transport/request';
import { conversationField } from '../fields';
import { requireConversationId } from '../ids';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'Get',
	value: 'get',
	action: 'Get a conversation',
	description: 'Read one conversation: its agent, summary and when it was last used',
	properties: [conversationField],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => requireConversationId(this, itemIndex),
		send: async (conversationId, itemIndex) =>
			await getConversation(client, conversationId, itemIndex),
	});
}
