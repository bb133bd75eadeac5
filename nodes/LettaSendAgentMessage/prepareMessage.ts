import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	jsonMessageInputSchema,
	MESSAGE_ROLES,
	type JsonMessageInput,
	type MessageCreate,
	type MessageOptions,
} from '../shared/api/messageSchemas';
import {
	buildImageMessage,
	buildTextMessage,
	sendMessageRequest,
	type ImageInput,
} from '../shared/api/messages';
import { describeZodError } from '../shared/api/validate';
import { approvalAnswerRequest } from '../shared/approvals/delivery';
import { readApprovalAnswer } from '../shared/approvals/readApprovalAnswer';
import { executionNode } from '../shared/items/executionNode';
import { readItemParameter } from '../shared/items/itemParameter';
import { resolveAgentId, resolveConversationId } from '../shared/items/locators';
import { messageOtid, withOtids, type OtidSeed } from '../shared/items/otids';
import {
	itemInputError,
	JSON_MESSAGES_EXAMPLE,
	readJsonParameter,
	readMessageText,
	readTextParameter,
	readTimeoutMs,
} from '../shared/items/parameters';
import type { LettaRequest } from '../shared/transport/request';
import {
	DEFAULT_WAIT_MODE,
	isWaitMode,
	WAIT_MODES,
	type WaitMode,
} from '../shared/waiting/waitModes';
import { MESSAGE_INPUT_PARAMETER } from '../shared/ui/messageInput';
import { MESSAGE_INPUT } from './properties';

/** The node's Options collection as n8n hands it over. */
export interface SendOptions {
	concurrency?: number;
	maxSteps?: number;
	returnMessageTypes?: string[];
	enableThinking?: boolean;
	useAssistantMessage?: boolean;
	senderName?: string;
	timeoutSeconds?: number;
	waitMode?: string;
	cancelOnTimeout?: boolean;
	callbackDeadlineMinutes?: number;
	callbackUrl?: string;
	streamResponse?: boolean;
	streamToolActivity?: boolean;
}

export interface PreparedMessage {
	agentId: string;
	conversationId?: string;
	/** The plain request (Plain Request mode); the other modes send its `fields` their own way. */
	request: LettaRequest;
	fields: IDataObject;
	waitMode: WaitMode;
	cancelOnTimeout: boolean;
	/** Answer Approval mode: what is answered, checked against the scope's live state before sending. */
	approval?: { toolCallIds: string[]; approvalRequestId: string | null };
}

/** The Options collection of one item (shared by the items when it holds no expression). */
export function readSendOptions(context: IExecuteFunctions, itemIndex: number): SendOptions {
	return readItemParameter(context, 'options', itemIndex, {}) as SendOptions;
}

export function toMessageOptions(options: SendOptions): MessageOptions {
	const body: MessageOptions = {};
	if (options.maxSteps !== undefined) body.max_steps = options.maxSteps;
	if (options.returnMessageTypes?.length) {
		body.include_return_message_types =
			options.returnMessageTypes as MessageOptions['include_return_message_types'];
	}
	// The spec types enable_thinking as a string.
	if (options.enableThinking !== undefined) body.enable_thinking = String(options.enableThinking);
	if (options.useAssistantMessage !== undefined)
		body.use_assistant_message = options.useAssistantMessage;
	return body;
}

async function readImages(context: IExecuteFunctions, itemIndex: number): Promise<ImageInput[]> {
	const fields = String(readItemParameter(context, 'binaryFields', itemIndex, ''))
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
	if (fields.length === 0) {
		throw itemInputError(
			context,
			itemIndex,
			'No image binary field given',
			'Name at least one binary field that holds an image, e.g. "data".',
		);
	}
	const images: ImageInput[] = [];
	for (const field of fields) {
		const item = context.getInputData()[itemIndex];
		if (!item.binary?.[field]) {
			const present = Object.keys(item.binary ?? {});
			throw itemInputError(
				context,
				itemIndex,
				`The item has no binary field "${field}"`,
				present.length
					? `Its binary fields are: ${present.join(', ')}. Put one of them in "Image Binary Fields".`
					: 'The item carries no binary data. Load the image first (e.g. with Read/Write Files or HTTP Request) or use the Text input.',
			);
		}
		const binary = context.helpers.assertBinaryData(itemIndex, field);
		if (!binary.mimeType?.startsWith('image/')) {
			throw itemInputError(
				context,
				itemIndex,
				`Binary field "${field}" is not an image (${binary.mimeType || 'unknown type'})`,
				'Only images can be sent to an agent as content parts (image/png, image/jpeg, image/gif, image/webp).',
			);
		}
		const buffer = await context.helpers.getBinaryDataBuffer(itemIndex, field);
		images.push({ mediaType: binary.mimeType, base64: buffer.toString('base64') });
	}
	return images;
}

function readJsonInput(context: IExecuteFunctions, itemIndex: number): JsonMessageInput {
	let value = readJsonParameter(
		context,
		itemIndex,
		'messagesJson',
		'Messages (JSON)',
		JSON_MESSAGES_EXAMPLE,
	);
	if (Array.isArray(value)) value = { messages: value };
	const parsed = jsonMessageInputSchema.safeParse(value);
	if (!parsed.success) {
		throw itemInputError(
			context,
			itemIndex,
			`"Messages (JSON)" does not match the Letta API: ${describeZodError(parsed.error)}`,
			'Each message needs "role" (user, system or assistant) and "content" (text or content parts); approval answers use {"type":"approval","approvals":[...]}. Field names are those of the Letta API (snake_case).',
		);
	}
	return parsed.data;
}

/** The Text mode's role; one given by an expression must still be one of Letta's roles. */
function readRole(context: IExecuteFunctions, itemIndex: number): MessageCreate['role'] {
	const role = readItemParameter(context, 'role', itemIndex, 'user');
	const known = MESSAGE_ROLES.find((candidate) => candidate === role);
	if (known) return known;
	throw itemInputError(
		context,
		itemIndex,
		`"Role" must be one of ${MESSAGE_ROLES.join(', ')}, not ${JSON.stringify(role)}`,
		'Pick a role from the list, or make the expression give one of these values.',
	);
}

async function readMessageInput(
	context: IExecuteFunctions,
	itemIndex: number,
	options: SendOptions,
): Promise<JsonMessageInput> {
	const mode = readItemParameter(context, MESSAGE_INPUT_PARAMETER, itemIndex) as string;
	const senderName = options.senderName || undefined;
	if (mode === MESSAGE_INPUT.json) return readJsonInput(context, itemIndex);
	let message: MessageCreate;
	if (mode === MESSAGE_INPUT.textAndImages) {
		const text = readTextParameter(context, itemIndex, 'imageText');
		message = buildImageMessage(
			{ role: 'user', text, senderName },
			await readImages(context, itemIndex),
		);
	} else {
		const text = readMessageText(context, itemIndex);
		message = buildTextMessage({ role: readRole(context, itemIndex), text, senderName });
	}
	return { messages: [message] };
}

function timeoutMs(context: IExecuteFunctions, itemIndex: number): number {
	return readTimeoutMs(context, itemIndex, 'options.timeoutSeconds', 'Timeout (Seconds)');
}

function otidSeed(context: IExecuteFunctions, itemIndex: number, answer?: string): OtidSeed {
	return {
		workflowId: String(context.getWorkflow().id ?? ''),
		executionId: context.getExecutionId() ?? '',
		nodeName: executionNode(context).name,
		itemIndex,
		answer,
	};
}

function readWaitMode(context: IExecuteFunctions, itemIndex: number, options: SendOptions) {
	const mode = options.waitMode ?? DEFAULT_WAIT_MODE;
	if (!isWaitMode(mode)) {
		throw itemInputError(
			context,
			itemIndex,
			`"Wait Mode" must be one of ${WAIT_MODES.map((entry) => entry.value).join(', ')}, not ${JSON.stringify(mode)}`,
			'Pick a wait mode from the list, or make the expression give one of these values.',
		);
	}
	return { waitMode: mode, cancelOnTimeout: options.cancelOnTimeout === true };
}

/** The message fields of a plain request's body: what every wait mode sends. */
function messageFields(request: LettaRequest): IDataObject {
	const fields: IDataObject = { ...request.body };
	delete fields.streaming;
	return fields;
}

/** Answer Approval mode: the scope comes from the answer_to block, not from the locators. */
function prepareApprovalAnswer(context: IExecuteFunctions, itemIndex: number): PreparedMessage {
	const answer = readApprovalAnswer(context, itemIndex);
	const { answerTo } = answer;
	const options = readSendOptions(context, itemIndex);
	const wait = readWaitMode(context, itemIndex, options);
	const seed = otidSeed(context, itemIndex, JSON.stringify(answer.message));
	// A plain request stays as it always was; the other modes need otids to resend safely.
	const message =
		wait.waitMode === 'plainRequest'
			? answer.message
			: { ...answer.message, otid: answer.message.otid || messageOtid(seed, 0) };
	const scope = { agentId: answerTo.agent_id, conversationId: answerTo.conversation_id };
	let request: LettaRequest;
	try {
		request = approvalAnswerRequest(
			scope,
			message,
			toMessageOptions(options),
			timeoutMs(context, itemIndex),
		);
	} catch (error) {
		throw itemInputError(
			context,
			itemIndex,
			(error as Error).message,
			'Check the answer fields and the node options.',
		);
	}
	return {
		agentId: answerTo.agent_id,
		conversationId: answerTo.conversation_id ?? undefined,
		request,
		fields: messageFields(request),
		...wait,
		approval: {
			toolCallIds: answerTo.tool_call_ids,
			approvalRequestId: answerTo.approval_request_id,
		},
	};
}

/** Maps one item onto a validated request; throws a NodeOperationError naming the item. */
export async function prepareMessage(
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedMessage> {
	if (
		readItemParameter(context, MESSAGE_INPUT_PARAMETER, itemIndex) === MESSAGE_INPUT.answerApproval
	) {
		return prepareApprovalAnswer(context, itemIndex);
	}
	const agentId = resolveAgentId(context, itemIndex);
	const conversationId = resolveConversationId(context, itemIndex);
	const options = readSendOptions(context, itemIndex);
	const wait = readWaitMode(context, itemIndex, options);
	const given = await readMessageInput(context, itemIndex, options);
	const input =
		wait.waitMode === 'plainRequest' ? given : withOtids(given, otidSeed(context, itemIndex));
	const built = sendMessageRequest(
		{ agentId, conversationId },
		{ ...input, ...toMessageOptions(options) },
		timeoutMs(context, itemIndex),
	);
	if ('problem' in built) {
		throw itemInputError(
			context,
			itemIndex,
			`The request does not match the Letta API: ${built.problem}`,
			'Check the node options.',
		);
	}
	return {
		agentId,
		conversationId,
		request: built.request,
		fields: messageFields(built.request),
		...wait,
	};
}

/** Items to one agent and conversation share a lane: Letta refuses parallel requests there. */
export function messageLane(entry: PreparedMessage): string {
	return `${entry.agentId}/${entry.conversationId ?? 'default'}`;
}
