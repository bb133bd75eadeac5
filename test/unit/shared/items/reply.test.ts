import { buildImageMessage, buildTextMessage } from '../../../../nodes/shared/api/messages';
import { replyText, shapeAgentReply } from '../../../../nodes/shared/items/reply';
import { messageCreateSchema } from '../../../../nodes/shared/api/messageSchemas';

describe('building messages', () => {
	it('builds a text message with an optional sender name, valid for the spec schema', () => {
		const message = buildTextMessage({ role: 'system', text: 'hi', senderName: 'cron' });
		expect(message).toEqual({ role: 'system', content: 'hi', name: 'cron' });
		expect(messageCreateSchema.safeParse(message).success).toBe(true);
		expect(buildTextMessage({ role: 'user', text: 'x' })).not.toHaveProperty('name');
	});

	it('puts the text first and one base64 image part per image', () => {
		const message = buildImageMessage({ role: 'user', text: 'what is this?' }, [
			{ mediaType: 'image/png', base64: 'AAA=' },
			{ mediaType: 'image/jpeg', base64: 'BBB=' },
		]);
		expect(message.content).toEqual([
			{ type: 'text', text: 'what is this?' },
			{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA=' } },
			{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'BBB=' } },
		]);
		expect(messageCreateSchema.safeParse(message).success).toBe(true);
	});
});

describe('shaping replies', () => {
	const response = {
		messages: [
			{ message_type: 'reasoning_message', id: 'm1', run_id: 'run-a', reasoning: 'hmm' },
			{ message_type: 'assistant_message', id: 'm2', run_id: 'run-a', content: 'Hello' },
			{
				message_type: 'assistant_message',
				id: 'm3',
				run_id: 'run-b',
				content: [{ type: 'text', text: 'again' }],
			},
		],
		stop_reason: { message_type: 'stop_reason', stop_reason: 'end_turn' },
		usage: { message_type: 'usage_statistics', total_tokens: 12 },
	};

	it('joins assistant texts, string or parts, as the reply', () => {
		expect(replyText(response.messages)).toBe('Hello\n\nagain');
	});

	it('puts reply, stop reason, ids and usage on the item and keeps messages as Letta sent them', () => {
		const item = shapeAgentReply(response, { agentId: 'agent-x', conversationId: undefined });
		expect(item).toMatchObject({
			reply: 'Hello\n\nagain',
			stop_reason: 'end_turn',
			agent_id: 'agent-x',
			conversation_id: null,
			run_id: 'run-b',
			pending_approvals: [],
			usage: { total_tokens: 12 },
		});
		expect(item.messages).toBe(response.messages);
	});

	it('lists pending approvals only when the agent stopped for approval', () => {
		const approval = {
			messages: [
				{
					message_type: 'approval_request_message',
					id: 'm9',
					run_id: 'run-z',
					tool_calls: [{ tool_call_id: 'call-1', name: 'delete_file', arguments: '{"path":"a"}' }],
				},
			],
			stop_reason: { stop_reason: 'requires_approval' },
		};
		const item = shapeAgentReply(approval, { agentId: 'agent-x', conversationId: 'conv-1' });
		expect(item.pending_approvals).toEqual([
			expect.objectContaining({
				tool_call_id: 'call-1',
				tool_name: 'delete_file',
				arguments: { path: 'a' },
				args: { path: 'a' },
			}),
		]);
		expect(item.conversation_id).toBe('conv-1');
		expect(item.reply).toBe('');
	});
});
