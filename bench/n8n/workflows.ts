/**
 * The generated workflows of the real-n8n group: Manual Trigger -> Code node making N items
 * over K agents -> the node measured (Send Agent Message, or n8n's HTTP Request node sending
 * the same request with a Header Auth credential).
 */
import type { WorkflowJson } from '../../test/n8n';

export const MEASURED_NODE = 'Measured';
export const LETTA_CREDENTIAL_REF = { id: 'benchLetta000001', name: 'Letta (bench stub)' };
export const HEADER_CREDENTIAL_REF = { id: 'benchHeader00001', name: 'Bearer (bench stub)' };

/** Bytes of each item's text (the reply echoes it). */
export const TEXT_BYTES = 1024;

export interface WorkflowCase {
	items: number;
	agents: number;
}

export type Measured =
	| { kind: 'letta'; concurrency: number }
	| { kind: 'httpRequest'; baseUrl: string };

/** Agent ids in Letta's format, one per lane. */
export function agentId(index: number): string {
	return `agent-00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
}

/** The text of item `index` (the Code node builds the same text, so replies can be checked). */
export function itemText(index: number): string {
	const head = `Item ${index}: `;
	return head + 'x'.repeat(TEXT_BYTES - head.length);
}

function codeNode({ items, agents }: WorkflowCase) {
	const jsCode = [
		`const agents = Array.from({ length: ${agents} }, (_, i) => 'agent-00000000-0000-4000-8000-' + String(i).padStart(12, '0'));`,
		`return Array.from({ length: ${items} }, (_, i) => { const head = 'Item ' + i + ': '; return { json: { agentId: agents[i % agents.length], text: head + 'x'.repeat(${TEXT_BYTES} - head.length) } }; });`,
	].join('\n');
	return {
		id: 'b0000000-0000-4000-8000-000000000002',
		name: 'Items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: { jsCode },
	};
}

function measuredNode(measured: Measured) {
	const common = {
		id: 'b0000000-0000-4000-8000-000000000003',
		name: MEASURED_NODE,
		position: [440, 0],
	};
	if (measured.kind === 'letta') {
		return {
			...common,
			type: 'n8n-nodes-letta.lettaSendAgentMessage',
			typeVersion: 1,
			parameters: {
				agentId: { __rl: true, mode: 'id', value: '={{ $json.agentId }}' },
				messageInput: 'text',
				text: '={{ $json.text }}',
				// The same request as the HTTP Request node: one POST that waits for the reply.
				options: { concurrency: measured.concurrency, waitMode: 'plainRequest' },
			},
			credentials: { lettaCommunityApi: LETTA_CREDENTIAL_REF },
		};
	}
	return {
		...common,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `=${measured.baseUrl}/v1/agents/{{ $json.agentId }}/messages`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify({ messages: [{ role: "user", content: $json.text }] }) }}',
			options: {},
		},
		credentials: { httpHeaderAuth: HEADER_CREDENTIAL_REF },
	};
}

export function benchWorkflow(id: string, shape: WorkflowCase, measured: Measured): WorkflowJson {
	return {
		id,
		name: `bench: ${id}`,
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			codeNode(shape),
			measuredNode(measured),
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: MEASURED_NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}
