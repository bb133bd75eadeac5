/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INodeListSearchResult, INodeParameters, INodeType } from 'n8n-workflow';

import { LettaCommunityApi } from '../../credentials/LettaCommunityApi.credentials';
import {
	chain,
	itemsTriggerNode,
	runWorkflow,
	workflowNode,
	type RunWorkflowOptions,
	type TestItem,
	type WorkflowRunResult,
} from '../harness/runWorkflow';
import { setUpWorkflow } from '../harness/workflowSetup';
import { SimulatorControl } from '../simulator/control';
import { SIMULATOR_API_KEY } from '../simulator/fixtures';

/** What integration tests share: the simulator behind the spec validator, and a Letta credential for it. */

export const simulator = (): SimulatorControl => SimulatorControl.fromEnv();

export function lettaApiUrl(): string {
	const url = process.env.LETTA_API_URL;
	if (!url) throw new Error('LETTA_API_URL is not set: run the tests through jest (globalSetup)');
	return url;
}

export interface CredentialOverrides {
	apiKey?: string;
	baseUrl?: string;
	projectId?: string;
}

export function lettaCredentials(overrides: CredentialOverrides = {}) {
	return {
		lettaCommunityApi: {
			apiKey: SIMULATOR_API_KEY,
			baseUrl: lettaApiUrl(),
			projectId: '',
			...overrides,
		},
	};
}

export interface RunNodeOptions {
	items?: TestItem[];
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
	credentials?: CredentialOverrides;
	staticData?: IDataObject;
	/** Streams the execution (a chat, a streaming webhook): every chunk sent goes here. */
	onChunk?: RunWorkflowOptions['onChunk'];
}

/** Runs `Start -> <node>` in a real n8n execution against the simulator. */
export async function runLettaNode(
	nodeClass: new () => INodeType,
	parameters: INodeParameters,
	options: RunNodeOptions = {},
): Promise<WorkflowRunResult> {
	const node = workflowNode(
		nodeClass,
		'Letta',
		parameters,
		options.onError ? { onError: options.onError } : {},
	);
	return await runWorkflow({
		nodes: [itemsTriggerNode(options.items ?? [{ json: {} }]), node],
		connections: chain('Start', 'Letta'),
		nodeTypes: [nodeClass],
		credentialTypes: [LettaCommunityApi],
		credentials: lettaCredentials(options.credentials),
		staticData: options.staticData,
		...(options.onChunk ? { onChunk: options.onChunk } : {}),
	});
}

/** Calls a node's listSearch method through n8n-core's real load-options context. */
export async function runListSearch(
	nodeClass: new () => INodeType,
	method: string,
	parameters: INodeParameters,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const node = workflowNode(nodeClass, 'Letta', parameters);
	const setup = await setUpWorkflow({
		nodes: [node],
		connections: {},
		nodeTypes: [nodeClass],
		credentialTypes: [LettaCommunityApi],
		credentials: lettaCredentials(),
	});
	// The editor sends the node's current parameters along with a list search.
	setup.additionalData.currentNodeParameters = parameters;
	const context = new LoadOptionsContext(
		setup.workflow,
		setup.nodes[0],
		setup.additionalData,
		method,
	);
	const search = new nodeClass().methods?.listSearch?.[method];
	if (!search) throw new Error(`${node.type} has no listSearch method ${method}`);
	return await search.call(context, filter, paginationToken);
}

/** The agent locator value a user picks "By ID". */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** The simulator's message POSTs received on /v1 (the requests that start agent work). */
export async function messagePosts(control: SimulatorControl) {
	return (await control.requests({ method: 'POST', pathContains: '/messages' })).filter((r) =>
		r.path.startsWith('/v1/'),
	);
}

/** Send Agent Message parameters in Plain Request wait mode (cases that pin that wire format). */
export function plainRequest(parameters: INodeParameters): INodeParameters {
	const given = (parameters.options ?? {}) as INodeParameters;
	return { ...parameters, options: { waitMode: 'plainRequest', ...given } };
}
