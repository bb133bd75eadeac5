import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { routeOutputs } from '../../shared/items/output';
import { createLettaClient } from '../../shared/transport/request';
import { findOperation } from './resources';

/** Runs the operation the node is set to (resource and operation are the same for every item). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const found = findOperation(resource, operation);
	if (!found) {
		throw new NodeOperationError(
			this.getNode(),
			`The Letta node has no operation "${operation}" for "${resource}"`,
			{ description: 'Pick the resource and the operation again in the node.' },
		);
	}
	const client = await createLettaClient(this);
	return routeOutputs(this, await found.execute.call(this, client));
}
