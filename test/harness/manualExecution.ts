import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type { IWorkflowBase, StructuredChunk } from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

import type { WorkflowRunResult } from './results';
import {
	WORKFLOW_ID,
	WORKFLOW_NAME,
	readStaticData,
	setUpWorkflow,
	type WorkflowSetupOptions,
} from './workflowSetup';

export interface RunWorkflowOptions extends WorkflowSetupOptions {
	/** The node to start from; defaults to n8n's choice (the first trigger). */
	startNode?: string;
	/**
	 * Makes the execution stream as n8n's CLI does for a chat or a streaming webhook
	 * (`streamingEnabled` and a `sendChunk` hook: `isStreaming()` is true); gets every chunk.
	 */
	onChunk?: (chunk: StructuredChunk) => void;
}

/**
 * Runs a workflow the way n8n runs a manual execution: n8n-core's WorkflowExecute, real
 * node execution contexts, real HTTP through n8n's request helpers.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	const setup = await setUpWorkflow(options);
	const workflowData: IWorkflowBase = {
		id: WORKFLOW_ID,
		name: WORKFLOW_NAME,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: setup.nodes,
		connections: options.connections,
		settings: setup.settings,
	};
	const hooks = new ExecutionLifecycleHooks('manual', setup.executionId, workflowData);
	const nodeExecutionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		nodeExecutionOrder.push(nodeName);
	});
	setup.additionalData.hooks = hooks;
	const { onChunk } = options;
	if (onChunk) {
		hooks.addHandler('sendChunk', (chunk) => onChunk(chunk));
		setup.additionalData.streamingEnabled = true;
	}

	const { workflow } = setup;
	const startNode =
		options.startNode === undefined
			? workflow.getStartNode()
			: (workflow.getNode(options.startNode) ?? undefined);
	if (startNode === undefined) {
		throw new UnexpectedError(
			`No start node: "${options.startNode ?? '(a trigger)'}" is not in the workflow`,
		);
	}

	const run = await new WorkflowExecute(setup.additionalData, 'manual').run({
		workflow,
		startNode,
	});
	return {
		run,
		error: run.data.resultData.error,
		staticData: readStaticData(workflow),
		nodeExecutionOrder,
		credentials: setup.credentials,
	};
}
