import { z } from 'zod';

/**
 * zod schemas for the request bodies this package builds, field for field as
 * letta-openapi.json writes them. They are strict: an unknown field is an error
 * here, before any request, rather than a silently ignored one at Letta.
 */

export const MESSAGE_ROLES = ['user', 'system', 'assistant'] as const;

/** `MessageType` in the spec: what `include_return_message_types` accepts. */
export const MESSAGE_TYPES = [
	'system_message',
	'user_message',
	'assistant_message',
	'reasoning_message',
	'hidden_reasoning_message',
	'tool_call_message',
	'tool_return_message',
	'approval_request_message',
	'approval_response_message',
	'summary_message',
	'event_message',
] as const;

const nullableString = z.string().nullable().optional();

export const textContentSchema = z
	.object({ type: z.literal('text').optional(), text: z.string(), signature: nullableString })
	.strict();

const base64ImageSchema = z
	.object({
		type: z.literal('base64'),
		media_type: z.string().min(1),
		data: z.string().min(1),
		detail: nullableString,
	})
	.strict();

const urlImageSchema = z.object({ type: z.literal('url'), url: z.string().min(1) }).strict();

const lettaImageSchema = z
	.object({
		type: z.literal('letta'),
		file_id: z.string().min(1),
		media_type: nullableString,
		data: nullableString,
		detail: nullableString,
	})
	.strict();

export const imageContentSchema = z
	.object({
		type: z.literal('image').optional(),
		source: z.discriminatedUnion('type', [base64ImageSchema, urlImageSchema, lettaImageSchema]),
	})
	.strict();

/** Content parts a client sends: text and images (the other union members are server-made). */
export const contentPartSchema = z.union([textContentSchema, imageContentSchema]);

export const messageContentSchema = z.union([z.string(), z.array(contentPartSchema).min(1)]);

export const messageCreateSchema = z
	.object({
		type: z.literal('message').nullable().optional(),
		role: z.enum(MESSAGE_ROLES),
		content: messageContentSchema,
		name: nullableString,
		otid: nullableString,
		sender_id: nullableString,
		group_id: nullableString,
		batch_item_id: nullableString,
	})
	.strict();

export const approvalDecisionSchema = z
	.object({
		type: z.literal('approval').optional(),
		tool_call_id: z.string().min(1),
		approve: z.boolean(),
		reason: nullableString,
	})
	.strict();

export const toolReturnSchema = z
	.object({
		type: z.literal('tool').optional(),
		tool_call_id: z.string().min(1),
		tool_return: z.union([z.string(), z.array(contentPartSchema)]),
		status: z.enum(['success', 'error']),
		stdout: z.array(z.string()).nullable().optional(),
		stderr: z.array(z.string()).nullable().optional(),
	})
	.strict();

export const approvalCreateSchema = z
	.object({
		type: z.literal('approval'),
		approvals: z.array(z.union([approvalDecisionSchema, toolReturnSchema])).min(1),
		otid: nullableString,
		group_id: nullableString,
	})
	.strict();

export const toolReturnCreateSchema = z
	.object({
		type: z.literal('tool_return'),
		tool_returns: z.array(toolReturnSchema).min(1),
		otid: nullableString,
		group_id: nullableString,
	})
	.strict();

/** One entry of `messages` in the messages endpoints' bodies. */
export const requestMessageSchema = z.union([
	messageCreateSchema,
	approvalCreateSchema,
	toolReturnCreateSchema,
]);

const messageInputShape = {
	messages: z.array(requestMessageSchema).min(1).optional(),
	input: z.union([z.string().min(1), z.array(contentPartSchema).min(1)]).optional(),
};

const exactlyOneInput = {
	check: (value: { messages?: unknown; input?: unknown }) =>
		(value.messages === undefined) !== (value.input === undefined),
	message:
		'give either "messages" (an array of messages) or "input" (text or content parts), not both and not neither',
};

/** What the JSON input mode accepts: `messages` or `input`, exactly one of them. */
export const jsonMessageInputSchema = z
	.object(messageInputShape)
	.strict()
	.refine(exactlyOneInput.check, { message: exactlyOneInput.message });

/** The request options the node exposes, as the spec names them. */
const messageOptionsShape = {
	max_steps: z.number().int().min(1).optional(),
	include_return_message_types: z.array(z.enum(MESSAGE_TYPES)).optional(),
	enable_thinking: z.string().optional(),
	use_assistant_message: z.boolean().optional(),
};

export const messageOptionsSchema = z.object(messageOptionsShape).strict();

/** Body of POST /v1/agents/{agent_id}/messages (non-streaming) as this package sends it. */
export const agentMessageBodySchema = z
	.object({ ...messageInputShape, ...messageOptionsShape })
	.strict()
	.refine(exactlyOneInput.check, { message: exactlyOneInput.message });

/** Body of POST /v1/conversations/{conversation_id}/messages, where streaming defaults to true. */
export const conversationMessageBodySchema = z
	.object({
		...messageInputShape,
		...messageOptionsShape,
		streaming: z.literal(false),
		agent_id: nullableString,
	})
	.strict()
	.refine(exactlyOneInput.check, { message: exactlyOneInput.message });

/** The same, streamed in the background (resumable, recovered by otid, kept alive by pings). */
export const conversationStreamBodySchema = z
	.object({
		...messageInputShape,
		...messageOptionsShape,
		streaming: z.literal(true),
		background: z.literal(true),
		include_pings: z.literal(true),
		stream_tokens: z.literal(true).optional(),
		agent_id: nullableString,
	})
	.strict()
	.refine(exactlyOneInput.check, { message: exactlyOneInput.message });

/** Body of POST /v1/agents/{agent_id}/messages/async (LettaAsyncRequest) as this package sends it. */
export const asyncMessageBodySchema = z
	.object({ ...messageInputShape, ...messageOptionsShape, callback_url: nullableString })
	.strict()
	.refine(exactlyOneInput.check, { message: exactlyOneInput.message });

export type MessageCreate = z.infer<typeof messageCreateSchema>;
export type ContentPart = z.infer<typeof contentPartSchema>;
export type ApprovalCreate = z.infer<typeof approvalCreateSchema>;
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;
export type ToolReturn = z.infer<typeof toolReturnSchema>;
export type RequestMessage = z.infer<typeof requestMessageSchema>;
export type JsonMessageInput = z.infer<typeof jsonMessageInputSchema>;
export type MessageOptions = z.infer<typeof messageOptionsSchema>;

/** The response fields this package reads; everything else passes through untouched. */
export const lettaMessageSchema = z
	.object({
		message_type: z.string(),
		id: z.string().optional(),
		run_id: z.string().nullable().optional(),
	})
	.passthrough();

export const lettaResponseSchema = z
	.object({
		messages: z.array(lettaMessageSchema),
		stop_reason: z.object({ stop_reason: z.string() }).passthrough(),
		usage: z.record(z.unknown()).optional(),
	})
	.passthrough();

export type LettaMessage = z.infer<typeof lettaMessageSchema>;
export type LettaResponse = z.infer<typeof lettaResponseSchema>;
