import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { REQUIRES_APPROVAL } from './reply';
import { describeZodError, lettaResponseSchema, type LettaResponse } from '../api/messageSchemas';

/** Output 0 is Completed (and error items under continue-on-fail), output 1 is Needs Approval. */
export function routeReplies(items: INodeExecutionData[]): INodeExecutionData[][] {
	const completed: INodeExecutionData[] = [];
	const needsApproval: INodeExecutionData[] = [];
	for (const item of items) {
		if (item.json.stop_reason === REQUIRES_APPROVAL) needsApproval.push(item);
		else completed.push(item);
	}
	return [completed, needsApproval];
}

/** The item continue-on-fail puts out in place of a failed one: what failed and how to fix it. */
export function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const { description } = error as { description?: unknown };
	return {
		json: {
			error: error.message,
			...(typeof description === 'string' && description ? { description } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}

export function parseLettaResponse(
	context: IExecuteFunctions,
	raw: unknown,
	itemIndex: number,
): LettaResponse {
	const parsed = lettaResponseSchema.safeParse(raw);
	if (parsed.success) return parsed.data;
	throw new NodeApiError(context.getNode(), { response: 'unexpected shape' } as JsonObject, {
		message: `Letta answered with an unexpected response [item ${itemIndex}]`,
		description: `${describeZodError(parsed.error)}. Is the credential's base URL a Letta server?`,
		itemIndex,
	});
}

/** Keeps n8n's own errors as they are (they carry item and HTTP context) and wraps anything else. */
export function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}
