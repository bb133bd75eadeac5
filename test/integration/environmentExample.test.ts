/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IConnections, INode } from 'n8n-workflow';

import { LettaCommunityApi } from '../../credentials/LettaCommunityApi.credentials';
import { LettaSendToEnvironment } from '../../nodes/LettaSendToEnvironment/LettaSendToEnvironment.node';
import {
	chain,
	errorOf,
	itemsTriggerNode,
	jsonOf,
	nodeTypeName,
	runWorkflow,
} from '../harness/runWorkflow';
import { SimulatorControl } from '../simulator/control';
import { SIMULATOR_API_KEY } from '../simulator/fixtures';

/**
 * examples/environment-reply.json runs in real n8n in the e2e suite; here its Send to
 * Environment node runs exactly as the example configures it, inside an n8n-core execution
 * against the simulator, and the fields the example's next nodes read are checked to exist.
 */

interface WorkflowJson {
	id: string;
	nodes: INode[];
	connections: IConnections;
}

const example = JSON.parse(
	readFileSync(join(__dirname, '../../examples/environment-reply.json'), 'utf8'),
) as WorkflowJson;
const sendType = nodeTypeName(LettaSendToEnvironment);
const sendNode = example.nodes.find((node) => node.type === sendType)!;
const sim = SimulatorControl.fromEnv();

/** `$json.<field>` references in the parameters of a node. */
function fieldsRead(node: INode): string[] {
	return [...JSON.stringify(node.parameters).matchAll(/\$json\.([a-z_]+)/g)].map(
		(match) => match[1],
	);
}

function nodeOnOutput(output: number): INode {
	const [target] = example.connections[sendNode.name].main[output] ?? [];
	return example.nodes.find((node) => node.name === target?.node)!;
}

beforeEach(async () => {
	await sim.reset();
});

describe('examples/environment-reply.json', () => {
	it('is a workflow n8n can import and `n8n execute` can start: an id, a manual trigger beside the schedule', () => {
		expect(example.id).toMatch(/^[A-Za-z0-9]{16}$/);
		const types = example.nodes.map((node) => node.type);
		expect(types).toEqual(
			expect.arrayContaining([
				'n8n-nodes-base.scheduleTrigger',
				'n8n-nodes-base.manualTrigger',
				sendType,
			]),
		);
		expect(sendNode.parameters.waitForReply).toBe(true);
		expect(sendNode.credentials).toEqual({
			lettaCommunityApi: { id: 'letta-simulator', name: 'Letta (simulator)' },
		});
	});

	it('runs its Send to Environment node as configured and outputs every field its next nodes read', async () => {
		const result = await runWorkflow({
			nodes: [itemsTriggerNode([{ json: {} }]), sendNode],
			connections: chain('Start', sendNode.name),
			nodeTypes: [LettaSendToEnvironment],
			credentialTypes: [LettaCommunityApi],
			credentials: {
				lettaCommunityApi: {
					apiKey: SIMULATOR_API_KEY,
					baseUrl: process.env.LETTA_API_URL ?? '',
					projectId: '',
				},
			},
		});
		expect(errorOf(result)).toBeUndefined();
		const [reply] = jsonOf(result, sendNode.name, 0);
		expect(reply).toMatchObject({
			reply:
				'Customer Support heard: Run the nightly checks in the repository and summarise anything that failed',
			stop_reason: 'end_turn',
			device_id: 'device-alice-laptop',
		});
		for (const field of fieldsRead(nodeOnOutput(0))) expect(reply).toHaveProperty(field);
		// The Needs Approval branch reads fields every reply item carries.
		for (const field of fieldsRead(nodeOnOutput(1))) expect(reply).toHaveProperty(field);
	});
});
