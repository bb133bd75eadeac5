import {
	agentMessageBodySchema,
	conversationMessageBodySchema,
	jsonMessageInputSchema,
} from '../../../../nodes/shared/api/messageSchemas';
import { describeZodError } from '../../../../nodes/shared/api/validate';

describe('jsonMessageInputSchema', () => {
	it('accepts messages, approval answers and input', () => {
		expect(
			jsonMessageInputSchema.safeParse({ messages: [{ role: 'user', content: 'hi' }] }).success,
		).toBe(true);
		expect(jsonMessageInputSchema.safeParse({ input: 'hi' }).success).toBe(true);
		expect(
			jsonMessageInputSchema.safeParse({
				messages: [
					{
						type: 'approval',
						approvals: [
							{ type: 'approval', tool_call_id: 'c1', approve: false, reason: 'no' },
							{ type: 'tool', tool_call_id: 'c2', tool_return: 'ok', status: 'success' },
						],
					},
				],
			}).success,
		).toBe(true);
	});

	const problems = (value: unknown) => {
		const result = jsonMessageInputSchema.safeParse(value);
		return result.success ? 'valid' : describeZodError(result.error);
	};

	it('names a misspelled key and the key that was expected, not "Invalid input"', () => {
		expect(problems({ messages: [{ role: 'user', contnet: 'hi' }] })).toBe(
			'messages.0.contnet: unknown key; expected "content"',
		);
		expect(
			problems({
				messages: [{ type: 'approval', approvals: [{ tool_call_id: 'c', aprove: true }] }],
			}),
		).toBe('messages.0.approvals.0.aprove: unknown key; expected "approve"');
	});

	it('reads a union by the member the value is meant as', () => {
		expect(problems({ messages: [{ role: 'boss', content: 'hi' }] })).toMatch(
			/^messages\.0\.role: .*'user' \| 'system' \| 'assistant', received 'boss'$/,
		);
		expect(problems({ messages: [{ role: 'user', content: [{ type: 'txt', text: 'a' }] }] })).toBe(
			'messages.0.content.0.type: got "txt", expected "text" or "image"',
		);
		expect(problems({ messages: [{ role: 'user', content: 5 }] })).toBe(
			'messages.0.content: expected string or array, received number',
		);
		expect(problems({ messages: [{ role: 'user' }] })).toBe('messages.0.content: Required');
	});

	it('refuses both or neither of messages and input', () => {
		expect(jsonMessageInputSchema.safeParse({}).success).toBe(false);
		expect(
			jsonMessageInputSchema.safeParse({ input: 'a', messages: [{ role: 'user', content: 'b' }] })
				.success,
		).toBe(false);
	});

	it('refuses a role Letta does not know', () => {
		expect(
			jsonMessageInputSchema.safeParse({ messages: [{ role: 'tool', content: 'x' }] }).success,
		).toBe(false);
	});
});

describe('request bodies', () => {
	it('checks option names and types as the spec writes them', () => {
		const body = {
			input: 'hi',
			max_steps: 3,
			enable_thinking: 'false',
			include_return_message_types: ['assistant_message'],
		};
		expect(agentMessageBodySchema.safeParse(body).success).toBe(true);
		expect(agentMessageBodySchema.safeParse({ ...body, enable_thinking: false }).success).toBe(
			false,
		);
		expect(
			agentMessageBodySchema.safeParse({ ...body, include_return_message_types: ['nope'] }).success,
		).toBe(false);
	});

	it('requires streaming:false on the conversation endpoint', () => {
		expect(conversationMessageBodySchema.safeParse({ input: 'hi' }).success).toBe(false);
		expect(conversationMessageBodySchema.safeParse({ input: 'hi', streaming: false }).success).toBe(
			true,
		);
	});
});
