/**
 * Reads a send-message body (agent or conversation endpoint) into what the turn logic
 * needs, answering 422 in FastAPI's shape for bodies the simulator cannot use.
 * Field-name strictness is Prism's job (strict spec copy); this checks meaning.
 */
import { isRecord, validationError, type ValidationIssue } from './http';
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
	| { kind: 'approval'; answers: ApprovalAnswer[]; otid: string | null };

export interface SendOptions {
	maxSteps: number;
	includeReturnMessageTypes: MessageType[] | null;
	enableThinking: boolean;
	streaming: boolean;
	includePings: boolean;
}

export interface SendRequest {
	payload: SendPayload;
	options: SendOptions;
	/** Only on the conversation endpoint (agent-direct mode with conversation `default`). */
	agentId: string | null;
}

const STREAMING_ONLY_FIELDS = ['stream_tokens', 'include_pings', 'background'] as const;
const DEFAULT_MAX_STEPS = 50;

class IssueCollector {
	readonly issues: ValidationIssue[] = [];
	add(loc: Array<string | number>, msg: string, type = 'value_error'): void {
		this.issues.push({ loc: ['body', ...loc], msg, type });
	}
}

export function parseSendRequest(body: unknown, endpoint: 'agent' | 'conversation'): SendRequest {
	const issues = new IssueCollector();
	if (!isRecord(body)) {
		throw validationError([
			{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' },
		]);
	}
	const payload = parsePayload(body, issues);
	const options = parseOptions(body, endpoint, issues);
	let agentId: string | null = null;
	if (endpoint === 'conversation' && body.agent_id !== undefined && body.agent_id !== null) {
		if (typeof body.agent_id === 'string') agentId = body.agent_id;
		else issues.add(['agent_id'], 'Input should be a valid string', 'string_type');
	}
	if (issues.issues.length > 0 || !payload) throw validationError(issues.issues);
	return { payload, options, agentId };
}

function parsePayload(body: Record<string, unknown>, issues: IssueCollector): SendPayload | null {
	const hasMessages = body.messages !== undefined && body.messages !== null;
	const hasInput = body.input !== undefined && body.input !== null;
	if (hasMessages && hasInput) {
		issues.add([], 'Provide either messages or input, not both');
		return null;
	}
	if (hasInput) {
		const content = parseContent(body.input, ['input'], issues);
		return content === null
			? null
			: { kind: 'input', inputs: [{ role: 'user', content, otid: null, senderId: null }] };
	}
	if (!hasMessages) {
		issues.add([], 'Either messages or input must be provided');
		return null;
	}
	if (!Array.isArray(body.messages) || body.messages.length === 0) {
		issues.add(
			['messages'],
			'messages must be a non-empty list',
			Array.isArray(body.messages) ? 'too_short' : 'list_type',
		);
		return null;
	}
	const messages: unknown[] = body.messages;
	const first = messages[0];
	if (isRecord(first) && (first.type === 'approval' || first.type === 'tool_return')) {
		if (messages.length > 1) {
			issues.add(
				['messages'],
				'An approval answer must be sent alone, as the only item of messages',
			);
			return null;
		}
		return parseApprovalMessage(first, issues);
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
): SendPayload | null {
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
): SendOptions {
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
		if (value === undefined) return fallback;
		if (typeof value === 'boolean') return value;
		issues.add([name], 'Input should be a valid boolean', 'bool_type');
		return fallback;
	};
	// The conversation endpoint streams unless told otherwise; the agent endpoint does not.
	const streaming = booleanField('streaming', endpoint === 'conversation');
	const includePings = booleanField('include_pings', true);
	booleanField('stream_tokens', false);
	booleanField('background', false);
	if (!streaming) {
		for (const field of STREAMING_ONLY_FIELDS) {
			if (body[field] !== undefined)
				issues.add([field], `${field} is only allowed with streaming: true`);
		}
	}
	return { maxSteps, includeReturnMessageTypes, enableThinking, streaming, includePings };
}
