import type { IExecuteFunctions } from 'n8n-workflow';

import { getAgent } from '../../../shared/api/agents';
import { resolveAgentId } from '../../../shared/items/locators';
import type { LettaClient } from '../../../shared/transport/request';
import { agentField } from '../fields';
import { runEachItem, type OperationDescription } from '../operation';

export const description: OperationDescription = {
	name: 'Get',
	value: 'get',
	action: 'Get an agent',
	description: 'Read one agent: its name, tags, model, memory blocks and tools',
	properties: [agentField],
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => resolveAgentId(this, itemIndex),
		send: async (agentId, itemIndex) => await getAgent(client, agentId, itemIndex),
	});
}
