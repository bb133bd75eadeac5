/** Tool approvals: requests, every kind of answer, every refusal, idempotent repeats, scopes. */
import { SimulatorControl } from './control';
import { AGENT_IDS, APPROVAL_TOOL_NAMES, CONVERSATION_IDS } from './fixtures';
import {
	invalidToolCallIdsMessage,
	KEEP_ALIVE_TEXT,
	PENDING_APPROVAL_MESSAGE,
} from './lettaErrors';
import { callLetta, parseSse } from './testClient';
import type { ApprovalRequestMessage, LettaMessage, LettaResponseBody } from './types';

const control = SimulatorControl.fromEnv();

const agentMessages = (agentId: string) => `/v1/agents/${agentId}/messages`;

interface ApprovalItem {
	type: 'approval' | 'tool';
	tool_call_id: string;
	approve?: boolean;
	reason?: string;
	tool_return?: string;
	status?: 'success' | 'error';
}

function answerBody(approvals: ApprovalItem[], extra: Record<string, unknown> = {}) {
	return { messages: [{ type: 'approval', approvals }], ...extra };
}

async function requestApproval(agentId: string, text: string): Promise<ApprovalRequestMessage> {
	const result = await callLetta('POST', agentMessages(agentId), {
		body: { input: text, enable_thinking: 'false' },
	});
	expect(result.status).toBe(200);
	const response = result.json as LettaResponseBody;
	expect(response.stop_reason.stop_reason).toBe('requires_approval');
	const request = response.messages.find(
		(message): message is ApprovalRequestMessage =>
			message.message_type === 'approval_request_message',
	);
	if (!request) throw new Error('no approval_request_message in the response');
	return request;
}

function contents(messages: LettaMessage[]): string[] {
	return messages.flatMap((message) =>
		message.message_type === 'assistant_message' ? [message.content] : [],
	);
}

beforeEach(async () => {
	await control.reset();
});

describe('approval requests', () => {
	it('stops with requires_approval and one delete_file call whose arguments are a JSON string', async () => {
		const request = await requestApproval(AGENT_IDS.fileJanitor, '/tmp/old.log');
		expect(request.tool_call).toEqual(request.tool_calls[0]);
		expect(request.tool_calls).toHaveLength(1);
		expect(request.tool_call.name).toBe(APPROVAL_TOOL_NAMES.deleteFile);
		expect(JSON.parse(request.tool_call.arguments)).toEqual({ path: '/tmp/old.log' });
		expect(request.run_id).toMatch(/^run-/);
	});

	it('asks for two parallel calls in one message', async () => {
		const request = await requestApproval(AGENT_IDS.releaseManager, 'v2.0.0');
		expect(request.tool_calls.map((call) => call.name)).toEqual([
			APPROVAL_TOOL_NAMES.deployRelease,
			APPROVAL_TOOL_NAMES.notifyChannel,
		]);
		expect(new Set(request.tool_calls.map((call) => call.tool_call_id)).size).toBe(2);
	});

	it("refuses a normal message while the approval is pending, in each endpoint's own shape", async () => {
		const request = await requestApproval(AGENT_IDS.fileJanitor, 'a.txt');
		const runsBefore = (await control.state()).runs.length;
		// The agent endpoint's plain path: an object detail; its run is created, then failed.
		const plain = await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), {
			body: { input: 'anything else?' },
		});
		expect(plain.status).toBe(409);
		expect(plain.json).toEqual({
			detail: {
				code: 'PENDING_APPROVAL',
				message: PENDING_APPROVAL_MESSAGE,
				pending_request_id: request.id,
			},
		});
		const runs = (await control.state()).runs;
		expect(runs.slice(runsBefore).map((run) => [run.status, run.stop_reason])).toEqual([
			['failed', null],
		]);
		// Agent-direct mode (the conversation endpoint's plain path): a string detail.
		const direct = await callLetta('POST', `/v1/conversations/${AGENT_IDS.fileJanitor}/messages`, {
			body: { input: 'anything else?', streaming: false },
		});
		expect(direct.status).toBe(409);
		expect(direct.json).toEqual({ detail: PENDING_APPROVAL_MESSAGE });
		expect(PENDING_APPROVAL_MESSAGE).toBe(
			'CONFLICT: Cannot send a new message: The agent is waiting for approval on a tool call. Please approve or deny the pending request before continuing.',
		);
	});

	it('refuses it inside the stream when streaming: 200, stop_reason error, event: error, [DONE]', async () => {
		await requestApproval(AGENT_IDS.fileJanitor, 'b.txt');
		const streamed = await callLetta('POST', '/v1/conversations/default/messages', {
			body: { input: 'anything else?', agent_id: AGENT_IDS.fileJanitor },
		});
		expect(streamed.status).toBe(200);
		const events = parseSse(streamed.text);
		const ping = events[0].data as { message_type: string; run_id: string };
		expect(ping.message_type).toBe('ping');
		expect(events.slice(1)).toEqual([
			{ event: null, data: { message_type: 'stop_reason', stop_reason: 'error' } },
			{
				event: 'error',
				data: {
					message_type: 'error_message',
					run_id: ping.run_id,
					error_type: 'internal_error',
					message: PENDING_APPROVAL_MESSAGE,
					detail: PENDING_APPROVAL_MESSAGE,
					seq_id: null,
				},
			},
			{ event: null, data: '[DONE]' },
		]);
		const run = await callLetta('GET', `/v1/runs/${ping.run_id}`);
		expect(run.json).toMatchObject({ status: 'failed', stop_reason: 'error' });
	});
});

describe('answering', () => {
	it('approve: runs the tool, then says Done, in a new run; the first run keeps requires_approval', async () => {
		const request = await requestApproval(AGENT_IDS.fileJanitor, 'b.txt');
		const result = await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), {
			body: answerBody(
				[{ type: 'approval', tool_call_id: request.tool_call.tool_call_id, approve: true }],
				{ enable_thinking: 'false' },
			),
		});
		expect(result.status).toBe(200);
		const response = result.json as LettaResponseBody;
		expect(response.messages.map((message) => message.message_type)).toEqual([
			'tool_return_message',
			'assistant_message',
		]);
		expect(contents(response.messages)).toEqual([
			`Done: delete_file ran with ${request.tool_call.arguments}`,
		]);
		expect(response.stop_reason.stop_reason).toBe('end_turn');
		expect(response.messages[0].run_id).not.toBe(request.run_id);

		const original = await callLetta('GET', `/v1/runs/${request.run_id}`);
		expect(original.json).toMatchObject({ stop_reason: 'requires_approval', status: 'completed' });
		const stillListed = await callLetta(
			'GET',
			`/v1/runs/?agent_id=${AGENT_IDS.fileJanitor}&stop_reason=requires_approval`,
		);
		expect((stillListed.json as Array<{ id: string }>).map((run) => run.id)).toEqual([
			request.run_id,
		]);
		expect((await control.state()).pendingApprovals).toHaveLength(0);
		const next = await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), {
			body: { input: 'c.txt' },
		});
		expect(next.status).toBe(200);
	});

	it('deny: does not run the tool and quotes the reason', async () => {
		const request = await requestApproval(AGENT_IDS.fileJanitor, 'prod.db');
		const result = await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), {
			body: answerBody([
				{
					type: 'approval',
					tool_call_id: request.tool_call.tool_call_id,
					approve: false,
					reason: 'that is production',
				},
			]),
		});
		const response = result.json as LettaResponseBody;
		const [toolReturn] = response.messages.filter(
			(message) => message.message_type === 'tool_return_message',
		);
		expect(toolReturn).toMatchObject({
			status: 'error',
			tool_call_id: request.tool_call.tool_call_id,
		});
		expect(contents(response.messages)).toEqual([
			'I did not run delete_file: the request was denied with reason "that is production".',
		]);
	});

	it('tool return: mentions the text the client returned', async () => {
		const request = await requestApproval(AGENT_IDS.fileJanitor, 'x.tmp');
		const result = await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), {
			body: answerBody([
				{
					type: 'tool',
					tool_call_id: request.tool_call.tool_call_id,
					tool_return: 'removed 3 files',
					status: 'success',
				},
			]),
		});
		const response = result.json as LettaResponseBody;
		expect(
			response.messages.find((message) => message.message_type === 'tool_return_message'),
		).toMatchObject({ tool_return: 'removed 3 files', status: 'success' });
		expect(contents(response.messages)).toEqual(['delete_file returned: removed 3 files']);
	});

	it('parallel calls: both answered in one request, each resolved its own way', async () => {
		const request = await requestApproval(AGENT_IDS.releaseManager, 'v3');
		const [deploy, notify] = request.tool_calls;
		const result = await callLetta('POST', agentMessages(AGENT_IDS.releaseManager), {
			body: answerBody([
				{
					type: 'approval',
					tool_call_id: notify.tool_call_id,
					approve: false,
					reason: 'quiet hours',
				},
				{ type: 'approval', tool_call_id: deploy.tool_call_id, approve: true },
			]),
		});
		expect(result.status).toBe(200);
		const response = result.json as LettaResponseBody;
		expect(
			response.messages.filter((message) => message.message_type === 'tool_return_message'),
		).toHaveLength(2);
		expect(contents(response.messages)).toEqual([
			`Done: deploy_release ran with ${deploy.arguments}\nI did not run notify_channel: the request was denied with reason "quiet hours".`,
		]);
	});
});

describe('refused answers', () => {
	it("400 Invalid tool call IDs unless the answered ids are the pending ones, in Python's list repr", async () => {
		const request = await requestApproval(AGENT_IDS.releaseManager, 'v4');
		const [deploy, notify] = request.tool_calls;
		const partial = await callLetta('POST', agentMessages(AGENT_IDS.releaseManager), {
			body: answerBody([{ type: 'approval', tool_call_id: deploy.tool_call_id, approve: true }]),
		});
		expect(partial.status).toBe(400);
		expect(partial.json).toEqual({
			detail: `Invalid tool call IDs. Expected '['${deploy.tool_call_id}', '${notify.tool_call_id}']', but received '['${deploy.tool_call_id}']'.`,
		});
		const wrong = await callLetta('POST', agentMessages(AGENT_IDS.releaseManager), {
			body: answerBody([
				{ type: 'approval', tool_call_id: deploy.tool_call_id, approve: true },
				{ type: 'approval', tool_call_id: 'call_not_pending', approve: true },
			]),
		});
		expect(wrong.status).toBe(400);
		expect(wrong.json).toEqual({
			detail: invalidToolCallIdsMessage(
				[deploy.tool_call_id, notify.tool_call_id],
				[deploy.tool_call_id, 'call_not_pending'],
			),
		});
		expect((await control.state()).pendingApprovals).toHaveLength(1);
	});

	it('400 when nothing is pending and nothing was answered', async () => {
		const result = await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), {
			body: answerBody([{ type: 'approval', tool_call_id: 'call_whatever', approve: true }]),
		});
		expect(result.status).toBe(400);
		expect(result.json).toEqual({
			detail:
				'Cannot process approval response: No tool call is currently awaiting approval. Please send a regular message to interact with the agent.',
		});
	});

	it('a repeated answer is not a no-op: a new run answers the keep-alive message Letta injects', async () => {
		const request = await requestApproval(AGENT_IDS.fileJanitor, 'twice.txt');
		const body = answerBody([
			{ type: 'approval', tool_call_id: request.tool_call.tool_call_id, approve: true },
		]);
		const first = await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), { body });
		expect(first.status).toBe(200);
		const runsBefore = (await control.state()).runs.length;
		const repeat = await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), { body });
		expect(repeat.status).toBe(200);
		const response = repeat.json as LettaResponseBody;
		// File Janitor takes every user message for a path: the resend asks to delete the ping.
		const asked = response.messages.find(
			(message): message is ApprovalRequestMessage =>
				message.message_type === 'approval_request_message',
		);
		expect(asked?.tool_call.arguments).toBe(JSON.stringify({ path: KEEP_ALIVE_TEXT }));
		expect((await control.state()).runs).toHaveLength(runsBefore + 1);
		const history = (await callLetta('GET', `${agentMessages(AGENT_IDS.fileJanitor)}?order=asc`))
			.json as LettaMessage[];
		expect(
			history
				.filter((message) => message.message_type === 'user_message')
				.map((message) => message.content),
		).toEqual(['twice.txt', [{ type: 'text', text: KEEP_ALIVE_TEXT }]]);
	});

	it('a repeated answer with follow-up messages runs those instead of the keep-alive', async () => {
		const request = await requestApproval(AGENT_IDS.fileJanitor, 'thrice.txt');
		const approval = {
			type: 'approval',
			tool_call_id: request.tool_call.tool_call_id,
			approve: true,
		};
		await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), {
			body: answerBody([approval as ApprovalItem]),
		});
		const repeat = await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), {
			body: {
				messages: [
					{ type: 'approval', approvals: [approval] },
					{ role: 'user', content: 'old.log' },
				],
			},
		});
		expect(repeat.status).toBe(200);
		const asked = (repeat.json as LettaResponseBody).messages.find(
			(message): message is ApprovalRequestMessage =>
				message.message_type === 'approval_request_message',
		);
		expect(asked?.tool_call.arguments).toBe(JSON.stringify({ path: 'old.log' }));
	});
});

describe('approval followed by messages in one request', () => {
	it('runs the tool, then answers the messages that followed the approval', async () => {
		const request = await requestApproval(AGENT_IDS.fileJanitor, 'x.txt');
		const result = await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), {
			body: {
				messages: [
					{
						type: 'approval',
						approvals: [
							{ type: 'approval', tool_call_id: request.tool_call.tool_call_id, approve: true },
						],
					},
					{ role: 'user', content: 'thanks' },
				],
				enable_thinking: 'false',
			},
		});
		expect(result.status).toBe(200);
		expect(contents((result.json as LettaResponseBody).messages)).toEqual([
			`Done: delete_file ran with ${request.tool_call.arguments}\nFile Janitor heard: thanks`,
		]);
	});
});

describe('scopes', () => {
	it('keeps a conversation approval separate from the default conversation, answered on the conversation endpoint', async () => {
		const path = `/v1/conversations/${CONVERSATION_IDS.janitorCleanup}/messages`;
		const asked = await callLetta('POST', path, { body: { input: 'cache/', streaming: false } });
		const request = (asked.json as LettaResponseBody).messages.find(
			(message): message is ApprovalRequestMessage =>
				message.message_type === 'approval_request_message',
		);
		if (!request) throw new Error('expected an approval request');
		// The default conversation is not blocked, and does not see the conversation's approval.
		expect(
			(await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), { body: { input: 'other' } }))
				.status,
		).toBe(200);
		const agent = await callLetta(
			'GET',
			`/v1/agents/${AGENT_IDS.fileJanitor}?include=agent.pending_approval`,
		);
		expect(
			(agent.json as { pending_approval: ApprovalRequestMessage | null }).pending_approval
				?.tool_call.tool_call_id,
		).not.toBe(request.tool_call.tool_call_id);
		// Answering on the agent endpoint targets the default conversation: wrong scope.
		const answer = answerBody([
			{ type: 'approval', tool_call_id: request.tool_call.tool_call_id, approve: true },
		]);
		expect(
			(await callLetta('POST', agentMessages(AGENT_IDS.fileJanitor), { body: answer })).status,
		).toBe(400);
		const answered = await callLetta('POST', path, { body: { ...answer, streaming: false } });
		expect(answered.status).toBe(200);
		expect(contents((answered.json as LettaResponseBody).messages)).toEqual([
			`Done: delete_file ran with ${request.tool_call.arguments}`,
		]);
		const runs = await callLetta(
			'GET',
			`/v1/runs/?conversation_id=${CONVERSATION_IDS.janitorCleanup}&order=asc`,
		);
		expect((runs.json as Array<{ stop_reason: string }>).map((run) => run.stop_reason)).toEqual([
			'requires_approval',
			'end_turn',
		]);
	});

	it('a pending approval seeded through the control API blocks and is answerable like a real one', async () => {
		const seeded = await control.seedPendingApproval({
			agentId: AGENT_IDS.releaseManager,
			conversationId: CONVERSATION_IDS.releaseWeekly,
			text: 'v9',
		});
		expect(seeded.approvalRequest.tool_calls).toHaveLength(2);
		const path = `/v1/conversations/${CONVERSATION_IDS.releaseWeekly}/messages`;
		expect(
			(await callLetta('POST', path, { body: { input: 'hello', streaming: false } })).status,
		).toBe(409);
		const result = await callLetta('POST', path, {
			body: {
				...answerBody(
					seeded.approvalRequest.tool_calls.map((call) => ({
						type: 'approval' as const,
						tool_call_id: call.tool_call_id,
						approve: true,
					})),
				),
				streaming: false,
			},
		});
		expect(result.status).toBe(200);
		const run = await callLetta('GET', `/v1/runs/${seeded.runId}`);
		expect(run.json).toMatchObject({
			stop_reason: 'requires_approval',
			conversation_id: CONVERSATION_IDS.releaseWeekly,
		});
	});
});
