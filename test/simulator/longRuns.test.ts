/**
 * Long runs over real sockets through the validator: background streams with seq_id,
 * resume after a disconnect, otid recovery, no-Redis mode, pings, the Long Worker, the
 * async endpoint's callback, and the two proxies of test/harness/proxies.ts.
 */
import { request } from 'undici';
import { startDropOnceProxy, startIdleCutProxy } from '../harness/proxies';
import { startRecordingServer } from '../harness/recordingServer';
import { SimulatorControl } from './control';
import { AGENT_IDS, CONVERSATION_IDS, LONG_WORK_TOOL_STEPS, SIMULATOR_API_KEY } from './fixtures';
import { sleep } from './http';
import { REDIS_REQUIRED, REDIS_REQUIRED_FOR_BACKGROUND } from './lettaErrors';
import { apiUrl, callLetta, parseSse } from './testClient';

const control = SimulatorControl.fromEnv();
const WORKER = AGENT_IDS.longWorker;

interface StreamEvent {
	event: string | null;
	data: unknown;
	atMs: number;
}

/** Reads an SSE answer as it arrives; with `stopAfter`, goes away after that many events. */
async function openStream(
	path: string,
	body: unknown,
	options: { baseUrl?: string; stopAfter?: number } = {},
): Promise<{ status: number; events: StreamEvent[]; text: string }> {
	const started = Date.now();
	const response = await request(`${options.baseUrl ?? apiUrl()}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${SIMULATOR_API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const events: StreamEvent[] = [];
	let buffer = '';
	let text = '';
	try {
		for await (const chunk of response.body) {
			const piece = Buffer.from(chunk as Uint8Array).toString('utf8');
			text += piece;
			buffer += piece;
			let end = buffer.indexOf('\n\n');
			while (end >= 0) {
				const block = buffer.slice(0, end + 2);
				buffer = buffer.slice(end + 2);
				if (response.headers['content-type']?.toString().startsWith('text/event-stream'))
					events.push(
						...parseSse(block).map((parsed) => ({ ...parsed, atMs: Date.now() - started })),
					);
				end = buffer.indexOf('\n\n');
			}
			if (options.stopAfter !== undefined && events.length >= options.stopAfter) {
				response.body.destroy();
				break;
			}
		}
	} catch {
		// a connection cut mid-answer: the events so far are the result
	}
	return { status: response.statusCode, events, text };
}

function field(event: StreamEvent, name: string): unknown {
	return typeof event.data === 'object' && event.data !== null
		? (event.data as Record<string, unknown>)[name]
		: undefined;
}

const seqIds = (events: StreamEvent[]): number[] =>
	events
		.map((event) => field(event, 'seq_id'))
		.filter((id): id is number => typeof id === 'number');

const agentDirect = '/v1/conversations/default/messages';
const backgroundBody = (text: string, otid?: string) => ({
	agent_id: WORKER,
	messages: [{ role: 'user', content: text, ...(otid ? { otid } : {}) }],
	streaming: true,
	background: true,
	include_pings: true,
});

async function runView(runId: string): Promise<Record<string, unknown>> {
	const result = await callLetta('GET', `/v1/runs/${runId}`);
	expect(result.status).toBe(200);
	return result.json as Record<string, unknown>;
}

async function waitForRun(runId: string, status: string): Promise<Record<string, unknown>> {
	for (let i = 0; i < 100; i++) {
		const run = await runView(runId);
		if (run.status === status) return run;
		await sleep(50);
	}
	throw new Error(`run ${runId} never became ${status}`);
}

beforeEach(async () => {
	await control.reset();
	await control.updateSettings({ pingIntervalMs: 10_000 });
	await control.updateLongRunSettings({ workMs: 600 });
});

describe('background streaming', () => {
	it('streams seq_ids from 1, the Long Worker steps spread over its work, and the run is running meanwhile', async () => {
		const pending = openStream(agentDirect, backgroundBody('report'));
		await sleep(200);
		const active = await callLetta('GET', `/v1/runs/?active=true&agent_id=${WORKER}`);
		expect((active.json as Array<{ status: string }>).map((run) => run.status)).toEqual([
			'running',
		]);
		const { status, events } = await pending;
		expect(status).toBe(200);
		expect(field(events[0], 'message_type')).toBe('ping');
		const ids = seqIds(events);
		expect(ids[0]).toBe(1);
		expect(ids).toEqual(ids.map((_, index) => index + 1));
		const calls = events.filter((event) => field(event, 'message_type') === 'tool_call_message');
		expect(calls).toHaveLength(LONG_WORK_TOOL_STEPS);
		expect(calls[calls.length - 1].atMs - calls[0].atMs).toBeGreaterThan(200);
		expect(events[events.length - 1].data).toBe('[DONE]');
		const runId = field(events[0], 'run_id') as string;
		const run = await waitForRun(runId, 'completed');
		expect(run).toMatchObject({ background: true, stop_reason: 'end_turn', conversation_id: null });
	});

	it('keeps running after the client goes away; a resume after the last seq_id gives exactly the missing chunks', async () => {
		const first = await openStream(agentDirect, backgroundBody('resume me'), { stopAfter: 3 });
		const runId = field(first.events[0], 'run_id') as string;
		const last = Math.max(...seqIds(first.events));
		await waitForRun(runId, 'completed');
		const full = await openStream(`/v1/runs/${runId}/stream`, {
			starting_after: 0,
			include_pings: false,
		});
		const rest = await openStream(`/v1/runs/${runId}/stream`, {
			starting_after: last,
			include_pings: false,
		});
		expect(rest.status).toBe(200);
		const fullAfter = full.events.slice(first.events.length).map((event) => event.data);
		expect(rest.events.map((event) => event.data)).toEqual(fullAfter);
		expect(first.events.map((event) => event.data)).toEqual(
			full.events.slice(0, first.events.length).map((event) => event.data),
		);
		// Through the conversation route, agent-direct, while the run is active.
		const second = await openStream(agentDirect, backgroundBody('again'), { stopAfter: 1 });
		const secondRun = field(second.events[0], 'run_id');
		const resumed = await openStream('/v1/conversations/default/stream', {
			agent_id: WORKER,
			starting_after: 1,
			include_pings: false,
		});
		expect(
			resumed.events.every(
				(event) => field(event, 'run_id') === undefined || field(event, 'run_id') === secondRun,
			),
		).toBe(true);
		expect(seqIds(resumed.events)[0]).toBe(2);
		expect(resumed.events[resumed.events.length - 1].data).toBe('[DONE]');
	});

	it('answers a resend with the same otids with the running run, never a second run', async () => {
		const first = await openStream(agentDirect, backgroundBody('once', 'otid-once-1'), {
			stopAfter: 1,
		});
		const runId = field(first.events[0], 'run_id');
		const again = await openStream(agentDirect, backgroundBody('once', 'otid-once-1'));
		expect(field(again.events[0], 'run_id')).toBe(runId);
		expect(again.events[again.events.length - 1].data).toBe('[DONE]');
		const runs = await callLetta('GET', `/v1/runs/?agent_id=${WORKER}`);
		expect(runs.json as unknown[]).toHaveLength(1);
	});

	it('recovers on the second-chance path when the resend meets the lock before the otid mapping exists', async () => {
		await control.updateLongRunSettings({ runCreationDelayMs: 300 });
		const [a, b] = await Promise.all([
			openStream(agentDirect, backgroundBody('race', 'otid-race-1')),
			sleep(50).then(() => openStream(agentDirect, backgroundBody('race', 'otid-race-1'))),
		]);
		expect(field(b.events[0], 'run_id')).toBe(field(a.events[0], 'run_id'));
		const runs = await callLetta('GET', `/v1/runs/?agent_id=${WORKER}`);
		expect(runs.json as unknown[]).toHaveLength(1);
	});

	it('without Redis answers background with 503 (the run is created, then failed) and cannot resume', async () => {
		await control.updateLongRunSettings({ redis: false });
		const result = await callLetta(
			'POST',
			`/v1/conversations/${CONVERSATION_IDS.supportBilling}/messages`,
			{
				body: { messages: [{ role: 'user', content: 'hi' }], streaming: true, background: true },
			},
		);
		expect(result.status).toBe(503);
		expect(result.json).toEqual({ detail: REDIS_REQUIRED_FOR_BACKGROUND });
		const runs = (await callLetta('GET', '/v1/runs/')).json as Array<{
			id: string;
			status: string;
		}>;
		expect(runs.map((run) => run.status)).toEqual(['failed']);
		const resume = await callLetta(
			'POST',
			`/v1/conversations/${CONVERSATION_IDS.supportBilling}/stream`,
			{
				body: {},
			},
		);
		expect(resume.status).toBe(503);
		expect(resume.json).toEqual({ detail: REDIS_REQUIRED });
	});

	it('sends pings at the interval, carrying the last seq_id, also on a resumed stream', async () => {
		await control.updateSettings({ pingIntervalMs: 100 });
		await control.updateLongRunSettings({ workMs: 1200 });
		const first = await openStream(agentDirect, backgroundBody('pings'), { stopAfter: 1 });
		const runId = field(first.events[0], 'run_id') as string;
		const resumed = await openStream(`/v1/runs/${runId}/stream`, {
			starting_after: 1,
			include_pings: true,
		});
		const pings = resumed.events.filter((event) => field(event, 'message_type') === 'ping');
		expect(pings.length).toBeGreaterThanOrEqual(4);
		expect(String(field(pings[0], 'id'))).toMatch(/^ping-/);
		// add_keepalive_to_stream: each ping carries the last seq_id this reader saw (none yet: null).
		let lastSeen: number | null = null;
		for (const event of resumed.events) {
			if (field(event, 'message_type') === 'ping') expect(field(event, 'seq_id')).toBe(lastSeen);
			else if (typeof field(event, 'seq_id') === 'number')
				lastSeen = field(event, 'seq_id') as number;
		}
		const gaps = pings.slice(1).map((ping, index) => ping.atMs - pings[index].atMs);
		for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(80);
	});
});

describe('messages/async and its callback', () => {
	it('returns the run at once (created), runs it, and POSTs the callback once with the run result', async () => {
		const receiver = await startRecordingServer(() => ({ status: 200, body: { ok: true } }));
		try {
			const result = await callLetta('POST', `/v1/agents/${WORKER}/messages/async`, {
				body: {
					messages: [{ role: 'user', content: 'nightly' }],
					callback_url: `${receiver.baseUrl}/hook`,
				},
			});
			expect(result.status).toBe(200);
			const run = result.json as Record<string, unknown>;
			expect(run).toMatchObject({
				status: 'created',
				background: true,
				callback_url: `${receiver.baseUrl}/hook`,
			});
			expect((await runView(run.id as string)).status).toBe('created');
			const done = await waitForRun(run.id as string, 'completed');
			for (let i = 0; i < 40 && receiver.received.length === 0; i++) await sleep(25);
			await sleep(100);
			expect(receiver.received).toHaveLength(1);
			const payload = receiver.received[0].body as Record<string, unknown>;
			expect(Object.keys(payload)).toEqual(['run_id', 'status', 'completed_at', 'metadata']);
			expect(payload.run_id).toBe(run.id);
			expect(payload.status).toBe('completed');
			expect(payload.completed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
			const metadata = payload.metadata as Record<string, unknown>;
			expect(metadata).toMatchObject({ run_type: 'send_message_async', lettuce: false });
			const resultBody = metadata.result as {
				messages: Array<{ message_type: string }>;
				stop_reason: unknown;
			};
			expect(resultBody.stop_reason).toEqual({
				message_type: 'stop_reason',
				stop_reason: 'end_turn',
			});
			expect(resultBody.messages[0].message_type).toBe('user_message');
			expect(resultBody.messages[resultBody.messages.length - 1].message_type).toBe(
				'assistant_message',
			);
			const after = await runView(run.id as string);
			expect(after).toMatchObject({ callback_status_code: 200, callback_error: null });
			expect(done.stop_reason).toBe('end_turn');
		} finally {
			await receiver.close();
		}
	});

	it('loses the callback when told to (one attempt, recorded as callback_error, no retry)', async () => {
		await control.updateLongRunSettings({ callbackDelivery: 'drop', workMs: 100 });
		const receiver = await startRecordingServer(() => ({ status: 200, body: {} }));
		try {
			const result = await callLetta('POST', `/v1/agents/${WORKER}/messages/async`, {
				body: {
					messages: [{ role: 'user', content: 'lost' }],
					callback_url: `${receiver.baseUrl}/hook`,
				},
			});
			const runId = (result.json as { id: string }).id;
			await waitForRun(runId, 'completed');
			await sleep(200);
			expect(receiver.received).toHaveLength(0);
			const run = await runView(runId);
			expect(run.callback_error).toBe(
				`Failed to dispatch callback for run ${runId} to ${receiver.baseUrl}/hook: ConnectError('All connection attempts failed')`,
			);
			expect(await control.callbackAttempts()).toHaveLength(1);
		} finally {
			await receiver.close();
		}
	});
});

describe('proxies between client and simulator', () => {
	it('the idle-cut proxy cuts a quiet plain request, while a pinging stream survives it', async () => {
		const proxy = await startIdleCutProxy({ targetUrl: apiUrl(), idleMs: 300 });
		try {
			await control.updateLongRunSettings({ workMs: 900 });
			await control.updateSettings({ pingIntervalMs: 100 });
			await expect(
				callLetta('POST', `/v1/agents/${WORKER}/messages`, {
					baseUrl: proxy.url,
					body: { messages: [{ role: 'user', content: 'quiet' }] },
				}),
			).rejects.toThrow();
			expect(proxy.cuts()).toBe(1);
			const streamed = await openStream(agentDirect, backgroundBody('loud'), {
				baseUrl: proxy.url,
			});
			expect(streamed.events[streamed.events.length - 1].data).toBe('[DONE]');
			expect(proxy.cuts()).toBe(1);
		} finally {
			await proxy.close();
		}
	});

	it('the drop-once proxy drops the first stream after K events, then lets a resume through', async () => {
		const proxy = await startDropOnceProxy({ targetUrl: apiUrl(), afterEvents: 2 });
		try {
			const dropped = await openStream(agentDirect, backgroundBody('dropped'), {
				baseUrl: proxy.url,
			});
			expect(dropped.events).toHaveLength(2);
			expect(proxy.cuts()).toBe(1);
			const runId = field(dropped.events[0], 'run_id') as string;
			const resumed = await openStream(
				`/v1/runs/${runId}/stream`,
				{ starting_after: Math.max(...seqIds(dropped.events)), include_pings: false },
				{ baseUrl: proxy.url },
			);
			expect(resumed.events[resumed.events.length - 1].data).toBe('[DONE]');
			const runs = await callLetta('GET', `/v1/runs/?agent_id=${WORKER}`);
			expect(runs.json as unknown[]).toHaveLength(1);
		} finally {
			await proxy.close();
		}
	});
});
