/**
 * Reads a send-message body (agent or conversation endpoint) into what the turn logic
 * needs, answering 422 in FastAPI's shape for bodies the simulator cannot use.
 * Field-name strictness is Prism's job (strict spec copy); this checks meaning.
 */
import { isRecord } from './http';
import {
	detailError,
	MESSAGES_EMPTY,
	requireBodyObject,
	streamingOptionsMessage,
	validationError,
	type ValidationIssue,
} from './lettaErrors';
import { PyRaw, pyRepr } from './pyRepr';
import {
	MESSAGE_TYPES,
	type ApprovalDecisionItem,
	type MessageType,
	type ToolReturnItem,
	type UserContentPart,
} from './types';

export interface UserInput {
	role: 'user' | 'system' | 'assistant';
	content: string | UserContentPart[];
	otid: string | null;
	senderId: string | null;
}

export type ApprovalAnswer = ApprovalDecisionItem | ToolReturnItem;

export type SendPayload =
	| { kind: 'input'; inputs: UserInput[] }
	| {
			kind: 'approval';
			answers: ApprovalAnswer[];
			otid: string | null;
			/** MessageCreate items after the approval: Letta runs them after the tools. */
			followUps: UserInput[];
	  };

export interface SendOptions {
	maxSteps: number;
	includeReturnMessageTypes: MessageType[] | null;
	enableThinking: boolean;
	streaming: boolean;
	includePings: boolean;
	/** Assistant text in token chunks (with streaming; tokenStream.ts). */
	streamTokens: boolean;
	/** Redis-backed streaming (`background: true`, with streaming): backgroundStreams.ts. */
	background: boolean;
}

export interface SendRequest {
	payload: SendPayload;
	options: SendOptions;
	/** Only on the conversation endpoint (agent-direct mode with conversation `default`). */
	agentId: string | null;
}

const DEFAULT_MAX_STEPS = 50;

class IssueCollector {
	readonly issues: ValidationIssue[] = [];
	add(loc: Array<string | number>, msg: string, type = 'value_error', input?: unknown): void {
		this.issues.push({ loc: ['body', ...loc], msg, type, input });
	}
	/** A ValueError raised by a pydantic model validator, as pydantic reports it. */
	addValueError(message: string, input: unknown): void {
		this.issues.push({
			type: 'value_error',
			loc: ['body'],
			msg: `Value error, ${message}`,
			input,
			ctx: { error: new PyRaw(`ValueError(${pyRepr(message)})`) },
		});
	}
}

export function parseSendRequest(raw: unknown, endpoint: 'agent' | 'conversation'): SendRequest {
	const issues = new IssueCollector();
	const body = requireBodyObject(raw);
	const payload = parsePayload(body, issues);
	const { options, streamingProblems } = parseOptions(body, endpoint, issues);
	let agentId: string | null = null;
	if (endpoint === 'conversation' && body.agent_id !== undefined && body.agent_id !== null) {
		if (typeof body.agent_id === 'string') agentId = body.agent_id;
		else issues.add(['agent_id'], 'Input should be a valid string', 'string_type');
	}
	// Letta's order: pydantic validation, then the router's own checks.
	if (issues.issues.length > 0 || !payload) throw validationError(issues.issues);
	if (payload === 'empty') throw detailError(422, MESSAGES_EMPTY);
	if (streamingProblems.length > 0)
		throw detailError(422, streamingOptionsMessage(streamingProblems));
	return { payload, options, agentId };
}

/** 'empty': an empty messages list, which the routers refuse after validation. */
function parsePayload(
	body: Record<string, unknown>,
	issues: IssueCollector,
): SendPayload | 'empty' | null {
	const hasMessages = body.messages !== undefined && body.messages !== null;
	const hasInput = body.input !== undefined && body.input !== null;
	if (hasMessages && hasInput) {
		issues.addValueError("Cannot specify both 'input' and 'messages'. Use one or the other.", body);
		return null;
	}
	if (hasInput) {
		const content = parseContent(body.input, ['input'], issues);
		return content === null
			? null
			: { kind: 'input', inputs: [{ role: 'user', content, otid: null, senderId: null }] };
	}
	if (!hasMessages) {
		issues.addValueError("Must specify either 'input' or 'messages'.", body);
		return null;
	}
	if (!Array.isArray(body.messages)) {
		issues.add(['messages'], 'Input should be a valid list', 'list_type', body.messages);
		return null;
	}
	const messages: unknown[] = body.messages;
	if (messages.length === 0) return 'empty';
	const [first, ...rest] = messages;
	if (isRecord(first) && (first.type === 'approval' || first.type === 'tool_return')) {
		const approval = parseApprovalMessage(first, issues);
		// Letta keeps the MessageCreate items after the approval and drops the others (helpers.py).
		const followUps: UserInput[] = [];
		rest.forEach((message, index) => {
			if (isRecord(message) && (message.type === 'approval' || message.type === 'tool_return'))
				return;
			const input = parseMessageCreate(message, index + 1, issues);
			if (input) followUps.push(input);
		});
		return approval && { ...approval, followUps };
	}
	const inputs: UserInput[] = [];
	messages.forEach((message, index) => {
		const input = parseMessageCreate(message, index, issues);
		if (input) inputs.push(input);
	});
	return inputs.length === messages.length ? { kind: 'input', inputs } : null;
}

function parseMessageCreate(
	message: unknown,
	index: number,
	issues: IssueCollector,
): UserInput | null {
	const loc = ['messages', index];
	if (!isRecord(message)) {
		issues.add(loc, 'Input should be a valid dictionary', 'dict_type');
		return null;
	}
	if (message.type === 'approval' || message.type === 'tool_return') {
		issues.add([...loc, 'type'], 'An approval answer must be the first and only item of messages');
		return null;
	}
	if (message.role !== 'user' && message.role !== 'system' && message.role !== 'assistant') {
		issues.add([...loc, 'role'], "Input should be 'user', 'system' or 'assistant'", 'enum');
		return null;
	}
	const content = parseContent(message.content, [...loc, 'content'], issues);
	if (content === null) return null;
	return {
		role: message.role,
		content,
		otid: typeof message.otid === 'string' ? message.otid : null,
		senderId: typeof message.sender_id === 'string' ? message.sender_id : null,
	};
}

/** Content is a string or text/image parts; other part kinds have no meaning for a user turn. */
function parseContent(
	content: unknown,
	loc: Array<string | number>,
	issues: IssueCollector,
): string | UserContentPart[] | null {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) {
		issues.add(
			loc,
			content === undefined
				? 'Field required'
				: 'Input should be a valid string or list of content parts',
			content === undefined ? 'missing' : 'union_type',
		);
		return null;
	}
	const parts: UserContentPart[] = [];
	const items: unknown[] = content;
	items.forEach((part, index) => {
		if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') {
			parts.push({ type: 'text', text: part.text });
		} else if (isRecord(part) && part.type === 'image' && isRecord(part.source)) {
			parts.push({ type: 'image', source: part.source });
		} else {
			issues.add(
				[...loc, index],
				'Content parts must be {type:"text", text} or {type:"image", source}',
				'union_tag_invalid',
			);
		}
	});
	return parts.length === items.length ? parts : null;
}

function parseApprovalMessage(
	message: Record<string, unknown>,
	issues: IssueCollector,
): { kind: 'approval'; answers: ApprovalAnswer[]; otid: string | null } | null {
	const otid = typeof message.otid === 'string' ? message.otid : null;
	const listField = message.type === 'approval' ? 'approvals' : 'tool_returns';
	const list = message[listField];
	const loc = ['messages', 0, listField];
	if (!Array.isArray(list) || list.length === 0) {
		issues.add(
			loc,
			`${listField} must be a non-empty list (the deprecated approve/approval_request_id form is not supported)`,
		);
		return null;
	}
	const answers: ApprovalAnswer[] = [];
	const items: unknown[] = list;
	items.forEach((item, index) => {
		const answer = parseApprovalItem(item, [...loc, index], message.type === 'tool_return', issues);
		if (answer) answers.push(answer);
	});
	return answers.length === items.length ? { kind: 'approval', answers, otid } : null;
}

function parseApprovalItem(
	item: unknown,
	loc: Array<string | number>,
	toolReturnOnly: boolean,
	issues: IssueCollector,
): ApprovalAnswer | null {
	if (!isRecord(item)) {
		issues.add(loc, 'Input should be a valid dictionary', 'dict_type');
		return null;
	}
	if (typeof item.tool_call_id !== 'string') {
		issues.add([...loc, 'tool_call_id'], 'Field required', 'missing');
		return null;
	}
	const type = item.type ?? (toolReturnOnly ? 'tool' : 'approval');
	if (type === 'approval' && !toolReturnOnly) {
		if (typeof item.approve !== 'boolean') {
			issues.add([...loc, 'approve'], 'Input should be a valid boolean', 'bool_type');
			return null;
		}
		return {
			type: 'approval',
			tool_call_id: item.tool_call_id,
			approve: item.approve,
			reason: typeof item.reason === 'string' ? item.reason : null,
			...(isRecord(item.updated_input) ? { updated_input: item.updated_input } : {}),
		};
	}
	if (type !== 'tool') {
		issues.add([...loc, 'type'], "Input tag should be 'approval' or 'tool'", 'union_tag_invalid');
		return null;
	}
	const toolReturn = toolReturnText(item.tool_return);
	if (toolReturn === null) {
		issues.add(
			[...loc, 'tool_return'],
			'Input should be a string or a list of text parts',
			'union_type',
		);
		return null;
	}
	if (item.status !== 'success' && item.status !== 'error') {
		issues.add([...loc, 'status'], "Input should be 'success' or 'error'", 'enum');
		return null;
	}
	return {
		type: 'tool',
		tool_call_id: item.tool_call_id,
		tool_return: toolReturn,
		status: item.status,
		stdout: stringList(item.stdout),
		stderr: stringList(item.stderr),
	};
}

function toolReturnText(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (!Array.isArray(value)) return null;
	const texts: string[] = [];
	for (const part of value as unknown[]) {
		if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') return null;
		texts.push(part.text);
	}
	return texts.join(' ');
}

function stringList(value: unknown): string[] | null {
	return Array.isArray(value) && value.every((entry) => typeof entry === 'string')
		? (value as string[])
		: null;
}

function parseOptions(
	body: Record<string, unknown>,
	endpoint: 'agent' | 'conversation',
	issues: IssueCollector,
): { options: SendOptions; streamingProblems: string[] } {
	let maxSteps = DEFAULT_MAX_STEPS;
	if (body.max_steps !== undefined) {
		if (
			typeof body.max_steps === 'number' &&
			Number.isInteger(body.max_steps) &&
			body.max_steps >= 1
		)
			maxSteps = body.max_steps;
		else
			issues.add(['max_steps'], 'max_steps must be an integer of at least 1', 'greater_than_equal');
	}
	let includeReturnMessageTypes: MessageType[] | null = null;
	const include = body.include_return_message_types;
	if (include !== undefined && include !== null) {
		if (
			Array.isArray(include) &&
			include.every((entry): entry is MessageType => MESSAGE_TYPES.includes(entry as MessageType))
		) {
			includeReturnMessageTypes = include;
		} else {
			issues.add(
				['include_return_message_types'],
				`Items should be one of: ${MESSAGE_TYPES.join(', ')}`,
				'enum',
			);
		}
	}
	let enableThinking = true;
	if (body.enable_thinking !== undefined) {
		// The spec types enable_thinking as a string; only the string "false" turns reasoning off.
		if (typeof body.enable_thinking === 'string')
			enableThinking = body.enable_thinking.toLowerCase() !== 'false';
		else issues.add(['enable_thinking'], 'Input should be a valid string', 'string_type');
	}
	const booleanField = (name: string, fallback: boolean): boolean => {
		const value = body[name];
		if (value === undefined || value === null) return fallback;
		if (typeof value === 'boolean') return value;
		issues.add([name], 'Input should be a valid boolean', 'bool_type', value);
		return fallback;
	};
	// The conversation endpoint streams unless told otherwise; the agent endpoint does not.
	const streaming = booleanField('streaming', endpoint === 'conversation');
	const includePings = booleanField('include_pings', true);
	const streamTokens = booleanField('stream_tokens', false);
	const background = booleanField('background', false);
	// Only the agent endpoint checks these (agents.py send_message), and only these values.
	const streamingProblems =
		endpoint === 'agent' && !streaming
			? [
					...(streamTokens ? ['stream_tokens can only be true when streaming=true'] : []),
					...(includePings ? [] : ['include_pings can only be set to false when streaming=true']),
					...(background ? ['background can only be true when streaming=true'] : []),
				]
			: [];
	return {
		options: {
			maxSteps,
			includeReturnMessageTypes,
			enableThinking,
			streaming,
			includePings,
			streamTokens,
			background,
		},
		streamingProblems,
	};
}
