import { z } from 'zod';

/**
 * zod schemas for Letta Cloud's environments API, field for field as letta-openapi.json
 * writes them. Its body is camelCase (`agentId`, `conversationId`) around message
 * items that are snake_case (`client_message_id`, `tool_call_id`); both are kept as the
 * spec has them. Strict, like schemas.ts: an unknown field is an error before sending.
 */

/** The spec's content part here is text only, and `type` is required (unlike the agents API). */
const environmentTextPartSchema = z.object({ type: z.literal('text'), text: z.string() }).strict();

const environmentContentSchema = z.union([z.string(), z.array(environmentTextPartSchema)]);

export const environmentUserMessageSchema = z
	.object({
		role: z.literal('user'),
		content: environmentContentSchema,
		client_message_id: z.string(),
		otid: z.string().optional(),
	})
	.strict();

export const environmentToolReturnSchema = z
	.object({
		type: z.literal('tool').optional(),
		tool_call_id: z.string(),
		tool_return: environmentContentSchema,
		status: z.enum(['success', 'error']),
		stdout: z.array(z.string()).nullable().optional(),
		stderr: z.array(z.string()).nullable().optional(),
	})
	.strict();

export const environmentApprovalDecisionSchema = z
	.object({
		type: z.literal('approval').optional(),
		approve: z.boolean(),
		tool_call_id: z.string(),
		reason: z.string().nullable().optional(),
		updated_input: z.record(z.unknown()).nullable().optional(),
	})
	.strict();

/**
 * The spec's `oneOf` as one schema that picks its branch by shape, so an error names the
 * field that is wrong in the branch the user meant, rather than zod's bare "Invalid input".
 */
function oneOfByShape<A extends z.ZodTypeAny, B extends z.ZodTypeAny>(
	isFirst: (value: Record<string, unknown>) => boolean,
	first: A,
	second: B,
): z.ZodType<z.infer<A> | z.infer<B>> {
	return z
		.record(z.unknown(), { invalid_type_error: 'must be an object' })
		.superRefine((value, ctx) => {
			const parsed = (isFirst(value) ? first : second).safeParse(value);
			if (!parsed.success)
				for (const issue of parsed.error.issues) ctx.addIssue(issue as z.IssueData);
		}) as unknown as z.ZodType<z.infer<A> | z.infer<B>>;
}

export const environmentApprovalItemSchema = oneOfByShape(
	(value) => value.type === 'tool' || 'tool_return' in value,
	environmentToolReturnSchema,
	environmentApprovalDecisionSchema,
);

export const environmentApprovalMessageSchema = z
	.object({
		type: z.literal('approval'),
		approvals: z.array(environmentApprovalItemSchema),
	})
	.strict();

/** One entry of `messages`: a user message or an approval answer. */
export const environmentMessageSchema = oneOfByShape(
	(value) => value.type === 'approval' || 'approvals' in value,
	environmentApprovalMessageSchema,
	environmentUserMessageSchema,
);

/** Body of POST /v1/environments/{connectionId}/messages. */
export const environmentSendBodySchema = z
	.object({
		// The spec sets no minimum; Letta refuses an empty list (400), so it is caught here.
		messages: z.array(environmentMessageSchema).min(1, 'needs at least one message'),
		agentId: z.string().optional(),
		conversationId: z.string().nullable().optional(),
	})
	.strict();

/** The send endpoint's whole answer: it is fire-and-forget. */
export const environmentSendResponseSchema = z
	.object({ success: z.boolean(), message: z.string() })
	.passthrough();

/** An environment connection (a live Letta Code session on a device), the fields read here. */
export const environmentConnectionSchema = z
	.object({
		id: z.string(),
		connectionId: z.string().nullable(),
		deviceId: z.string(),
		connectionName: z.string(),
		lastHeartbeat: z.number().nullable(),
	})
	.passthrough();

export const environmentConnectionListSchema = z
	.object({ connections: z.array(environmentConnectionSchema), hasNextPage: z.boolean() })
	.passthrough();

export type EnvironmentUserMessage = z.infer<typeof environmentUserMessageSchema>;
export type EnvironmentApprovalMessage = z.infer<typeof environmentApprovalMessageSchema>;
export type EnvironmentMessage = z.infer<typeof environmentMessageSchema>;
export type EnvironmentSendBody = z.infer<typeof environmentSendBodySchema>;
export type EnvironmentSendResponse = z.infer<typeof environmentSendResponseSchema>;
export type EnvironmentConnection = z.infer<typeof environmentConnectionSchema>;
export type EnvironmentConnectionList = z.infer<typeof environmentConnectionListSchema>;
