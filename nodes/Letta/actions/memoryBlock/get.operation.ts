import type { IExecuteFunctions } from 'n8n-workflow';

import { getBlock } from '../../../shared/api/blocks';
import type { LettaClient } from '../../../shared/transport/request';
import { runEachItem, type OperationDescription } from '../operation';
import { blockRefProperties, readBlockRef } from './blockRef';

export const description: OperationDescription = {
	name: 'Get',
	value: 'get',
	action: 'Get a memory block',
	description: "Read one block of an agent's core memory, by its label or its ID",
	properties: blockRefProperties,
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await runEachItem(this, {
		prepare: (itemIndex) => readBlockRef(this, itemIndex),
		send: async (ref, itemIndex) => await getBlock(client, ref, itemIndex),
	});
}
