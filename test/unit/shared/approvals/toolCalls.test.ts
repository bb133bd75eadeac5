import {
	extractPendingApprovals,
	parseToolArguments,
} from '../../../../nodes/shared/approvals/toolCalls';
import type { LettaMessage } from '../../../../nodes/shared/api/messageSchemas';

const approvalRequest = (id: string, calls: Array<[string, string, string]>): LettaMessage => ({
	message_type: 'approval_request_message',
	id,
	run_id: 'run-1',
	tool_call: { tool_call_id: calls[0][0], name: calls[0][1], arguments: calls[0][2] },
	tool_calls: calls.map(([tool_call_id, name, args]) => ({ tool_call_id, name, arguments: args })),
});

describe('extractPendingApprovals', () => {
	it('returns every parallel tool call with parsed arguments', () => {
		const pending = extractPendingApprovals([
			{ message_type: 'reasoning_message', id: 'message-0' },
			approvalRequest('message-1', [
				['call-a', 'delete_file', '{"path":"/tmp/a"}'],
				['call-b', 'send_email', '{"to":"x@example.com"}'],
			]),
		]);
		expect(pending).toEqual([
			{
				tool_call_id: 'call-a',
				tool_name: 'delete_file',
				arguments: { path: '/tmp/a' },
				approval_request_id: 'message-1',
				run_id: 'run-1',
			},
			{
				tool_call_id: 'call-b',
				tool_name: 'send_email',
				arguments: { to: 'x@example.com' },
				approval_request_id: 'message-1',
				run_id: 'run-1',
			},
		]);
	});

	it('falls back to the single deprecated tool_call', () => {
		const message: LettaMessage = {
			message_type: 'approval_request_message',
			id: 'm',
			tool_call: { tool_call_id: 'c', name: 't', arguments: '{}' },
		};
		expect(extractPendingApprovals([message]).map((call) => call.tool_call_id)).toEqual(['c']);
	});

	it('drops calls that a later approval response answered', () => {
		const pending = extractPendingApprovals([
			approvalRequest('message-1', [['call-a', 'delete_file', '{}']]),
			{
				message_type: 'approval_response_message',
				id: 'message-2',
				approvals: [{ tool_call_id: 'call-a', approve: true }],
			},
			approvalRequest('message-3', [['call-b', 'delete_file', '{}']]),
		]);
		expect(pending.map((call) => call.tool_call_id)).toEqual(['call-b']);
	});
});

describe('parseToolArguments', () => {
	it('parses JSON objects and keeps anything else as the raw text', () => {
		expect(parseToolArguments('{"a":1}')).toEqual({ a: 1 });
		expect(parseToolArguments('not json')).toBe('not json');
		expect(parseToolArguments('[1,2]')).toBe('[1,2]');
		expect(parseToolArguments('')).toEqual({});
	});
});
