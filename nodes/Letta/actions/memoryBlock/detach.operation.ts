import type { IExecuteFunctions } from 'n8n-workflow';

import type { LettaClient } from '../../../shared/transport/request';
import type { OperationDescription } from '../operation';
import { attachmentProperties, executeAttachment } from './attachment';

export const description: OperationDescription = {
	name: 'Detach',
	value: 'detach',
	action: 'Detach a memory block from an agent',
	description:
		"Remove a block from an agent's core memory; the block itself stays (other agents keep it)",
	properties: attachmentProperties,
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await executeAttachment(this, client, false);
}
