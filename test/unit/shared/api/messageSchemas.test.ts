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

	it('names the path of a misspelled field', () => {
		const result = jsonMessageInputSchema.safeParse({
			messages: [{ role: 'user', contnet: 'hi' }],
		});
		expect(result.success).toBe(false);
		if (!result.success) expect(describeZodError(result.error)).toMatch(/messages\.0/);
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
