import { errorOf, jsonOf, nodeErrorOf, outputOf } from '../harness/runWorkflow';
import { AGENT_IDS, CONVERSATION_IDS } from '../simulator/fixtures';
import { LettaSendAgentMessage } from '../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node';
import { runLetta } from './letta.support';
import { byId, runLettaNode, simulator } from './support';

const sim = simulator();
const support = AGENT_IDS.customerSupport;
const UNKNOWN_RUN_ID = 'run-99999999-9999-4999-8999-999999999999';

beforeEach(async () => {
	await sim.reset();
});

async function replyRunId(): Promise<string> {
	const result = await runLettaNode(LettaSendAgentMessage, {
		agentId: byId(support),
		text: 'hello',
	});
	return String(jsonOf(result, 'Letta')[0].run_id);
}

describe('Letta > Run', () => {
	it('gets a run, its messages and its usage', async () => {
		const runId = await replyRunId();
		const run = await runLetta('run', 'get', { runId });
		expect(jsonOf(run, 'Letta')).toEqual([
			expect.objectContaining({
				id: runId,
				status: 'completed',
				stop_reason: 'end_turn',
				agent_id: support,
			}),
		]);
		const messages = jsonOf(
			await runLetta('run', 'getMessages', { runId, returnAll: true }),
			'Letta',
		);
		expect(messages.map((message) => message.message_type)).toContain('assistant_message');
		expect(messages.every((message) => message.run_id === runId)).toBe(true);
		const usage = jsonOf(await runLetta('run', 'getUsage', { runId }), 'Letta');
		expect(usage).toEqual([
			expect.objectContaining({ run_id: runId, total_tokens: expect.any(Number) }),
		]);
	});

	it('lists runs by agent, conversation, status and stop reason', async () => {
		await runLettaNode(LettaSendAgentMessage, {
			agentId: byId(AGENT_IDS.fileJanitor),
			text: '/tmp/a',
		});
		await replyRunId();
		const result = await runLetta('run', 'list', {
			returnAll: true,
			filters: {
				agentId: AGENT_IDS.fileJanitor,
				statuses: ['completed'],
				stopReason: 'requires_approval',
			},
		});
		expect(jsonOf(result, 'Letta')).toEqual([
			expect.objectContaining({
				agent_id: AGENT_IDS.fileJanitor,
				stop_reason: 'requires_approval',
			}),
		]);
		const [request] = await sim.requests({ pathContains: '/v1/runs/' });
		expect(request.query).toMatchObject({
			agent_id: [AGENT_IDS.fileJanitor],
			statuses: ['completed'],
			stop_reason: ['requires_approval'],
		});
		const none = await runLetta('run', 'list', {
			returnAll: true,
			filters: { conversationId: CONVERSATION_IDS.supportBilling },
		});
		expect(jsonOf(none, 'Letta')).toEqual([]);
	});

	it('lists active runs older than N minutes and cancels them: stuck runs', async () => {
		const stuck = await sim.seedRun({ agentId: support, ageMinutes: 45 });
		await sim.seedRun({ agentId: support, ageMinutes: 2 });
		await replyRunId();
		const active = await runLetta('run', 'listActive', { olderThanMinutes: 30 });
		expect(jsonOf(active, 'Letta').map((run) => run.id)).toEqual([stuck.id]);
		const [listing] = await sim.requests({ pathContains: '/v1/runs/' });
		expect(listing.query).toMatchObject({ statuses: ['created', 'running'] });

		const cancelled = await runLetta('run', 'cancel', { runId: stuck.id });
		expect(jsonOf(cancelled, 'Letta')).toEqual([
			expect.objectContaining({
				id: stuck.id,
				status: 'cancelled',
				cancelled: true,
				previous_status: 'running',
			}),
		]);
		const [cancel] = await sim.requests({ method: 'POST', pathContains: '/messages/cancel' });
		expect(cancel.path).toBe(`/v1/agents/${support}/messages/cancel`);
		expect(cancel.body).toEqual({ run_ids: [stuck.id] });
	});

	it('cancelling a run that already ended leaves it as it was: cancelled false', async () => {
		const runId = await replyRunId();
		const result = await runLetta('run', 'cancel', { runId });
		expect(jsonOf(result, 'Letta')[0]).toMatchObject({ status: 'completed', cancelled: false });
	});

	it('an unknown run fails naming it; a malformed id fails before any request; continue-on-fail keeps both in place', async () => {
		const result = await runLetta(
			'run',
			'get',
			{ runId: '={{ $json.run }}' },
			{
				onError: 'continueRegularOutput',
				items: [{ json: { run: UNKNOWN_RUN_ID } }, { json: { run: 'run-1' } }],
			},
		);
		expect(errorOf(result)).toBeUndefined();
		const [unknown, malformed] = outputOf(result, 'Letta');
		expect(unknown.json.error).toBe(`Letta could not find run ${UNKNOWN_RUN_ID} (404) [item 0]`);
		expect(unknown.json.description).toContain(`Run with id ${UNKNOWN_RUN_ID} not found`);
		expect(malformed.json.error).toBe('"run-1" is not a Letta run ID [item 1]');
		expect(malformed.pairedItem).toEqual({ item: 1 });
		const failed = await runLetta('run', 'cancel', { runId: UNKNOWN_RUN_ID });
		expect(nodeErrorOf(failed, 'Letta')?.message).toBe(
			`Letta could not find run ${UNKNOWN_RUN_ID} (404) [item 0]`,
		);
	});
});
