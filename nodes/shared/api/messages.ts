import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { LettaClient, LettaRequest } from '../transport/request';
import {
	agentMessageBodySchema,
	asyncMessageBodySchema,
	conversationMessageBodySchema,
	lettaMessageSchema,
	lettaResponseSchema,
	type ContentPart,
	type LettaMessage,
	type LettaResponse,
	type MessageCreate,
} from './messageSchemas';
import { latestActiveRunId, runStatusSchema, type RunStatus } from './runs';
import { checkAnswer, describeZodError, LETTA_SERVER_HINT, requestChecked } from './validate';

/** Letta messages: sending to an agent or a conversation, and reading their messages. */

/** Where a message goes or is read from: an agent's default conversation, or one conversation. */
export interface MessageScope {
	agentId?: string;
	conversationId?: string | null;
}

/**
 * How the agent's default conversation is reached: through the agent's own endpoint
 * (`agent`), or the conversations API's agent-direct mode (`conversations/default` with
 * `agent_id`, which reads the default conversation only).
 */
export type DefaultConversationRoute = 'agent' | 'agentDirect';

/**
 * Which endpoint serves a scope's messages: a conversation's own endpoint, otherwise
 * the agent's default conversation by the route asked for. The one place that decides it.
 */
export function messagesEndpoint(
	scope: MessageScope,
	route: DefaultConversationRoute = 'agent',
): { path: string; qs: IDataObject } {
	if (scope.conversationId) {
		return { path: `/v1/conversations/${scope.conversationId}/messages`, qs: {} };
	}
	if (route === 'agentDirect') {
		return { path: '/v1/conversations/default/messages', qs: { agent_id: scope.agentId } };
	}
	return { path: `/v1/agents/${scope.agentId}/messages`, qs: {} };
}

/** How a 404 names a scope: `conversation … (agent …)` or `agent …`. */
export function resourceName(scope: MessageScope): string {
	return scope.conversationId
		? `conversation ${scope.conversationId} (agent ${scope.agentId})`
		: `agent ${scope.agentId}`;
}

/**
 * The POST that sends `fields` (messages or input, and options) to a scope, checked against
 * that endpoint's schema: the conversation endpoint streams unless told not to, so it gets
 * `streaming: false`. `problem` says what does not match the spec.
 */
export function sendMessageRequest(
	scope: MessageScope,
	fields: IDataObject,
	timeoutMs: number,
): { request: LettaRequest } | { problem: string } {
	const body: IDataObject = scope.conversationId ? { ...fields, streaming: false } : { ...fields };
	const schema = scope.conversationId ? conversationMessageBodySchema : agentMessageBodySchema;
	const checked = schema.safeParse(body);
	if (!checked.success) return { problem: describeZodError(checked.error) };
	return { request: { method: 'POST', path: messagesEndpoint(scope).path, body, timeoutMs } };
}

/**
 * The POST that starts a background run on an agent's default conversation
 * (`/messages/async`: answers the Run at once; the spec has no conversation equivalent).
 */
export function backgroundRunRequest(
	agentId: string,
	fields: IDataObject,
	timeoutMs: number,
): { request: LettaRequest } | { problem: string } {
	const checked = asyncMessageBodySchema.safeParse(fields);
	if (!checked.success) return { problem: describeZodError(checked.error) };
	return {
		request: {
			method: 'POST',
			path: `/v1/agents/${agentId}/messages/async`,
			body: fields,
			timeoutMs,
		},
	};
}

/** Starts a background run; the Run it answers, checked. */
export async function startBackgroundRun(
	client: LettaClient,
	request: LettaRequest,
	scope: MessageScope,
	itemIndex?: number,
): Promise<RunStatus> {
	const raw = await postMessages(client, request, scope, itemIndex);
	return checkAnswer(
		client,
		raw,
		{ schema: runStatusSchema, what: 'the background run', hint: LETTA_SERVER_HINT },
		itemIndex,
	);
}

/** Sends a checked message request; the answer is read with `readMessageResponse`. */
export async function postMessages(
	client: LettaClient,
	request: LettaRequest,
	scope: MessageScope,
	itemIndex?: number,
): Promise<unknown> {
	const { agentId, conversationId } = scope;
	return await client.request(request, {
		itemIndex,
		agentId,
		resource: resourceName(scope),
		// After a timeout or a dropped answer, the error names the run the message started.
		findRun: agentId
			? async () => await latestActiveRunId(client, { agentId, conversationId }, itemIndex)
			: undefined,
	});
}

/** Letta's answer to a message, checked; `what` names it in the error (e.g. `the denial`). */
export function readMessageResponse(
	client: Pick<LettaClient, 'node'>,
	raw: unknown,
	itemIndex?: number,
	what?: string,
): LettaResponse {
	return checkAnswer(
		client,
		raw,
		{ schema: lettaResponseSchema, what, hint: LETTA_SERVER_HINT },
		itemIndex,
	);
}

/** Sends a message and reads the agent's reply. */
export async function sendMessage(
	client: LettaClient,
	request: LettaRequest,
	scope: MessageScope,
	itemIndex: number,
): Promise<LettaResponse> {
	return readMessageResponse(
		client,
		await postMessages(client, request, scope, itemIndex),
		itemIndex,
	);
}

const messageListSchema = z.array(lettaMessageSchema);

export interface ListMessagesOptions {
	route?: DefaultConversationRoute;
	itemIndex?: number;
	/** How a 404 names the scope, when not `resourceName`. */
	resource?: string;
	/** The error's "Letta answered … with an unexpected response"; a hint when the caller has one. */
	what?: string;
	hint?: string;
}

/** One page of a scope's messages. */
export async function listMessages(
	client: LettaClient,
	scope: MessageScope,
	qs: IDataObject,
	options: ListMessagesOptions = {},
): Promise<LettaMessage[]> {
	const endpoint = messagesEndpoint(scope, options.route);
	return await requestChecked(
		client,
		{ method: 'GET', path: endpoint.path, qs: { ...qs, ...endpoint.qs } },
		{ schema: messageListSchema, what: options.what ?? 'the messages', hint: options.hint },
		{
			itemIndex: options.itemIndex,
			agentId: scope.agentId,
			resource: options.resource ?? resourceName(scope),
		},
	);
}

/** The text of a message's content: a string, or the text of its parts, joined. */
export function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part: unknown) =>
			part && typeof part === 'object' ? (part as { text?: unknown }).text : undefined,
		)
		.filter((text): text is string => typeof text === 'string')
		.join('');
}

export interface TextMessageInput {
	role: MessageCreate['role'];
	text: string;
	senderName?: string;
}

export interface ImageInput {
	mediaType: string;
	base64: string;
}

export function buildTextMessage({ role, text, senderName }: TextMessageInput): MessageCreate {
	return { role, content: text, ...(senderName ? { name: senderName } : {}) };
}

/** A user message whose content is the text (if any) followed by one image part per image. */
export function buildImageMessage(input: TextMessageInput, images: ImageInput[]): MessageCreate {
	const parts: ContentPart[] = [];
	if (input.text) parts.push({ type: 'text', text: input.text });
	for (const image of images) {
		parts.push({
			type: 'image',
			source: { type: 'base64', media_type: image.mediaType, data: image.base64 },
		});
	}
	return { ...buildTextMessage(input), content: parts };
}
