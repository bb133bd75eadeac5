/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';

import { buildApprovalMessage } from '../../../../nodes/shared/approvals/answerMessage';
import {
	environmentApprovalDecisionSchema,
	environmentApprovalMessageSchema,
	environmentConnectionSchema,
	environmentSendBodySchema,
	environmentToolReturnSchema,
	environmentUserMessageSchema,
} from '../../../../nodes/shared/api/environmentSchemas';
import { describeZodError } from '../../../../nodes/shared/api/validate';

const textMessage = {
	role: 'user',
	content: 'Run the tests',
	client_message_id: 'n8n-1',
	otid: 'o-1',
};

function problems(value: unknown): string {
	const result = environmentSendBodySchema.safeParse(value);
	if (result.success) throw new Error('expected the body to be refused');
	return describeZodError(result.error);
}

describe('environmentSendBodySchema', () => {
	it('accepts a user message with a camelCase scope', () => {
		const body = { messages: [textMessage], agentId: 'agent-1', conversationId: 'conv-1' };
		expect(environmentSendBodySchema.parse(body)).toEqual(body);
		expect(
			environmentSendBodySchema.safeParse({ messages: [textMessage], conversationId: null })
				.success,
		).toBe(true);
		expect(
			environmentSendBodySchema.safeParse({
				messages: [{ ...textMessage, content: [{ type: 'text', text: 'parts' }] }],
			}).success,
		).toBe(true);
	});

	it('accepts every approval answer the shared builder makes, updated_input and tool output included', () => {
		const decisions = buildApprovalMessage(['c1'], {
			kind: 'decision',
			approve: true,
			reason: 'fine',
			updatedInput: { path: '/tmp/x' },
		});
		const toolReturn = buildApprovalMessage(['c1'], {
			kind: 'toolReturn',
			toolReturn: 'deleted',
			status: 'error',
			stdout: ['a'],
			stderr: ['b'],
		});
		for (const message of [decisions, toolReturn]) {
			expect(environmentSendBodySchema.safeParse({ messages: [message] }).success).toBe(true);
		}
	});

	it('refuses the snake_case scope of the agents API: this body is camelCase', () => {
		expect(problems({ messages: [textMessage], agent_id: 'agent-1' })).toMatch(/agent_id/);
		expect(problems({ messages: [textMessage], conversation_id: 'conv-1' })).toMatch(
			/conversation_id/,
		);
	});

	it('names the path of what is wrong inside a message', () => {
		const withoutId: Record<string, unknown> = { ...textMessage };
		delete withoutId.client_message_id;
		expect(problems({ messages: [withoutId] })).toMatch(
			/^messages\.0\.client_message_id: Required/,
		);
		expect(problems({ messages: [{ ...textMessage, clientMessageId: 'x' }] })).toMatch(
			/messages\.0\.clientMessageId: unknown key/,
		);
		expect(problems({ messages: [{ ...textMessage, role: 'system' }] })).toMatch(
			/messages\.0\.role/,
		);
		expect(problems({ messages: [{ ...textMessage, content: [{ text: 'no type' }] }] })).toMatch(
			/messages\.0\.content/,
		);
		expect(
			problems({
				messages: [{ type: 'approval', approvals: [{ tool_call_id: 'c1', approve: 'yes' }] }],
			}),
		).toMatch(/^messages\.0\.approvals\.0\.approve: Expected boolean/);
		expect(
			problems({
				messages: [
					{
						type: 'approval',
						approvals: [{ type: 'tool', tool_call_id: 'c1', tool_return: 'x', status: 'ok' }],
					},
				],
			}),
		).toMatch(/^messages\.0\.approvals\.0\.status/);
		expect(problems({ messages: ['hello'] })).toMatch(/messages\.0: must be an object/);
		expect(problems({ messages: [] })).toMatch(/messages: needs at least one message/);
	});
});

describe('environmentConnectionSchema', () => {
	it('reads an offline connection (connectionId and heartbeat null)', () => {
		const offline = {
			id: 'env-1',
			connectionId: null,
			deviceId: 'd',
			connectionName: 'n',
			lastHeartbeat: null,
			podId: null,
		};
		expect(environmentConnectionSchema.parse(offline)).toEqual(offline);
	});
});

/** The zod schemas against letta-openapi.json itself: same field names, same required fields. */
describe('the environment schemas match the spec', () => {
	type JsonSchema = {
		properties?: Record<string, unknown>;
		required?: string[];
		oneOf?: JsonSchema[];
		items?: JsonSchema;
	};
	const spec = JSON.parse(
		readFileSync(join(__dirname, '../../../simulator/letta-openapi.json'), 'utf8'),
	) as {
		paths: Record<
			string,
			Record<string, { requestBody: { content: Record<string, { schema: JsonSchema }> } }>
		>;
	};
	const body =
		spec.paths['/v1/environments/{connectionId}/messages'].post.requestBody.content[
			'application/json'
		].schema;
	const [userSpec, approvalSpec] = (body.properties!.messages as JsonSchema).items!.oneOf!;
	const [toolSpec, decisionSpec] = (approvalSpec.properties!.approvals as JsonSchema).items!.oneOf!;

	function shapeOf(schema: z.AnyZodObject) {
		const shape = schema.shape as Record<string, z.ZodTypeAny>;
		return {
			fields: Object.keys(shape).sort(),
			required: Object.keys(shape)
				.filter((key) => !shape[key].isOptional())
				.sort(),
		};
	}

	it.each([
		['the body', environmentSendBodySchema, body],
		['a user message', environmentUserMessageSchema, userSpec],
		['an approval message', environmentApprovalMessageSchema, approvalSpec],
		['a tool return', environmentToolReturnSchema, toolSpec],
		['an approval decision', environmentApprovalDecisionSchema, decisionSpec],
	])('%s', (_name, schema, specSchema) => {
		expect(shapeOf(schema as z.AnyZodObject)).toEqual({
			fields: Object.keys(specSchema.properties ?? {}).sort(),
			required: [...(specSchema.required ?? [])].sort(),
		});
	});
});
