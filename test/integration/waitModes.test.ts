import { LettaSendAgentMessage } from '../../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node';
import { NO_REDIS_NOTICE } from '../../nodes/shared/waiting/deliver';
import { startDropOnceProxy, startIdleCutProxy, type RunningProxy } from '../harness/proxies';
import { errorOf, outputOf } from '../harness/runWorkflow';
import { AGENT_IDS } from '../simulator/fixtures';
import { byId, lettaApiUrl, runLettaNode, simulator } from './support';

/** Send Agent Message's wait modes against long runs, proxies that cut, and servers without Redis. */

const sim = simulator();
const IDLE_CUT_MS = 600;
/** Three times the proxy's idle cut-off. */
const WORK_MS = 3 * IDLE_CUT_MS;

let proxy: RunningProxy | undefined;

beforeEach(async () => {
	await sim.reset();
	await sim.updateSettings({ pingIntervalMs: 150 });
	await sim.updateLongRunSettings({ workMs: WORK_MS });
});

afterEach(async () => {
	await proxy?.close();
	proxy = undefined;
});

const longWorkerRuns = async () =>
	(await sim.state()).runs.filter((run) => run.agent_id === AGENT_IDS.longWorker);

async function sendLong(waitMode: string, baseUrl: string, options: Record<string, unknown> = {}) {
	return await runLettaNode(
		LettaSendAgentMessage,
		{ agentId: byId(AGENT_IDS.longWorker), text: 'crunch', options: { waitMode, ...options } },
		{ credentials: { baseUrl } },
	);
}

describe('Send Agent Message: wait modes', () => {
	it.each(['stream', 'backgroundRun'])(
		'%s: a run 3x longer than the idle cut-off completes through the proxy',
		async (mode) => {
			proxy = await startIdleCutProxy({ targetUrl: lettaApiUrl(), idleMs: IDLE_CUT_MS });
			const result = await sendLong(mode, proxy.url);
			expect(errorOf(result)).toBeUndefined();
			const [item] = outputOf(result, 'Letta', 0);
			expect(item.json.reply).toBe('Long Worker heard: crunch');
			expect(item.json.stop_reason).toBe('end_turn');
			expect(item.json.run_id).toMatch(/^run-/);
			// Whatever the proxy cut (a stream resumes), there is one run.
			expect(await longWorkerRuns()).toHaveLength(1);
		},
	);

	it('plain request: the idle proxy cuts the same run off', async () => {
		proxy = await startIdleCutProxy({ targetUrl: lettaApiUrl(), idleMs: IDLE_CUT_MS });
		const result = await sendLong('plainRequest', proxy.url);
		expect(errorOf(result)?.message).toMatch(/cut off/);
		expect(proxy.cuts()).toBe(1);
	});

	it('stream: a connection dropped mid-run resumes and ends with exactly one run', async () => {
		proxy = await startDropOnceProxy({ targetUrl: lettaApiUrl(), afterEvents: 3 });
		const result = await sendLong('stream', proxy.url);
		expect(errorOf(result)).toBeUndefined();
		const [item] = outputOf(result, 'Letta', 0);
		expect(item.json.reply).toBe('Long Worker heard: crunch');
		expect(proxy.cuts()).toBe(1);
		const runs = await longWorkerRuns();
		expect(runs).toHaveLength(1);
		expect(item.json.run_id).toBe(runs[0].id);
		const posts = await sim.requests({ method: 'POST', pathContains: '/messages' });
		expect(posts).toHaveLength(1);
		// The tool steps arrive once each, resumed after the last seq_id.
		const messages = item.json.messages as Array<{ message_type: string }>;
		expect(messages.filter((m) => m.message_type === 'tool_call_message')).toHaveLength(3);
	});

	it.each(['stream', 'backgroundRun'])(
		'%s: Cancel Run on Timeout leaves the run cancelled',
		async (mode) => {
			await sim.updateLongRunSettings({ workMs: 10_000 });
			const result = await sendLong(mode, lettaApiUrl(), {
				timeoutSeconds: 1,
				cancelOnTimeout: true,
			});
			const error = errorOf(result);
			expect(error?.message).toMatch(/did not end within 1 s and was cancelled/);
			const runs = await longWorkerRuns();
			expect(runs).toHaveLength(1);
			expect(runs[0].status).toBe('cancelled');
		},
	);

	it('stream: without Redis falls back to a background run and says so once', async () => {
		await sim.updateLongRunSettings({ redis: false, workMs: 300 });
		const result = await runLettaNode(
			LettaSendAgentMessage,
			{ agentId: byId(AGENT_IDS.longWorker), text: '={{ $json.text }}' },
			{ items: [{ json: { text: 'a' } }, { json: { text: 'b' } }] },
		);
		expect(errorOf(result)).toBeUndefined();
		const items = outputOf(result, 'Letta', 0);
		expect(items.map((item) => item.json.reply)).toEqual([
			'Long Worker heard: a',
			'Long Worker heard: b',
		]);
		expect(items[0].json.notice).toBe(NO_REDIS_NOTICE);
		expect(items[1].json.notice).toBeUndefined();
		// One refused background stream (Letta records it as a failed run), then async runs.
		const posts = await sim.requests({ method: 'POST', pathContains: '/messages' });
		expect(posts.map((post) => post.path)).toEqual([
			'/v1/conversations/default/messages',
			`/v1/agents/${AGENT_IDS.longWorker}/messages/async`,
			`/v1/agents/${AGENT_IDS.longWorker}/messages/async`,
		]);
	});

	it('stream: an approval and its answer go through the stream, with otids', async () => {
		const asked = await runLettaNode(LettaSendAgentMessage, {
			agentId: byId(AGENT_IDS.fileJanitor),
			text: '/tmp/old.log',
		});
		const [request] = outputOf(asked, 'Letta', 1);
		expect(request.json.stop_reason).toBe('requires_approval');
		const answered = await runLettaNode(
			LettaSendAgentMessage,
			{ messageInput: 'answerApproval', decision: 'approve' },
			{ items: [{ json: request.json }] },
		);
		expect(errorOf(answered)).toBeUndefined();
		const [done] = outputOf(answered, 'Letta', 0);
		expect(done.json.reply).toMatch(/^Done: delete_file ran/);
		const posts = await sim.requests({ method: 'POST', pathContains: '/messages' });
		expect(posts.map((post) => post.path)).toEqual([
			'/v1/conversations/default/messages',
			'/v1/conversations/default/messages',
		]);
		for (const post of posts) {
			const body = post.body as { background: boolean; messages: Array<{ otid?: string }> };
			expect(body.background).toBe(true);
			expect(body.messages[0].otid).toMatch(/^[0-9a-f]{8}-/);
		}
	});

	it('stream: a message while an approval is pending says so and how to answer, as the plain 409 does', async () => {
		await runLettaNode(LettaSendAgentMessage, {
			agentId: byId(AGENT_IDS.fileJanitor),
			text: '/tmp/old.log',
		});
		const refused = await runLettaNode(LettaSendAgentMessage, {
			agentId: byId(AGENT_IDS.fileJanitor),
			text: 'and another thing',
		});
		const error = errorOf(refused);
		expect(error?.message).toBe(
			`Agent ${AGENT_IDS.fileJanitor} is waiting for a tool approval, so Letta refused the message [item 0]`,
		);
		expect(error?.description).toMatch(/"Answer Approval" input/);
	});
});
