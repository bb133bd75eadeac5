import { buildApprovalMessage } from '../../../../nodes/shared/approvals/answerMessage';
import { approvalAnswerRequest, classifyAnswer } from '../../../../nodes/shared/approvals/delivery';
import type { PendingApprovalRequest } from '../../../../nodes/shared/approvals/pendingApprovals';
import type { LettaMessage } from '../../../../nodes/shared/api/messageSchemas';
import {
	approvalRequestedItem,
	approvalSummary,
	denialItem,
	TRIGGER_EVENT,
} from '../../../../nodes/LettaTrigger/items';

const agentId = 'agent-11111111-1111-4111-8111-111111111109';
const conversationId = 'conv-22222222-2222-4222-8222-222222222204';

const parallel: PendingApprovalRequest = {
	agentId,
	agentName: 'Release Manager',
	conversationId,
	runId: 'run-1',
	approvalRequestId: 'message-1',
	requestedAt: '2025-03-01T10:00:00.000Z',
	toolCalls: [
		{
			tool_call_id: 'call-a',
			tool_name: 'deploy_release',
			arguments: { version: '1.2.0' },
			approval_request_id: 'message-1',
			run_id: 'run-1',
		},
		{
			tool_call_id: 'call-b',
			tool_name: 'notify_channel',
			arguments: { channel: '#releases' },
			approval_request_id: 'message-1',
			run_id: 'run-1',
		},
	],
};

const answered: LettaMessage = {
	message_type: 'approval_response_message',
	id: 'message-2',
	date: '2025-03-01T10:01:00.000Z',
	approvals: [{ type: 'approval', tool_call_id: 'call-z', approve: true, reason: null }],
};

describe('classifyAnswer', () => {
	it('is pending when the given ids are exactly the pending ones, in any order', () => {
		expect(classifyAnswer(['call-b', 'call-a'], parallel).status).toBe('pending');
	});

	it('is a mismatch listing both sets for a partial or foreign set', () => {
		expect(classifyAnswer(['call-a'], parallel)).toEqual({
			status: 'mismatch',
			expected: ['call-a', 'call-b'],
			given: ['call-a'],
			request: parallel,
		});
		expect(classifyAnswer(['call-a', 'call-a'], parallel).status).toBe('mismatch');
	});

	it('is already answered when the history holds an answer to them, whatever is pending now', () => {
		expect(classifyAnswer(['call-z'], null, [answered])).toMatchObject({
			status: 'alreadyAnswered',
			nowPending: null,
		});
		expect(classifyAnswer(['call-z'], parallel, [answered])).toMatchObject({
			status: 'alreadyAnswered',
			nowPending: parallel,
		});
	});

	it('is nothing pending when there is neither a request nor an answer', () => {
		expect(classifyAnswer(['call-q'], null, [answered])).toEqual({ status: 'nothingPending' });
	});
});

describe('approvalAnswerRequest', () => {
	const message = buildApprovalMessage(
		['call-a', 'call-b'],
		{ kind: 'decision', approve: false, reason: 'not on Friday' },
		{
			'call-b': { kind: 'toolReturn', toolReturn: 'posted by hand', status: 'success' },
		},
	);

	it('answers a conversation on its own endpoint, with streaming off', () => {
		expect(
			approvalAnswerRequest({ agentId, conversationId }, message, { max_steps: 5 }, 1000),
		).toEqual({
			method: 'POST',
			path: `/v1/conversations/${conversationId}/messages`,
			body: { messages: [message], max_steps: 5, streaming: false },
			timeoutMs: 1000,
		});
	});

	it('answers the default conversation on the agent endpoint', () => {
		const request = approvalAnswerRequest({ agentId, conversationId: null }, message);
		expect(request.path).toBe(`/v1/agents/${agentId}/messages`);
		expect(request.body).toEqual({ messages: [message] });
	});
});

describe('trigger items', () => {
	it('carries every pending call and an answer_to block the answer mode takes as is', () => {
		const item = approvalRequestedItem(
			{
				request: parallel,
				timesEmitted: 1,
				reminder: false,
				firstSeenAt: '2025-03-01T10:00:30.000Z',
			},
			null,
		);
		expect(item).toMatchObject({
			event: TRIGGER_EVENT.requested,
			agent_id: agentId,
			agent_name: 'Release Manager',
			conversation_id: conversationId,
			run_id: 'run-1',
			approval_request_id: 'message-1',
			requested_at: '2025-03-01T10:00:00.000Z',
			pending_approvals: parallel.toolCalls.map((call) => ({ ...call, args: call.arguments })),
			answer_to: {
				agent_id: agentId,
				conversation_id: conversationId,
				approval_request_id: 'message-1',
				tool_call_ids: ['call-a', 'call-b'],
			},
			reminder: false,
			times_emitted: 1,
			deny_at: null,
		});
		expect(approvalSummary(parallel)).toBe(
			`Release Manager in conversation ${conversationId} wants to run deploy_release({"version":"1.2.0"}) and notify_channel({"channel":"#releases"})`,
		);
	});

	it('reports a sent denial without answer_to, and a failed one with it', () => {
		const denial = {
			request: parallel,
			key: 'k',
			since: '2025-03-01T10:00:00.000Z',
			deadline: '2025-03-01T11:00:00.000Z',
		};
		const sent = denialItem(
			{ denial, outcome: { reply: 'I did not run it', stop_reason: 'end_turn' } },
			'Too late',
			'2025-03-01T11:00:05.000Z',
		);
		expect(sent).toMatchObject({
			event: TRIGGER_EVENT.denied,
			answer_to: null,
			denied: {
				reason: 'Too late',
				deadline: '2025-03-01T11:00:00.000Z',
				denied_at: '2025-03-01T11:00:05.000Z',
			},
			outcome: { reply: 'I did not run it' },
		});
		const failed = denialItem(
			{ denial, error: new Error('boom') },
			'Too late',
			'2025-03-01T11:00:05.000Z',
		);
		expect(failed).toMatchObject({
			event: TRIGGER_EVENT.denialFailed,
			error: 'boom',
			answer_to: { tool_call_ids: ['call-a', 'call-b'] },
		});
	});
});
