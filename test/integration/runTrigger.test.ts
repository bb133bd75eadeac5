import { LoadOptionsContext } from 'n8n-core';

import { LettaCommunityApi } from '../../credentials/LettaCommunityApi.credentials';
import { LettaRunTrigger } from '../../nodes/LettaRunTrigger/LettaRunTrigger.node';
import {
	checkRunCallback,
	readRunOutcome,
	type CallbackCheck,
} from '../../nodes/LettaRunTrigger/runCallback';
import { LettaSendAgentMessage } from '../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node';
import type { RunStatus } from '../../nodes/shared/api/runs';
import { createLettaClient, type LettaClient } from '../../nodes/shared/transport/request';
import { errorOf, outputOf, workflowNode } from '../harness/runWorkflow';
import { setUpWorkflow } from '../harness/workflowSetup';
import { AGENT_IDS } from '../simulator/fixtures';
import {
	byId,
	lettaCredentials,
	plainRequest,
	runLettaNode,
	simulator,
	type CredentialOverrides,
} from './support';

/** The Letta Run Trigger's callback checks, with a real client against the simulator. */

const sim = simulator();

beforeEach(async () => {
	await sim.reset();
});

/** A real Letta client, built from the credential in n8n-core's real context. */
async function lettaClient(credentials: CredentialOverrides = {}): Promise<LettaClient> {
	const node = workflowNode(LettaRunTrigger, 'Letta Run Trigger', {});
	const setup = await setUpWorkflow({
		nodes: [node],
		connections: {},
		nodeTypes: [LettaRunTrigger],
		credentialTypes: [LettaCommunityApi],
		credentials: lettaCredentials(credentials),
	});
	const context = new LoadOptionsContext(setup.workflow, setup.nodes[0], setup.additionalData, '');
	return await createLettaClient(context);
}

/** Sends a message in a real n8n execution; returns the run it made, as Letta has it. */
async function sentRun(agentId: string, text: string) {
	const result = await runLettaNode(
		LettaSendAgentMessage,
		plainRequest({ agentId: byId(agentId), text }),
	);
	expect(errorOf(result)).toBeUndefined();
	const runs = (await sim.state()).runs.filter((run) => run.agent_id === agentId);
	expect(runs).toHaveLength(1);
	return { run: runs[0], result };
}

const callbackOf = (run: { id: string; status: string }) => ({
	run_id: run.id,
	status: run.status,
	metadata: {},
});

function acceptedRun(check: CallbackCheck): RunStatus {
	if (!('run' in check)) throw new Error(`refused: ${JSON.stringify(check.refused)}`);
	return check.run;
}

describe('Letta Run Trigger: a callback is checked against Letta', () => {
	it('accepts the callback of a completed run; the outcome is shaped like Send Agent Message', async () => {
		const { run, result } = await sentRun(AGENT_IDS.customerSupport, 'Where is my order?');
		expect(run.status).toBe('completed');
		const client = await lettaClient();
		const check = await checkRunCallback(client, callbackOf(run), [AGENT_IDS.customerSupport]);
		expect(check).toMatchObject({ run: { id: run.id }, callbackStatus: 'completed' });

		const outcome = await readRunOutcome(client, acceptedRun(check));
		if (!('item' in outcome)) throw new Error(`refused: ${outcome.refused.error}`);
		const [sent] = outputOf(result, 'Letta', 0);
		expect(sent.json.reply).toEqual(expect.stringMatching(/\S/));
		expect(outcome.item.json).toMatchObject({
			reply: sent.json.reply,
			agent_id: AGENT_IDS.customerSupport,
			stop_reason: 'end_turn',
			run_id: run.id,
			run_status: 'completed',
		});
		expect(outcome.item.json.answer_to).toBeNull();
	});

	it('shapes a run that stops for approval with its pending approvals and answer_to', async () => {
		const result = await runLettaNode(
			LettaSendAgentMessage,
			plainRequest({ agentId: byId(AGENT_IDS.fileJanitor), text: '/tmp/old.log' }),
		);
		const [asked] = outputOf(result, 'Letta', 1);
		expect(asked.json.stop_reason).toBe('requires_approval');
		const [run] = (await sim.state()).runs.filter((r) => r.agent_id === AGENT_IDS.fileJanitor);

		const client = await lettaClient();
		const check = await checkRunCallback(client, callbackOf(run), []);
		const outcome = await readRunOutcome(client, acceptedRun(check));
		if (!('item' in outcome)) throw new Error(`refused: ${outcome.refused.error}`);
		const toolCallIds = (asked.json.answer_to as { tool_call_ids: string[] }).tool_call_ids;
		expect(toolCallIds).toHaveLength(1);
		expect(outcome.item.json).toMatchObject({
			run_id: run.id,
			run_status: run.status,
			stop_reason: 'requires_approval',
			agent_id: AGENT_IDS.fileJanitor,
			pending_approvals: [{ tool_name: 'delete_file', tool_call_id: toolCallIds[0] }],
			answer_to: { agent_id: AGENT_IDS.fileJanitor, tool_call_ids: toolCallIds },
		});
	});

	it('refuses a body that is no callback (400)', async () => {
		const check = await checkRunCallback(await lettaClient(), { hello: 1 }, []);
		expect(check).toMatchObject({ refused: { status: 400 } });
	});

	it('refuses an unknown run (404)', async () => {
		const check = await checkRunCallback(
			await lettaClient(),
			{ run_id: 'run-00000000-0000-4000-8000-00000000dead', status: 'completed', metadata: {} },
			[],
		);
		expect(check).toMatchObject({ refused: { status: 404 } });
	});

	it('refuses a run of an agent outside the filter (403)', async () => {
		const { run } = await sentRun(AGENT_IDS.customerSupport, 'hello');
		const check = await checkRunCallback(await lettaClient(), callbackOf(run), [
			AGENT_IDS.fileJanitor,
		]);
		expect(check).toMatchObject({ refused: { status: 403 } });
	});

	it('refuses a status that differs from Letta (409)', async () => {
		const { run } = await sentRun(AGENT_IDS.customerSupport, 'hello');
		const check = await checkRunCallback(
			await lettaClient(),
			{ ...callbackOf(run), status: 'failed' },
			[],
		);
		expect(check).toMatchObject({ refused: { status: 409 } });
	});

	it('refuses a run that has not ended (409)', async () => {
		const run = await sim.seedRun({ agentId: AGENT_IDS.customerSupport, status: 'running' });
		const check = await checkRunCallback(
			await lettaClient(),
			{ run_id: run.id, status: 'running', metadata: {} },
			[],
		);
		expect(check).toMatchObject({ refused: { status: 409 } });
	});
});

describe('Letta Run Trigger: Letta unreadable', () => {
	it('refuses (502) when Letta is unreachable for the check', async () => {
		const client = await lettaClient({ baseUrl: 'http://127.0.0.1:9' });
		const check = await checkRunCallback(
			client,
			{ run_id: 'run-00000000-0000-4000-8000-000000000001', status: 'completed', metadata: {} },
			[],
		);
		expect(check).toMatchObject({ refused: { status: 502 } });
	});

	it('refuses (502, nothing starts) when the run cannot be read after the check', async () => {
		const { run } = await sentRun(AGENT_IDS.customerSupport, 'hello');
		const client = await lettaClient();
		const checked = acceptedRun(await checkRunCallback(client, callbackOf(run), []));
		// Letta answers 503 to every run read, through all retries.
		await sim.addFault({ status: 503, pathContains: '/v1/runs/', count: 10, retryAfterSeconds: 0 });
		expect(await readRunOutcome(client, checked)).toMatchObject({ refused: { status: 502 } });
	});
});
