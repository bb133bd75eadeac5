import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { REQUIRES_APPROVAL } from '../api/runs';
import { runsAsTool } from './executionNode';
import { toolResult } from './reply';

/**
 * The outputs of a node run. As a tool only the first output reaches the model, so every item
 * goes there, said for the model (`toolResult`); otherwise `route` splits them.
 */
export function routeOutputs(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	route: (items: INodeExecutionData[]) => INodeExecutionData[][] = (all) => [all],
): INodeExecutionData[][] {
	if (!runsAsTool(context)) return route(items);
	return [items.map((item) => ({ ...item, json: toolResult(item.json) }))];
}

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

/** Keeps n8n's own errors as they are (they carry item and HTTP context) and wraps anything else. */
export function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}
