/** Conversations through the official SDK, and where the server takes a lock (busy 409) and where it does not. */
import { ConflictError } from '@letta-ai/letta-client';
import type { LettaResponse } from '@letta-ai/letta-client/resources/agents/messages';
import type { Conversation } from '@letta-ai/letta-client/resources/conversations/conversations';
import { AGENT_IDS, CONVERSATION_IDS } from '../simulator/fixtures';
import {
	CONVERSATION_ID_SHAPE,
	expectRequiredFields,
	expectSdkError,
	freshTenant,
	pause,
	requiredKeys,
	sdkClient,
} from './sdk';

const control = freshTenant();
const client = sdkClient();

const CONVERSATION_KEYS = requiredKeys<Conversation>()(['id', 'agent_id']);

function expectConversation(conversation: Conversation): void {
	expectRequiredFields(conversation, CONVERSATION_KEYS);
	expect(conversation.id).toMatch(CONVERSATION_ID_SHAPE);
}

describe('conversations (GET/POST /v1/conversations/, GET/PATCH /v1/conversations/{id})', () => {
	it('list by agent_id, paged with after', async () => {
		const all = await client.conversations.list({ agent_id: AGENT_IDS.customerSupport, limit: 50 });
		for (const conversation of all) expectConversation(conversation);
		expect(all.map((conversation) => conversation.id).sort()).toEqual(
			[CONVERSATION_IDS.supportBilling, CONVERSATION_IDS.supportOnboarding].sort(),
		);
		const rest = await client.conversations.list({
			agent_id: AGENT_IDS.customerSupport,
			limit: 50,
			after: all[0].id,
		});
		expect(rest.map((conversation) => conversation.id)).toEqual([all[1].id]);
	});

	it('create (agent_id in the query), then it is listed', async () => {
		const created = await client.conversations.create({
			agent_id: AGENT_IDS.translator,
			summary: 'French',
		});
		expectConversation(created);
		expect(created.agent_id).toBe(AGENT_IDS.translator);
		const listed = await client.conversations.list({ agent_id: AGENT_IDS.translator });
		expect(listed.map((conversation) => conversation.id)).toContain(created.id);
	});

	it('retrieve and update one conversation (source: conversations.py retrieve_conversation, update_conversation)', async () => {
		const read = await client.conversations.retrieve(CONVERSATION_IDS.supportBilling);
		expectConversation(read);
		expect(read.agent_id).toBe(AGENT_IDS.customerSupport);
		const updated = await client.conversations.update(CONVERSATION_IDS.supportBilling, {
			summary: 'Invoices',
		});
		expectConversation(updated);
		expect(updated.summary).toBe('Invoices');
	});
});

/** The busy refusal (ConversationBusyError via app.py's handler): detail plus top-level run_id. */
function busyBody(runId: string): Record<string, unknown> {
	return {
		detail:
			`CONFLICT: Cannot send a new message: Another request (run_id=${runId}) is currently ` +
			'being processed for this conversation. Please wait for it to complete.',
		run_id: runId,
	};
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A settled call as a promise again, for expectSdkError. */
function replay(settled: Settled): Promise<unknown> {
	return settled.ok ? Promise.resolve(settled.value) : Promise.reject(settled.error);
}

/** Sends `second` while `first` is still running (the simulator holds each turn `latencyMs`). */
async function overlapping<T>(first: () => Promise<T>, second: () => Promise<unknown>) {
	await control.setLatency(800);
	const running = first();
	await pause(300);
	const secondResult = second().then(
		(value): Settled => ({ ok: true, value }),
		(error: unknown): Settled => ({ ok: false, error }),
	);
	return { first: await running, second: await secondResult };
}

describe('locks: the busy 409', () => {
	it('agent-direct mode (`default` + agent_id) locks on the agent: ConflictError 409 naming the running run (source: conversations.py _send_agent_direct_message)', async () => {
		const send = (input: string) =>
			client.post<LettaResponse>('/v1/conversations/default/messages', {
				body: { input, streaming: false, agent_id: AGENT_IDS.customerSupport },
			});
		const { first, second } = await overlapping(
			() => send('first'),
			() => send('second'),
		);
		const runId = first.messages[0].run_id ?? '';
		const error = await expectSdkError(replay(second), ConflictError, 409);
		expect(error.error).toEqual(busyBody(runId));
	});

	it('a conversation’s streaming request locks on the conversation: a second streaming request is ConflictError 409 naming the running run (source: streaming_service.create_agent_stream, lock_key = conversation_id)', async () => {
		const streamRunIds = async (input: string) => {
			const stream = await client.conversations.messages.create(
				CONVERSATION_IDS.supportOnboarding,
				{
					input,
				},
			);
			const runIds: string[] = [];
			for await (const chunk of stream) {
				if ('run_id' in chunk && typeof chunk.run_id === 'string') runIds.push(chunk.run_id);
			}
			return runIds;
		};
		const { first, second } = await overlapping(
			() => streamRunIds('first'),
			() => streamRunIds('second'),
		);
		expect(first.length).toBeGreaterThan(0);
		const error = await expectSdkError(replay(second), ConflictError, 409);
		expect(error.error).toEqual(busyBody(first[0]));
	});

	it('the agent endpoint takes no lock: two overlapping requests are both answered (source: agents.py send_message, no lock; "concurrent requests may interleave")', async () => {
		const send = (input: string) =>
			client.agents.messages.create(AGENT_IDS.newsletterWriter, { input });
		const { first, second } = await overlapping(
			() => send('first'),
			() => send('second'),
		);
		expect(first.stop_reason.stop_reason).toBe('end_turn');
		expect(second).toEqual({ ok: true, value: expect.any(Object) });
	});

	it('a named conversation’s non-streaming request takes no lock either: both answered (source: conversations.py send_conversation_message, the non-streaming branch acquires no lock)', async () => {
		const path = `/v1/conversations/${CONVERSATION_IDS.supportBilling}/messages`;
		const send = (input: string) =>
			client.post<LettaResponse>(path, { body: { input, streaming: false } });
		const { first, second } = await overlapping(
			() => send('first'),
			() => send('second'),
		);
		expect(first.stop_reason.stop_reason).toBe('end_turn');
		expect(second).toEqual({ ok: true, value: expect.any(Object) });
	});
});

describe('SDK retries (evidence for the nodes doing better)', () => {
	it('with default retries the SDK re-sends a 409 that retrying cannot fix (pending approval): three requests, then ConflictError', async () => {
		await control.seedPendingApproval({ agentId: AGENT_IDS.fileJanitor });
		await control.clearRequests();
		const retrying = sdkClient({ maxRetries: 2 });
		await expectSdkError(
			retrying.agents.messages.create(AGENT_IDS.fileJanitor, { input: 'hello?' }),
			ConflictError,
			409,
		);
		const sent = await control.requests({ method: 'POST', pathContains: '/messages' });
		expect(sent.map((request) => request.status)).toEqual([409, 409, 409]);
		expect(sent.map((request) => request.headers['x-stainless-retry-count'])).toEqual([
			'0',
			'1',
			'2',
		]);
	});
});
