import { PollContext, PollTriggerExecutor } from 'n8n-core';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { CredentialTypeSource } from './credentialTypes';
import type { CredentialsByType } from './credentialsHelper';
import { Container } from './n8nEnvironment';
import type { NodeTypeSource } from './nodeTypes';
import { runWorkflow } from './manualExecution';
import { errorOf } from './results';
import { workflowNode } from './workflowBuilders';
import { readStaticData, setUpWorkflow } from './workflowSetup';

/**
 * `trigger`: a scheduled poll of an active workflow (what runs every minute in production).
 * `manual`: the editor's test run, where a poll trigger is the start node of a manual execution.
 */
export type PollMode = 'trigger' | 'manual';

export interface RunPollOptions {
	/** Default `trigger`. */
	mode?: PollMode;
	/** The credential classes the node uses. */
	credentialTypes?: CredentialTypeSource[];
	/** Default: the node type's default name. */
	nodeName?: string;
}

export interface PollRunResult {
	/** What poll() returned: `null` means nothing new (n8n then starts no execution). */
	output: INodeExecutionData[][] | null;
	/** The error the poll failed with (in trigger mode, what n8n hands to __emitError). */
	error: Error | undefined;
	/** The workflow static data after the poll; pass it to the next runPoll to chain polls. */
	staticData: IDataObject;
	/** This node's part of it: what `getWorkflowStaticData('node')` holds. */
	nodeStaticData: IDataObject;
	/** Credential data after the poll (preAuthentication may update it). */
	credentials: CredentialsByType;
}

/**
 * Calls a polling trigger's `poll()` the way n8n does.
 *
 * - `trigger`: through n8n-core's PollContext and PollTriggerExecutor, as the active workflow
 *   manager runs a scheduled poll: the emitted data is what would start an execution, an
 *   error goes to `__emitError`.
 * - `manual`: through WorkflowExecute with the poll node as the start node of a manual run,
 *   where n8n-core builds the PollContext in `manual` mode.
 *
 * `staticData` is the workflow static data (the node's part under `node:<node name>`).
 */
export async function runPoll(
	nodeClass: NodeTypeSource,
	parameters: INodeParameters,
	credentials: CredentialsByType = {},
	staticData: IDataObject = {},
	options: RunPollOptions = {},
): Promise<PollRunResult> {
	const mode = options.mode ?? 'trigger';
	const instance = typeof nodeClass === 'function' ? new nodeClass() : nodeClass;
	const { description } = instance;
	const nodeName =
		options.nodeName ??
		('defaults' in description ? description.defaults.name : undefined) ??
		description.displayName;
	const pollNode = workflowNode(instance, nodeName, parameters);
	const setupOptions = {
		nodes: [pollNode],
		connections: {},
		nodeTypes: [instance],
		credentialTypes: options.credentialTypes,
		credentials,
		staticData,
	};

	if (mode === 'manual') {
		const result = await runWorkflow({ ...setupOptions, startNode: nodeName });
		const error = errorOf(result);
		const main = result.run.data.resultData.runData[nodeName]?.[0]?.data?.main;
		return {
			output: error || main === undefined ? null : main.map((items) => items ?? []),
			error,
			staticData: result.staticData,
			nodeStaticData: (result.staticData[`node:${nodeName}`] as IDataObject) ?? {},
			credentials: result.credentials,
		};
	}

	const setup = await setUpWorkflow(setupOptions);
	const { workflow } = setup;
	const node = workflow.getNode(nodeName);
	if (node === null) throw new Error(`Poll node "${nodeName}" missing from its workflow`);

	let output: INodeExecutionData[][] | null = null;
	let error: Error | undefined;
	const pollContext = new PollContext(
		workflow,
		node,
		setup.additionalData,
		'trigger',
		'activate',
		(data) => {
			output = data;
		},
		(emitted) => {
			error = emitted;
		},
	);
	const executePoll = Container.get(PollTriggerExecutor).create(
		workflow,
		node,
		pollContext,
		() => true,
	);
	// false: a scheduled poll, not the test poll made while activating the workflow.
	await executePoll(false);

	const after = readStaticData(workflow);
	return {
		output,
		error,
		staticData: after,
		nodeStaticData: (after[`node:${nodeName}`] as IDataObject) ?? {},
		credentials: setup.credentials,
	};
}
