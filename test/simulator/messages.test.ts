/** Sending messages: the deterministic reply, options, runs, streaming rules, the lock, history. */
import { SimulatorControl } from './control';
import { AGENT_IDS, CONVERSATION_IDS, UNKNOWN_CONVERSATION_ID } from './fixtures';
import { sleep } from './http';
import {
	conversationBusyMessage,
	conversationNotFound,
	MESSAGES_EMPTY,
	STREAMING_SDK_ONLY,
	streamingOptionsMessage,
} from './lettaErrors';
import { callLetta, parseSse, simulatorUrl } from './testClient';
import type { LettaMessage, LettaResponseBody } from './types';

const control = SimulatorControl.fromEnv();

const agentMessages = (agentId: string) => `/v1/agents/${agentId}/messages`;
const conversationMessages = (conversationId: string) =>
	`/v1/conversations/${conversationId}/messages`;

async function send(path: string, body: Record<string, unknown>): Promise<LettaResponseBody> {
	const result = await callLetta('POST', path, { body });
	expect(result.status).toBe(200);
	expect(result.headers['sl-violations']).toBeUndefined();
	return result.json as LettaResponseBody;
}

function byType<T extends LettaMessage['message_type']>(
	messages: LettaMessage[],
	type: T,
): Array<Extract<LettaMessage, { message_type: T }>> {
	return messages.filter(
		(message): message is Extract<LettaMessage, { message_type: T }> =>
			message.message_type === type,
	);
}

beforeEach(async () => {
	await control.reset();
});

describe('POST /v1/agents/{agent_id}/messages', () => {
	it('replies "<name> heard: <text>" after a reasoning message, with ids, run and usage', async () => {
		const response = await send(agentMessages(AGENT_IDS.customerSupport), {
			messages: [{ role: 'user', content: 'Where is my order?' }],
		});
		expect(response.messages.map((message) => message.message_type)).toEqual([
			'reasoning_message',
			'assistant_message',
		]);
		expect(byType(response.messages, 'assistant_message')[0].content).toBe(
			'Customer Support heard: Where is my order?',
		);
		expect(response.stop_reason).toEqual({ message_type: 'stop_reason', stop_reason: 'end_turn' });
		expect(response.usage).toMatchObject({ message_type: 'usage_statistics', step_count: 1 });
		expect(response.usage.total_tokens).toBe(
			response.usage.prompt_tokens + response.usage.completion_tokens,
		);
		const runId = response.messages[0].run_id;
		expect(runId).toMatch(/^run-/);
		for (const message of response.messages) {
			expect(message.id).toMatch(/^message-/);
			expect(message.run_id).toBe(runId);
			expect(Number.isNaN(Date.parse(message.date))).toBe(false);
		}
		const run = await callLetta('GET', `/v1/runs/${runId}`);
		expect(run.json).toMatchObject({
			id: runId,
			status: 'completed',
			stop_reason: 'end_turn',
			agent_id: AGENT_IDS.customerSupport,
			conversation_id: null,
		});
	});

	it('joins text parts, counts images, and accepts the input shorthand', async () => {
		const parts = await send(agentMessages(AGENT_IDS.salesAssistant), {
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: 'Look at' },
						{
							type: 'image',
							source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
						},
						{ type: 'text', text: 'these' },
						{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
					],
				},
			],
		});
		expect(byType(parts.messages, 'assistant_message')[0].content).toBe(
			'Sales Assistant heard: Look at these [+2 image(s)]',
		);
		const input = await send(agentMessages(AGENT_IDS.salesAssistant), { input: 'short form' });
		expect(byType(input.messages, 'assistant_message')[0].content).toBe(
			'Sales Assistant heard: short form',
		);
	});

	it('leaves out reasoning with enable_thinking "false" and filters with include_return_message_types', async () => {
		const noThinking = await send(agentMessages(AGENT_IDS.dataAnalyst), {
			input: 'x',
			enable_thinking: 'false',
		});
		expect(noThinking.messages.map((message) => message.message_type)).toEqual([
			'assistant_message',
		]);
		const filtered = await send(agentMessages(AGENT_IDS.researchScout), {
			input: 'y',
			include_return_message_types: ['tool_call_message'],
		});
		expect(filtered.messages.map((message) => message.message_type)).toEqual(['tool_call_message']);
		expect(filtered.stop_reason.stop_reason).toBe('end_turn');
	});

	it('honours max_steps: the two-step research agent stops with max_steps after one step', async () => {
		const full = await send(agentMessages(AGENT_IDS.researchScout), {
			input: 'notes',
			enable_thinking: 'false',
		});
		expect(full.usage.step_count).toBe(2);
		expect(full.messages.map((message) => message.message_type)).toEqual([
			'tool_call_message',
			'tool_return_message',
			'assistant_message',
		]);
		const capped = await send(agentMessages(AGENT_IDS.researchScout), {
			input: 'notes',
			enable_thinking: 'false',
			max_steps: 1,
		});
		expect(capped.stop_reason.stop_reason).toBe('max_steps');
		expect(capped.usage.step_count).toBe(1);
		expect(byType(capped.messages, 'assistant_message')).toHaveLength(0);
	});

	it('stores the user message with its otid in the history, which pages with limit, order and after', async () => {
		await send(agentMessages(AGENT_IDS.meetingNotes), {
			messages: [{ role: 'user', content: 'first', otid: 'otid-client-1' }],
		});
		await send(agentMessages(AGENT_IDS.meetingNotes), {
			messages: [{ role: 'user', content: 'second', otid: 'otid-client-2' }],
		});
		const all = await callLetta('GET', `${agentMessages(AGENT_IDS.meetingNotes)}?order=asc`);
		const history = all.json as LettaMessage[];
		expect(
			byType(history, 'user_message').map((message) => [message.content, message.otid]),
		).toEqual([
			['first', 'otid-client-1'],
			['second', 'otid-client-2'],
		]);
		const newest = (await callLetta('GET', `${agentMessages(AGENT_IDS.meetingNotes)}?limit=1`))
			.json as LettaMessage[];
		expect(newest).toEqual([history[history.length - 1]]);
		const afterFirst = (
			await callLetta(
				'GET',
				`${agentMessages(AGENT_IDS.meetingNotes)}?order=asc&after=${history[0].id}&limit=2`,
			)
		).json as LettaMessage[];
		expect(afterFirst).toEqual(history.slice(1, 3));
	});

	it("refuses bodies it cannot use with Letta's 422 bodies", async () => {
		const neither = await callLetta('POST', agentMessages(AGENT_IDS.customerSupport), {
			body: { max_steps: 2 },
		});
		expect(neither.status).toBe(422);
		expect(neither.json).toEqual({
			trace_id: '',
			detail:
				"[{'type': 'value_error', 'loc': ('body',), 'msg': \"Value error, Must specify either 'input' or 'messages'.\", " +
				"'input': {'max_steps': 2}, 'ctx': {'error': ValueError(\"Must specify either 'input' or 'messages'.\")}}]",
		});
		const empty = await callLetta('POST', agentMessages(AGENT_IDS.customerSupport), {
			body: { messages: [] },
		});
		expect(empty.status).toBe(422);
		expect(empty.json).toEqual({ detail: MESSAGES_EMPTY });
		expect(await control.state().then((state) => state.runs)).toHaveLength(0);
	});

	it('refuses only stream_tokens:true, include_pings:false and background:true without streaming', async () => {
		const refused = await callLetta('POST', agentMessages(AGENT_IDS.customerSupport), {
			body: { input: 'x', stream_tokens: true, include_pings: false, background: true },
		});
		expect(refused.status).toBe(422);
		expect(refused.json).toEqual({
			detail: streamingOptionsMessage([
				'stream_tokens can only be true when streaming=true',
				'include_pings can only be set to false when streaming=true',
				'background can only be true when streaming=true',
			]),
		});
		expect(streamingOptionsMessage(['x'])).toBe(
			'Streaming options set without streaming enabled. x. Either set streaming=true or use default values for streaming options.',
		);
		const defaults = await callLetta('POST', agentMessages(AGENT_IDS.customerSupport), {
			body: { input: 'x', stream_tokens: false, include_pings: true, background: false },
		});
		expect(defaults.status).toBe(200);
		// The conversation endpoint has no such check.
		const conversation = await callLetta(
			'POST',
			conversationMessages(CONVERSATION_IDS.supportBilling),
			{ body: { input: 'x', streaming: false, stream_tokens: true } },
		);
		expect(conversation.status).toBe(200);
	});

	it('streams only to Letta v1 clients: X-Stainless-Package-Version, a letta-client 1.x user agent, or none', async () => {
		const refusedAgents = [
			'axios/1.7.9',
			'n8n',
			'letta-client/0.9.1',
			'@letta-ai/letta-client/2.0.0',
		];
		for (const userAgent of refusedAgents) {
			const refused = await callLetta('POST', agentMessages(AGENT_IDS.translator), {
				body: { input: 'x', streaming: true },
				headers: { 'user-agent': userAgent },
			});
			expect({ userAgent, status: refused.status, body: refused.json }).toEqual({
				userAgent,
				status: 422,
				body: { detail: STREAMING_SDK_ONLY },
			});
		}
		const accepted: Array<Record<string, string>> = [
			{ 'user-agent': 'axios/1.7.9', 'X-Stainless-Package-Version': '1.12.1' },
			{ 'user-agent': '@letta-ai/letta-client/1.12.1' },
			{ 'user-agent': 'letta-client/1.0.0a5' },
		];
		for (const headers of accepted) {
			const sdk = await callLetta('POST', agentMessages(AGENT_IDS.translator), {
				body: { input: 'hola', streaming: true },
				headers,
			});
			expect({ headers, status: sdk.status }).toEqual({ headers, status: 200 });
			expect(sdk.headers['content-type']).toContain('text/event-stream');
			const events = parseSse(sdk.text).map((event) => event.data);
			expect(events[0]).toEqual(expect.objectContaining({ message_type: 'ping' }));
			expect(events[events.length - 1]).toBe('[DONE]');
			expect(events).toContainEqual(
				expect.objectContaining({
					message_type: 'assistant_message',
					content: 'Translator heard: hola',
				}),
			);
		}
		// Prism sends a user agent of its own when the client sends none, so a client without
		// one is only visible directly at the simulator.
		const bare = await callLetta('POST', agentMessages(AGENT_IDS.translator), {
			body: { input: 'no agent', streaming: true },
			baseUrl: simulatorUrl(),
		});
		expect(bare.status).toBe(200);
		const [logged] = await control.requests({ method: 'POST' }).then((all) => all.slice(-1));
		expect(logged.headers['user-agent']).toBeUndefined();
	});
});

describe('POST /v1/conversations/{conversation_id}/messages', () => {
	it('streams by default: messages, stop_reason, usage_statistics, then [DONE]', async () => {
		const result = await callLetta('POST', conversationMessages(CONVERSATION_IDS.supportBilling), {
			body: { input: 'invoice?' },
		});
		expect(result.status).toBe(200);
		expect(result.headers['content-type']).toContain('text/event-stream');
		const types = parseSse(result.text).map((event) =>
			event.data === '[DONE]' ? '[DONE]' : (event.data as { message_type: string }).message_type,
		);
		expect(types).toEqual([
			'ping',
			'reasoning_message',
			'assistant_message',
			'stop_reason',
			'usage_statistics',
			'[DONE]',
		]);
	});

	it('answers JSON with streaming:false, scoped to the conversation and its run', async () => {
		const response = await send(conversationMessages(CONVERSATION_IDS.supportOnboarding), {
			input: 'setup',
			streaming: false,
		});
		expect(byType(response.messages, 'assistant_message')[0].content).toBe(
			'Customer Support heard: setup',
		);
		const runs = await callLetta(
			'GET',
			`/v1/runs/?conversation_id=${CONVERSATION_IDS.supportOnboarding}`,
		);
		expect((runs.json as Array<{ id: string }>).map((run) => run.id)).toEqual([
			response.messages[0].run_id,
		]);
		const history = (
			await callLetta(
				'GET',
				`${conversationMessages(CONVERSATION_IDS.supportOnboarding)}?order=asc`,
			)
		).json as LettaMessage[];
		expect(byType(history, 'user_message').map((message) => message.content)).toEqual(['setup']);
		const defaultHistory = (await callLetta('GET', agentMessages(AGENT_IDS.customerSupport)))
			.json as LettaMessage[];
		expect(defaultHistory).toHaveLength(0);
	});

	it("uses 'default' plus agent_id for the agent's default conversation, and 404s unknown conversations", async () => {
		const response = await send(conversationMessages('default'), {
			input: 'hi',
			streaming: false,
			agent_id: AGENT_IDS.translator,
		});
		expect(byType(response.messages, 'assistant_message')[0].content).toBe('Translator heard: hi');
		const unknown = await callLetta('POST', conversationMessages(UNKNOWN_CONVERSATION_ID), {
			body: { input: 'hi', streaming: false },
		});
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual({ detail: conversationNotFound(UNKNOWN_CONVERSATION_ID) });
		expect(conversationNotFound('conv-1')).toMatch(
			/^Conversation not found with id='\['conv-1'\]', access level in \['read'\] for actor='.*', is_deleted=False$/,
		);
		// `default` without agent_id is looked up as a conversation id (conversations.py).
		const noAgent = await callLetta('POST', conversationMessages('default'), {
			body: { input: 'hi', streaming: false },
		});
		expect(noAgent.status).toBe(404);
		expect(noAgent.json).toEqual({ detail: conversationNotFound('default') });
	});
});

describe('conversation lock', () => {
	beforeEach(async () => {
		await control.setLatency(400);
	});

	/** Starts a slow request, then sends a second one while the first holds its turn. */
	async function overlapping(
		first: { path: string; body: Record<string, unknown> },
		second: { path: string; body: Record<string, unknown> },
	) {
		const running = callLetta('POST', first.path, { body: first.body });
		await sleep(150);
		const refusedOrNot = await callLetta('POST', second.path, { body: second.body });
		return { first: await running, second: refusedOrNot };
	}

	it('agent-direct mode locks on the agent: 409 naming the run that holds it', async () => {
		const direct = {
			path: conversationMessages('default'),
			body: { input: 'slow', streaming: false, agent_id: AGENT_IDS.customerSupport },
		};
		const { first, second } = await overlapping(direct, {
			path: conversationMessages(AGENT_IDS.customerSupport),
			body: { input: 'too soon', streaming: false },
		});
		expect(first.status).toBe(200);
		const runId = (first.json as LettaResponseBody).usage.run_ids[0];
		expect(second.status).toBe(409);
		expect(second.json).toEqual({ detail: conversationBusyMessage(runId), run_id: runId });
		expect(conversationBusyMessage('run-1')).toBe(
			'CONFLICT: Cannot send a new message: Another request (run_id=run-1) is currently being processed for this conversation. Please wait for it to complete.',
		);
		expect(await control.overlaps()).toEqual([]);
		const after = await callLetta('POST', direct.path, { body: direct.body });
		expect(after.status).toBe(200);
	});

	it("a conversation's streaming path locks; its other conversations and its JSON path do not", async () => {
		const streamed = {
			path: conversationMessages(CONVERSATION_IDS.supportBilling),
			body: { input: 'slow' },
		};
		const { first, second } = await overlapping(streamed, streamed);
		expect(first.status).toBe(200);
		expect(second.status).toBe(409);
		expect((second.json as { detail: string }).detail).toContain('Another request (run_id=run-');
		const other = await overlapping(streamed, {
			path: conversationMessages(CONVERSATION_IDS.supportOnboarding),
			body: { input: 'parallel is fine' },
		});
		expect(other.second.status).toBe(200);
		expect(await control.overlaps()).toEqual([]);
		const plain = {
			path: conversationMessages(CONVERSATION_IDS.supportBilling),
			body: { input: 'json', streaming: false },
		};
		const unlocked = await overlapping(plain, plain);
		expect([unlocked.first.status, unlocked.second.status]).toEqual([200, 200]);
		expect(await control.overlaps()).toHaveLength(1);
	});

	it('the agent endpoint takes no lock: both run, and the request log records the overlap', async () => {
		const agent = { path: agentMessages(AGENT_IDS.customerSupport), body: { input: 'slow' } };
		const { first, second } = await overlapping(agent, { ...agent, body: { input: 'meanwhile' } });
		expect([first.status, second.status]).toEqual([200, 200]);
		const requests = await control.requests({ method: 'POST', pathContains: '/messages' });
		const [earlier, later] = requests.map((request) => request.sequence);
		expect(requests.map((request) => request.overlapsWith)).toEqual([[later], [earlier]]);
		const runIds = [first, second].map(
			(result) => (result.json as LettaResponseBody).usage.run_ids[0],
		);
		expect(await control.overlaps()).toEqual([
			{
				agentId: AGENT_IDS.customerSupport,
				conversationId: null,
				requests: [earlier, later],
				runIds,
			},
		]);
	});
});

describe('conversations', () => {
	it('lists seeded conversations by agent and creates new conv-<uuid4> ones', async () => {
		const listed = await callLetta(
			'GET',
			`/v1/conversations/?agent_id=${AGENT_IDS.customerSupport}`,
		);
		expect(
			(listed.json as Array<{ id: string }>).map((conversation) => conversation.id).sort(),
		).toEqual([CONVERSATION_IDS.supportBilling, CONVERSATION_IDS.supportOnboarding].sort());
		const created = await callLetta(
			'POST',
			`/v1/conversations/?agent_id=${AGENT_IDS.customerSupport}`,
			{ body: { summary: 'Refunds' } },
		);
		expect(created.status).toBe(200);
		const conversation = created.json as { id: string; agent_id: string; summary: string };
		expect(conversation.id).toMatch(
			/^conv-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
		);
		expect(conversation).toMatchObject({ agent_id: AGENT_IDS.customerSupport, summary: 'Refunds' });
		const firstPage = await callLetta(
			'GET',
			`/v1/conversations/?agent_id=${AGENT_IDS.customerSupport}&limit=1`,
		);
		expect((firstPage.json as Array<{ id: string }>)[0].id).toBe(conversation.id);
	});

	it("retrieves and updates one conversation (spec-shaped), 404 in Letta's words when unknown", async () => {
		const path = `/v1/conversations/${CONVERSATION_IDS.supportBilling}`;
		const retrieved = await callLetta('GET', path);
		expect(retrieved.status).toBe(200);
		expect(retrieved.headers['sl-violations']).toBeUndefined();
		expect(retrieved.json).toMatchObject({
			id: CONVERSATION_IDS.supportBilling,
			agent_id: AGENT_IDS.customerSupport,
		});
		const patched = await callLetta('PATCH', path, {
			body: { summary: 'Billing, renamed', model: 'openai/gpt-4o' },
		});
		expect(patched.status).toBe(200);
		expect(patched.headers['sl-violations']).toBeUndefined();
		expect(patched.json).toMatchObject({ summary: 'Billing, renamed', model: 'openai/gpt-4o' });
		expect((await callLetta('GET', path)).json).toMatchObject({ summary: 'Billing, renamed' });
		const unknown = await callLetta('GET', `/v1/conversations/${UNKNOWN_CONVERSATION_ID}`);
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual({ detail: conversationNotFound(UNKNOWN_CONVERSATION_ID) });
	});
});

describe('GET /v1/health/', () => {
	it("answers {version, status: ok} without a key, as Letta's password middleware lets it through", async () => {
		const health = await callLetta('GET', '/v1/health/', { apiKey: null });
		expect(health.status).toBe(200);
		expect(health.headers['sl-violations']).toBeUndefined();
		expect(health.json).toEqual({
			version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
			status: 'ok',
		});
		const agents = await callLetta('GET', '/v1/agents/', { apiKey: null });
		expect(agents.status).toBe(401);
		expect(agents.json).toEqual({ detail: 'Unauthorized' });
	});
});
