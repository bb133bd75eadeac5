import type { IExecuteFunctions } from 'n8n-workflow';

import type { LettaClient } from '../../../shared/transport/request';
import type { OperationDescription } from '../operation';
import { attachmentProperties, executeAttachment } from './attachment';

export const description: OperationDescription = {
	name: 'Attach',
	value: 'attach',
	action: 'Attach a memory block to an agent',
	description:
		"Add an existing block (e.g. one shared by several agents) to an agent's core memory; attaching it again changes nothing",
	properties: attachmentProperties,
};

export async function execute(this: IExecuteFunctions, client: LettaClient) {
	return await executeAttachment(this, client, true);
}
