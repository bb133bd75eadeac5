/**
 * The workflow the wait-mode benchmark runs in n8n: for each wait mode a production webhook
 * (n8n answers at once, the execution goes on) into its own Send Agent Message talking to the
 * Long Worker; one workflow, so one `n8n publish:workflow` (each CLI command starts n8n anew).
 * The webhook body names the run (`token`, the message text, so the simulator's request log
 * tells the runs apart) and, for the modes that take a named conversation, the conversation:
 * Stream and Plain Request lock it, so runs side by side need one each.
 */
import type { WaitMode } from '../../nodes/shared/waiting/waitModes';
import { AGENT_IDS, LETTA_CREDENTIAL, type WorkflowJson } from '../../test/n8n';

export interface BenchMode {
	mode: WaitMode;
	label: string;
	/** Runs in a conversation of its own (Stream, Plain Request); else the default conversation. */
	namedConversation: boolean;
}

/** Every wait mode, in the order the tables list them. */
export const BENCH_MODES: readonly BenchMode[] = [
	{ mode: 'stream', label: 'Stream', namedConversation: true },
	{ mode: 'backgroundRun', label: 'Background Run', namedConversation: false },
	{ mode: 'plainRequest', label: 'Plain Request', namedConversation: true },
	{ mode: 'waitForCallback', label: 'Wait for Callback', namedConversation: false },
];

export const BENCH_WORKFLOW_ID = 'benchWaitModes01';

export function webhookPath(mode: WaitMode): string {
	return `bench-modes-${mode}`;
}

export function startNode(mode: BenchMode): string {
	return `Start ${mode.label}`;
}

export function sendNode(mode: BenchMode): string {
	return `Send ${mode.label}`;
}

function modeNodes(mode: BenchMode, row: number): Array<Record<string, unknown>> {
	const conversation = mode.namedConversation
		? { conversationId: { __rl: true, mode: 'id', value: '={{ $json.body.conversationId }}' } }
		: {};
	return [
		{
			id: `bench-${mode.mode}-start`,
			name: startNode(mode),
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, row * 200],
			webhookId: `bench-${mode.mode}-hook`,
			parameters: { httpMethod: 'POST', path: webhookPath(mode.mode), options: {} },
		},
		{
			id: `bench-${mode.mode}-send`,
			name: sendNode(mode),
			type: 'n8n-nodes-letta.lettaSendAgentMessage',
			typeVersion: 1,
			position: [220, row * 200],
			webhookId: `bench-${mode.mode}-wait`,
			parameters: {
				agentId: { __rl: true, mode: 'id', value: AGENT_IDS.longWorker },
				...conversation,
				messageInput: 'text',
				text: '={{ $json.body.token }}',
				options: {
					waitMode: mode.mode,
					// a callback n8n was too busy to take within Letta's 5 s comes back at the deadline
					...(mode.mode === 'waitForCallback' ? { callbackDeadlineMinutes: 1 } : {}),
				},
			},
			credentials: {
				[LETTA_CREDENTIAL.type]: { id: LETTA_CREDENTIAL.id, name: LETTA_CREDENTIAL.name },
			},
		},
	];
}

export function benchWorkflow(): WorkflowJson {
	return {
		id: BENCH_WORKFLOW_ID,
		name: 'bench: Send Agent Message wait modes',
		nodes: BENCH_MODES.flatMap(modeNodes),
		connections: Object.fromEntries(
			BENCH_MODES.map((mode) => [
				startNode(mode),
				{ main: [[{ node: sendNode(mode), type: 'main', index: 0 }]] },
			]),
		),
		settings: { executionOrder: 'v1' },
	};
}
