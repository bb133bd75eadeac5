/** Messages through the official SDK: the agent and conversation endpoints, JSON and SSE, history, 422. */
import { NotFoundError, UnprocessableEntityError } from '@letta-ai/letta-client';
import type {
	AssistantMessage,
	LettaResponse,
	LettaStreamingResponse,
	Message,
	UserMessage,
} from '@letta-ai/letta-client/resources/agents/messages';
import { AGENT_IDS, CONVERSATION_IDS, UNKNOWN_CONVERSATION_ID } from '../simulator/fixtures';
import {
	expectRequiredFields,
	expectSdkError,
	freshTenant,
	MESSAGE_ID_SHAPE,
	requiredKeys,
	RUN_ID_SHAPE,
	sdkClient,
} from './sdk';

const control = freshTenant();
const client = sdkClient();

const RESPONSE_KEYS = requiredKeys<LettaResponse>()(['messages', 'stop_reason', 'usage']);
const STOP_REASON_KEYS = requiredKeys<LettaResponse.StopReason>()(['stop_reason']);
const ASSISTANT_KEYS = requiredKeys<AssistantMessage>()(['id', 'content', 'date']);
const USER_KEYS = requiredKeys<UserMessage>()(['id', 'content', 'date']);

function expectLettaResponse(response: LettaResponse): void {
	expectRequiredFields(response, RESPONSE_KEYS);
	expectRequiredFields(response.stop_reason, STOP_REASON_KEYS);
	expect(response.stop_reason.message_type).toBe('stop_reason');
}

function assistantMessages(
	messages: readonly (Message | LettaStreamingResponse)[],
): AssistantMessage[] {
	return messages.filter(
		(message): message is AssistantMessage => message.message_type === 'assistant_message',
	);
}

function assistantText(messages: readonly (Message | LettaStreamingResponse)[]): string[] {
	return assistantMessages(messages).map((message) =>
		typeof message.content === 'string'
			? message.content
			: message.content.map((part) => part.text).join(''),
	);
}

function expectAssistantReply(message: AssistantMessage): void {
	expectRequiredFields(message, ASSISTANT_KEYS);
	expect(message.id).toMatch(MESSAGE_ID_SHAPE);
	expect(message.run_id).toMatch(RUN_ID_SHAPE);
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
	const chunks: T[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	return chunks;
}

describe('agents.messages.create (POST /v1/agents/{agent_id}/messages)', () => {
	it('non-streaming: a LettaResponse, stop_reason end_turn, the reply an assistant_message', async () => {
		const response = await client.agents.messages.create(AGENT_IDS.customerSupport, {
			messages: [{ role: 'user', content: 'Where is my invoice?', otid: 'otid-conformance-1' }],
			enable_thinking: 'false',
		});
		expectLettaResponse(response);
		expect(response.stop_reason.stop_reason).toBe('end_turn');
		const [reply] = assistantMessages(response.messages);
		expectAssistantReply(reply);
		expect(assistantText(response.messages)).toEqual([
			'Customer Support heard: Where is my invoice?',
		]);
		expect(response.usage.step_count).toBe(1);
	});

	it('`input` sugar, include_return_message_types and max_steps (two-step agent stops at max_steps)', async () => {
		const response = await client.agents.messages.create(AGENT_IDS.researchScout, {
			input: 'find the roadmap',
			max_steps: 1,
			include_return_message_types: ['tool_call_message', 'assistant_message'],
		});
		expectLettaResponse(response);
		expect(response.stop_reason.stop_reason).toBe('max_steps');
		for (const message of response.messages) {
			expect(['tool_call_message', 'assistant_message']).toContain(message.message_type);
		}
	});

	it('streaming: the SDK sends X-Stainless-Package-Version, so the server streams; chunks end with stop_reason and usage_statistics', async () => {
		const stream = await client.agents.messages.create(AGENT_IDS.customerSupport, {
			input: 'hello over SSE',
			streaming: true,
		});
		const chunks = await collect(stream);
		expect(assistantText(chunks)).toEqual(['Customer Support heard: hello over SSE']);
		const types = chunks.map((chunk) => chunk.message_type);
		expect(types.slice(-2)).toEqual(['stop_reason', 'usage_statistics']);
		const stop = chunks.find(
			(chunk): chunk is LettaStreamingResponse.LettaStopReason =>
				chunk.message_type === 'stop_reason',
		);
		expect(stop?.stop_reason).toBe('end_turn');
		const [request] = await control.requests({ method: 'POST', pathContains: '/messages' });
		expect(request.headers['x-stainless-package-version']).toBe('1.12.1');
	});

	it('streaming-only option without streaming is UnprocessableEntityError 422 with a string detail (source: agents.py send_message raises HTTPException 422)', async () => {
		const error = await expectSdkError(
			client.agents.messages.create(AGENT_IDS.customerSupport, {
				input: 'tokens please',
				stream_tokens: true,
			}),
			UnprocessableEntityError,
			422,
		);
		expect(error.error).toEqual({
			detail:
				'Streaming options set without streaming enabled. stream_tokens can only be true when streaming=true. ' +
				'Either set streaming=true or use default values for streaming options.',
		});
	});

	it("a request the spec refuses (messages[0].contnet) is UnprocessableEntityError 422 in Letta's validation shape: trace_id and a repr string detail (source: app.py custom_request_validation_handler)", async () => {
		// The SDK's types would not let the typo through: the cast stands for a client that does.
		const misspelled = {
			messages: [{ role: 'user', contnet: 'hi' }],
		} as unknown as Parameters<typeof client.agents.messages.create>[1];
		const error = await expectSdkError(
			client.agents.messages.create(AGENT_IDS.customerSupport, misspelled),
			UnprocessableEntityError,
			422,
		);
		expect(error.error).toEqual({ trace_id: '', detail: expect.any(String) });
		const detail = error.error.detail as string;
		expect(detail).toContain(
			"{'type': 'missing', 'loc': ('body', 'messages', 0, 'content'), 'msg': 'Field required', 'input': {'role': 'user', 'contnet': 'hi'}}",
		);
		expect(detail).toContain(
			"{'type': 'extra_forbidden', 'loc': ('body', 'messages', 0, 'contnet'), 'msg': 'Extra inputs are not permitted', 'input': 'hi'}",
		);
		expect(error.message).toContain('contnet');
		expect(await control.requests({ method: 'POST', pathContains: '/messages' })).toEqual([]);
	});

	it('include_pings:true and stream_tokens:false without streaming are accepted (only the non-defaults are refused, agents.py send_message)', async () => {
		const response = await client.agents.messages.create(AGENT_IDS.customerSupport, {
			input: 'defaults only',
			include_pings: true,
			stream_tokens: false,
		});
		expect(response.stop_reason.stop_reason).toBe('end_turn');
	});
});

describe('conversations.messages.create (POST /v1/conversations/{conversation_id}/messages)', () => {
	const path = `/v1/conversations/${CONVERSATION_IDS.supportBilling}/messages`;

	it('streaming (the default there): stop_reason chunk, reply in the conversation', async () => {
		const stream = await client.conversations.messages.create(CONVERSATION_IDS.supportBilling, {
			input: 'billing over SSE',
		});
		const chunks = await collect(stream);
		expect(assistantText(chunks)).toEqual(['Customer Support heard: billing over SSE']);
		expect(chunks.some((chunk) => chunk.message_type === 'stop_reason')).toBe(true);
	});

	it('SDK finding: conversations.messages.create always reads SSE, so with streaming:false it yields nothing; the JSON answer needs client.post', async () => {
		const stream = await client.conversations.messages.create(CONVERSATION_IDS.supportBilling, {
			input: 'lost in the SSE parser',
			streaming: false,
		});
		expect(await collect(stream)).toEqual([]);

		const response = await client.post<LettaResponse>(path, {
			body: { input: 'billing as JSON', streaming: false },
		});
		expectLettaResponse(response);
		expect(response.stop_reason.stop_reason).toBe('end_turn');
		expect(assistantText(response.messages)).toEqual(['Customer Support heard: billing as JSON']);
		expectAssistantReply(assistantMessages(response.messages)[0]);
	});

	it('agent-direct mode: `default` + agent_id reaches the agent’s default conversation', async () => {
		const response = await client.post<LettaResponse>('/v1/conversations/default/messages', {
			body: { input: 'direct', streaming: false, agent_id: AGENT_IDS.salesAssistant },
		});
		expectLettaResponse(response);
		expect(assistantText(response.messages)).toEqual(['Sales Assistant heard: direct']);
		const history = await client.agents.messages.list(AGENT_IDS.salesAssistant, { limit: 10 });
		expect(history.items.some((message) => message.message_type === 'user_message')).toBe(true);
	});

	it('an unknown conversation is NotFoundError 404 whose detail names it', async () => {
		const error = await expectSdkError(
			client.post(`/v1/conversations/${UNKNOWN_CONVERSATION_ID}/messages`, {
				body: { input: 'anyone?', streaming: false },
			}),
			NotFoundError,
			404,
		);
		expect(error.error.detail).toEqual(expect.stringContaining(UNKNOWN_CONVERSATION_ID));
		expect(error.error.detail).toEqual(expect.stringMatching(/not found/i));
	});
});

describe('message history (GET …/messages)', () => {
	it('agents.messages.list: newest first with order=desc, filtered by include_return_message_types', async () => {
		await client.agents.messages.create(AGENT_IDS.translator, { input: 'first' });
		await client.agents.messages.create(AGENT_IDS.translator, { input: 'second' });
		const page = await client.agents.messages.list(AGENT_IDS.translator, {
			order: 'desc',
			limit: 10,
			include_return_message_types: ['user_message'],
		});
		const users = page.items.filter(
			(message): message is UserMessage => message.message_type === 'user_message',
		);
		expect(users).toHaveLength(page.items.length);
		for (const message of users) expectRequiredFields(message, USER_KEYS);
		expect(users.map((message) => message.content)).toEqual(['second', 'first']);
	});

	it('conversations.messages.list: a conversation, and `default` with agent_id, paged with after', async () => {
		await client.post(`/v1/conversations/${CONVERSATION_IDS.supportOnboarding}/messages`, {
			body: { input: 'onboard me', streaming: false },
		});
		const conversation = await client.conversations.messages.list(
			CONVERSATION_IDS.supportOnboarding,
			{ order: 'asc', limit: 100 },
		);
		expect(assistantText(conversation.items)).toEqual(['Customer Support heard: onboard me']);
		const first = conversation.items[0];
		const after = await client.conversations.messages.list(CONVERSATION_IDS.supportOnboarding, {
			order: 'asc',
			limit: 100,
			after: first.id,
		});
		expect(after.items.map((message) => message.id)).toEqual(
			conversation.items.slice(1).map((message) => message.id),
		);

		await client.agents.messages.create(AGENT_IDS.dataAnalyst, { input: 'metrics' });
		const direct = await client.conversations.messages.list('default', {
			agent_id: AGENT_IDS.dataAnalyst,
			order: 'desc',
			limit: 1,
		});
		expect(assistantText(direct.items)).toEqual(['Data Analyst heard: metrics']);
	});
});
