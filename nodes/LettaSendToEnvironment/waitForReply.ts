import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { LettaMessage, LettaResponse } from '../shared/api/messageSchemas';
import { contentText, listMessages } from '../shared/api/messages';
import { hasEnded, readRunResult, waitForRunEnd } from '../shared/api/runResult';
import { getRunStatus, REQUIRES_APPROVAL, type RunStatus } from '../shared/api/runs';
import { answeredToolCallIds, extractPendingApprovals } from '../shared/approvals/toolCalls';
import { pageOfList, paginate } from '../shared/transport/paginate';
import type { LettaClient } from '../shared/transport/request';

/**
 * Waiting for the reply to a fire-and-forget environment message: the agent's messages
 * land in the conversation a moment after the send, so the conversation is read from a
 * cursor taken just before sending until this message appears; then its run is waited on
 * with the same code as Send Agent Message's Background Run.
 */

/** What identifies the message that was sent, among whatever else lands in the conversation. */
export interface ReplyMarkers {
	otids: string[];
	toolCallIds: string[];
	/** User message texts: recognised when a server drops the otid. */
	texts: string[];
}

export interface ReplyProgress {
	/** Where the (last) message sent sits in `messages`; -1 until it appears. */
	anchorIndex: number;
	runId: string | null;
	/** The agent's messages answering it. */
	reply: LettaMessage[];
	/** The stop reason the messages alone suggest, for when the run cannot be read. */
	apparentStopReason: string | null;
}

const INBOUND_TYPES = ['user_message', 'approval_response_message'];

function isInbound(message: LettaMessage): boolean {
	return INBOUND_TYPES.includes(message.message_type);
}

function otidOf(message: LettaMessage): string | null {
	const { otid } = message as { otid?: unknown };
	return typeof otid === 'string' && otid ? otid : null;
}

function lastIndexWhere(
	messages: LettaMessage[],
	test: (message: LettaMessage) => boolean,
): number {
	for (let index = messages.length - 1; index >= 0; index--)
		if (test(messages[index])) return index;
	return -1;
}

/**
 * Finds the message sent among the conversation's new messages: by otid or answered
 * tool call id; failing that by its text; failing that by order (the first new inbound
 * message without an otid, as a server that drops client ids would store it).
 */
export function findSentMessage(messages: LettaMessage[], markers: ReplyMarkers): number {
	const byId = lastIndexWhere(
		messages,
		(message) =>
			isInbound(message) &&
			((otidOf(message) !== null && markers.otids.includes(otidOf(message) as string)) ||
				answeredToolCallIds(message).some((id) => markers.toolCallIds.includes(id))),
	);
	if (byId !== -1) return byId;
	const byText = lastIndexWhere(
		messages,
		(message) =>
			message.message_type === 'user_message' &&
			markers.texts.includes(contentText((message as { content?: unknown }).content)),
	);
	if (byText !== -1) return byText;
	return messages.findIndex((message) => isInbound(message) && otidOf(message) === null);
}

/** Where the reply stands, from the messages read so far. Pure: unit-tested without HTTP. */
export function assessReply(messages: LettaMessage[], markers: ReplyMarkers): ReplyProgress {
	const anchorIndex = findSentMessage(messages, markers);
	if (anchorIndex === -1) return { anchorIndex, runId: null, reply: [], apparentStopReason: null };
	const after: LettaMessage[] = [];
	for (const message of messages.slice(anchorIndex + 1)) {
		if (isInbound(message)) break; // the next turn, someone else's
		after.push(message);
	}
	const runId =
		messages[anchorIndex].run_id ?? after.find((message) => message.run_id)?.run_id ?? null;
	const reply = runId
		? after.filter((message) => !message.run_id || message.run_id === runId)
		: after;
	const apparentStopReason =
		extractPendingApprovals(reply).length > 0
			? REQUIRES_APPROVAL
			: reply.some((message) => message.message_type === 'assistant_message')
				? 'end_turn'
				: null;
	return { anchorIndex, runId, reply, apparentStopReason };
}

/** Which conversation to read: a conversation, or an agent's default one. */
export interface ConversationScope {
	agentId?: string;
	conversationId?: string;
}

const MESSAGE_PAGE_SIZE = 100;
const MAX_PAGES_PER_READ = 20;
const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 2_000;

export class ConversationReader {
	constructor(
		private readonly client: LettaClient,
		private readonly node: INode,
		private readonly scope: ConversationScope,
		private readonly itemIndex: number,
	) {}

	private get resource(): string {
		return this.scope.conversationId
			? `conversation ${this.scope.conversationId}`
			: `the default conversation of agent ${this.scope.agentId}`;
	}

	// Agent-direct mode for the default conversation: it holds that conversation only.
	private async page(qs: {
		order: 'asc' | 'desc';
		limit: number;
		after?: string;
	}): Promise<LettaMessage[]> {
		return await listMessages(this.client, this.scope, qs, {
			route: 'agentDirect',
			itemIndex: this.itemIndex,
			resource: this.resource,
			what: "the conversation's messages",
		});
	}

	/** The id of the newest message, the cursor the reply is read from (null: empty conversation). */
	async latestMessageId(): Promise<string | null> {
		const [latest] = await this.page({ order: 'desc', limit: 1 });
		return latest?.id ?? null;
	}

	/** Messages after `cursor`, oldest first. */
	async messagesAfter(cursor: string | null): Promise<LettaMessage[]> {
		const { items } = await paginate(
			async (after) =>
				pageOfList(
					await this.page({ order: 'asc', limit: MESSAGE_PAGE_SIZE, ...(after ? { after } : {}) }),
					MESSAGE_PAGE_SIZE,
				),
			{ maxPages: MAX_PAGES_PER_READ, after: cursor },
		);
		return items;
	}

	/**
	 * Waits for the run to end, as Background Run does, and reads its reply; undefined when
	 * the deadline or a cancellation came first.
	 */
	async waitOnRun(
		runId: string,
		deadline: number,
		cancelSignal?: AbortSignal,
	): Promise<ReplyResult | undefined> {
		const run = await waitForRunEnd(this.client, runId, deadline, this.itemIndex, cancelSignal);
		if (!hasEnded(run)) return undefined;
		return {
			response: await readRunResult(this.client, runId, { itemIndex: this.itemIndex }),
			agentId: run.agent_id ?? undefined,
		};
	}

	/** The run's status, or undefined when this server does not show the run. */
	async runStatus(runId: string): Promise<RunStatus | undefined> {
		try {
			return await getRunStatus(this.client, runId, this.itemIndex);
		} catch (error) {
			if (error instanceof NodeApiError && error.httpCode === '404') return undefined;
			throw error instanceof NodeApiError
				? error
				: new NodeOperationError(this.node, error as Error, { itemIndex: this.itemIndex });
		}
	}
}

export interface WaitOptions {
	timeoutMs: number;
	/** Described in the timeout error, so the user can find the message later. */
	sentDescription: string;
	cancelSignal?: AbortSignal;
}

export interface ReplyResult {
	response: LettaResponse;
	/** The agent that answered, as its run says (when the node was not told). */
	agentId?: string;
}

/**
 * Reads the conversation from `cursor` until the message sent appears; once its run is
 * known, waits on the run as every other wait does (Background Run's poll, then the run's
 * messages). A server that does not show runs is judged by the messages alone.
 */
export async function waitForReply(
	reader: ConversationReader,
	node: INode,
	itemIndex: number,
	cursor: string | null,
	markers: ReplyMarkers,
	options: WaitOptions,
): Promise<ReplyResult> {
	const deadline = Date.now() + options.timeoutMs;
	let delay = FIRST_POLL_MS;
	let seen = false;
	for (;;) {
		const progress = assessReply(await reader.messagesAfter(cursor), markers);
		if (progress.anchorIndex !== -1) {
			seen = true;
			const run = progress.runId ? await reader.runStatus(progress.runId) : undefined;
			const ended = run && (await reader.waitOnRun(run.id, deadline, options.cancelSignal));
			if (ended) return ended;
			if (progress.apparentStopReason) {
				return { response: replyResponse(progress.reply, progress.apparentStopReason) };
			}
		}
		checkWaitGoesOn(node, itemIndex, options, deadline, seen);
		await sleep(Math.min(delay, Math.max(deadline - Date.now(), 0)));
		delay = Math.min(Math.round(delay * 1.5), MAX_POLL_MS);
	}
}

/** Throws when the execution was cancelled or the Reply Timeout has passed. */
function checkWaitGoesOn(
	node: INode,
	itemIndex: number,
	options: WaitOptions,
	deadline: number,
	seen: boolean,
): void {
	if (options.cancelSignal?.aborted) {
		throw new NodeOperationError(
			node,
			`The execution was cancelled while waiting for the reply [item ${itemIndex}]`,
			{
				itemIndex,
				description: `The message was sent (${options.sentDescription}); the agent may still answer it in the conversation.`,
			},
		);
	}
	if (deadline - Date.now() > 0) return;
	throw new NodeOperationError(
		node,
		`No reply from the agent within ${Math.round(options.timeoutMs / 1000)} s [item ${itemIndex}]`,
		{
			itemIndex,
			description: `${
				seen
					? 'The message reached the conversation, but the agent had not finished answering it.'
					: 'The message has not appeared in the conversation yet: is Letta Code on the device processing messages?'
			} It was sent once (${options.sentDescription}) and not resent, so the agent may still answer it: read the conversation later, or raise "Reply Timeout".`,
		},
	);
}

function replyResponse(messages: LettaMessage[], stopReason: string): LettaResponse {
	return { messages, stop_reason: { message_type: 'stop_reason', stop_reason: stopReason } };
}
