import {
	answersInHistory,
	approvalKey,
	approvalRequestFromMessage,
	newestApprovalRunPerScope,
	pendingRequestInHistory,
} from '../../../../nodes/shared/approvals/pendingApprovals';
import type { LettaMessage } from '../../../../nodes/shared/api/messageSchemas';

const agentId = 'agent-11111111-1111-4111-8111-111111111109';
const conversationId = 'conv-22222222-2222-4222-8222-222222222204';
const scope = { agentId, conversationId };

const request = (
	id: string,
	calls: Array<[string, string, string]>,
	runId = 'run-1',
): LettaMessage => ({
	message_type: 'approval_request_message',
	id,
	run_id: runId,
	date: '2025-03-01T10:00:00.000Z',
	tool_call: { tool_call_id: calls[0][0], name: calls[0][1], arguments: calls[0][2] },
	tool_calls: calls.map(([tool_call_id, name, args]) => ({ tool_call_id, name, arguments: args })),
});

const response = (id: string, answers: Array<[string, boolean]>): LettaMessage => ({
	message_type: 'approval_response_message',
	id,
	date: '2025-03-01T10:05:00.000Z',
	approvals: answers.map(([tool_call_id, approve]) => ({
		type: 'approval',
		tool_call_id,
		approve,
		reason: null,
	})),
});

describe('approvalRequestFromMessage', () => {
	it('reads every parallel tool call, parsed arguments, run, id and date', () => {
		const parsed = approvalRequestFromMessage(
			request('message-1', [
				['call-a', 'deploy_release', '{"version":"1.2.0"}'],
				['call-b', 'notify_channel', '{"channel":"#releases","text":"1.2.0"}'],
			]),
			scope,
			'Release Manager',
		);
		expect(parsed).toEqual({
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
					arguments: { channel: '#releases', text: '1.2.0' },
					approval_request_id: 'message-1',
					run_id: 'run-1',
				},
			],
		});
	});

	it('gives null for no message (pending_approval: null), another message type, or no tool call', () => {
		expect(approvalRequestFromMessage(null, scope)).toBeNull();
		expect(
			approvalRequestFromMessage({ message_type: 'assistant_message', id: 'm' }, scope),
		).toBeNull();
		expect(
			approvalRequestFromMessage(
				{ message_type: 'approval_request_message', id: 'm', tool_calls: [] },
				scope,
			),
		).toBeNull();
	});
});

describe('pendingRequestInHistory', () => {
	it('finds the unanswered request after earlier answered ones', () => {
		const pending = pendingRequestInHistory(
			[
				request('message-1', [['call-a', 'delete_file', '{"path":"/a"}']], 'run-1'),
				response('message-2', [['call-a', true]]),
				request('message-3', [['call-b', 'delete_file', '{"path":"/b"}']], 'run-2'),
			],
			scope,
		);
		expect(pending).toMatchObject({
			approvalRequestId: 'message-3',
			runId: 'run-2',
			toolCalls: [{ tool_call_id: 'call-b', arguments: { path: '/b' } }],
		});
	});

	it('gives null once the newest request was answered', () => {
		expect(
			pendingRequestInHistory(
				[
					request('message-1', [['call-a', 'delete_file', '{}']]),
					response('message-2', [['call-a', false]]),
				],
				scope,
			),
		).toBeNull();
		expect(pendingRequestInHistory([], scope)).toBeNull();
	});
});

describe('answersInHistory', () => {
	it('returns the earlier answers to the given calls, newest first, with when they were given', () => {
		const history = [
			request('message-1', [
				['call-a', 'deploy_release', '{}'],
				['call-b', 'notify_channel', '{}'],
			]),
			response('message-2', [
				['call-a', true],
				['call-b', false],
			]),
		];
		expect(answersInHistory(history, ['call-b'])).toEqual([
			{
				type: 'approval',
				tool_call_id: 'call-b',
				approve: false,
				reason: null,
				answered_at: '2025-03-01T10:05:00.000Z',
			},
		]);
		expect(answersInHistory(history, ['call-z'])).toEqual([]);
	});
});

describe('newestApprovalRunPerScope', () => {
	it('keeps the newest requires_approval run of each conversation (runs come newest first)', () => {
		const other = 'agent-11111111-1111-4111-8111-111111111108';
		expect(
			newestApprovalRunPerScope([
				{
					id: 'run-5',
					agent_id: agentId,
					conversation_id: conversationId,
					stop_reason: 'requires_approval',
				},
				{ id: 'run-4', agent_id: agentId, conversation_id: null, stop_reason: 'requires_approval' },
				{
					id: 'run-3',
					agent_id: agentId,
					conversation_id: conversationId,
					stop_reason: 'requires_approval',
				},
				{ id: 'run-2', agent_id: other, conversation_id: null, stop_reason: 'end_turn' },
				{ id: 'run-1', agent_id: null, conversation_id: null },
			]),
		).toEqual([
			{ scope: { agentId, conversationId }, runId: 'run-5' },
			{ scope: { agentId, conversationId: null }, runId: 'run-4' },
		]);
	});
});

describe('approvalKey', () => {
	it('is the same for the same calls in any order, and differs by scope', () => {
		const calls = (ids: string[]) =>
			ids.map((tool_call_id) => ({
				tool_call_id,
				tool_name: 't',
				arguments: {},
				approval_request_id: null,
				run_id: null,
			}));
		expect(approvalKey({ agentId, conversationId, toolCalls: calls(['b', 'a']) })).toBe(
			approvalKey({ agentId, conversationId, toolCalls: calls(['a', 'b']) }),
		);
		expect(approvalKey({ agentId, conversationId: null, toolCalls: calls(['a']) })).not.toBe(
			approvalKey({ agentId, conversationId, toolCalls: calls(['a']) }),
		);
	});
});
