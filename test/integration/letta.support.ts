import type { INodeParameters } from 'n8n-workflow';

import { Letta } from '../../nodes/Letta/Letta.node';
import { runLettaNode, type RunNodeOptions } from './support';

/** Runs `Start -> Letta` with one resource and operation. */
export async function runLetta(
	resource: string,
	operation: string,
	parameters: INodeParameters = {},
	options: RunNodeOptions = {},
) {
	return await runLettaNode(Letta, { resource, operation, ...parameters }, options);
}
