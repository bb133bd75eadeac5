/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
/**
 * Shared by the approval-loop integration tests (approvals*.test.ts, trigger*.test.ts):
 * a Letta credential for the simulator behind the spec validator, and runners for the
 * Letta Trigger (a poll, as n8n schedules it) and for Send Agent Message workflows.
 */
import type { IConnections, IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { LettaCommunityApi } from '../../credentials/LettaCommunityApi.credentials';
import { LettaSendAgentMessage } from '../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node';
import { LettaTrigger } from '../../nodes/LettaTrigger/LettaTrigger.node';
import {
	itemsTriggerNode,
	runPoll,
	runWorkflow,
	workflowNode,
	type TestItem,
} from '../harness/runWorkflow';
import type { PollMode, PollRunResult } from '../harness/runPoll';
import { SimulatorControl } from '../simulator/control';
import { SIMULATOR_API_KEY } from '../simulator/fixtures';
import { plainRequest } from './support';

export const sim = (): SimulatorControl => SimulatorControl.fromEnv();

export function lettaCredentials() {
	const baseUrl = process.env.LETTA_API_URL;
	if (!baseUrl)
		throw new Error('LETTA_API_URL is not set: run the tests through jest (globalSetup)');
	return { lettaCommunityApi: { apiKey: SIMULATOR_API_KEY, baseUrl, projectId: '' } };
}

/** A resource locator value picked "By ID". */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** One poll of the Letta Trigger; chain polls by passing the returned static data on. */
export async function pollTrigger(
	parameters: INodeParameters,
	staticData: IDataObject = {},
	mode: PollMode = 'trigger',
): Promise<PollRunResult> {
	// Round-trip through JSON, as n8n stores static data in its database between polls.
	const stored = JSON.parse(JSON.stringify(staticData)) as IDataObject;
	return await runPoll(LettaTrigger, parameters, lettaCredentials(), stored, {
		mode,
		credentialTypes: [LettaCommunityApi],
		nodeName: 'Letta Trigger',
	});
}

/** The JSON of the items a poll emitted (none when it returned null). */
export const emitted = (result: PollRunResult): IDataObject[] =>
	(result.output?.[0] ?? []).map((item) => item.json);

export const answerNode = (
	name: string,
	parameters: INodeParameters,
	settings: Partial<INode> = {},
): INode =>
	workflowNode(
		LettaSendAgentMessage,
		name,
		plainRequest({ messageInput: 'answerApproval', ...parameters }),
		settings,
	);

export const sendNode = (
	name: string,
	parameters: INodeParameters,
	settings: Partial<INode> = {},
): INode => workflowNode(LettaSendAgentMessage, name, plainRequest(parameters), settings);

/** Runs `Start -> ...nodes` in a real n8n execution against the simulator. */
export async function runLetta(
	nodes: INode[],
	connections: IConnections,
	items: TestItem[] = [{ json: {} }],
) {
	return await runWorkflow({
		nodes: [itemsTriggerNode(items), ...nodes],
		connections,
		nodeTypes: [LettaSendAgentMessage],
		credentialTypes: [LettaCommunityApi],
		credentials: lettaCredentials(),
	});
}
