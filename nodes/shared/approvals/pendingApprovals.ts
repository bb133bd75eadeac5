import type { IDataObject } from 'n8n-workflow';

import {
	AGENT_APPROVAL_INCLUDE,
	getAgentWithApproval,
	listAgents,
	type AgentSummary,
} from '../api/agents';
import type { LettaMessage } from '../api/messageSchemas';
import { listMessages } from '../api/messages';
import { listRuns, REQUIRES_APPROVAL, RUN_PAGE_SIZE, type RunSummary } from '../api/runs';
import { pageOfList, paginate, type Paginated } from '../transport/paginate';
import type { LettaClient } from '../transport/request';
import { extractPendingApprovals, type PendingToolCall } from './toolCalls';

/**
 * Finding the tool approvals agents are waiting on, without having sent the message
 * that caused them. Letta shows a pending approval in three places, each partial:
 * the agent listing (`last_stop_reason` + `include=agent.pending_approval`, default
 * conversation only), the runs listing (`stop_reason=requires_approval`, which a run
 * keeps after it was answered) and a conversation's messages. Candidates from the
 * listings are always confirmed against live state before they count as pending.
 */

/** Where an approval was asked: an agent's default conversation (null) or one conversation. */
export interface ApprovalScope {
	agentId: string;
	conversationId: string | null;
}

/** One approval request still waiting for a human, with every tool call it covers. */
export interface PendingApprovalRequest {
	agentId: string;
	agentName: string | null;
	conversationId: string | null;
	runId: string | null;
	approvalRequestId: string | null;
	/** The request message's `date` (ISO 8601), when Letta gave one. */
	requestedAt: string | null;
	toolCalls: PendingToolCall[];
}

const APPROVAL_MESSAGE_TYPES = ['approval_request_message', 'approval_response_message'];
/** Newest approval messages read to confirm a conversation's state: a pending request blocks new ones. */
export const APPROVAL_HISTORY_LIMIT = 50;
export const AGENT_PAGE_SIZE = 100;
/** Pages read from one listing in one poll at most, so a runaway listing cannot loop forever. */
export const MAX_PAGES = 50;

export function scopeKey(scope: ApprovalScope): string {
	return `${scope.agentId}/${scope.conversationId ?? 'default'}`;
}

/** Identifies an approval request across sources and polls: its scope and its tool call ids. */
export function approvalKey(
	request: Pick<PendingApprovalRequest, 'agentId' | 'conversationId' | 'toolCalls'>,
): string {
	const ids = request.toolCalls.map((call) => call.tool_call_id).sort();
	return `${scopeKey(request)}/${ids.join(',')}`;
}

export function describeScope(scope: ApprovalScope): string {
	return scope.conversationId
		? `conversation ${scope.conversationId} of agent ${scope.agentId}`
		: `agent ${scope.agentId} (default conversation)`;
}

function stringField(value: unknown): string | null {
	return typeof value === 'string' && value.length > 0 ? value : null;
}

/** Reads an approval_request_message into a request; null when it names no tool call. */
export function approvalRequestFromMessage(
	message: unknown,
	scope: ApprovalScope,
	agentName: string | null = null,
): PendingApprovalRequest | null {
	if (!message || typeof message !== 'object') return null;
	const typed = message as LettaMessage & { date?: unknown };
	if (typed.message_type !== undefined && typed.message_type !== 'approval_request_message')
		return null;
	const toolCalls = extractPendingApprovals([
		{ ...typed, message_type: 'approval_request_message' },
	]);
	if (toolCalls.length === 0) return null;
	return {
		agentId: scope.agentId,
		agentName,
		conversationId: scope.conversationId,
		runId: stringField(typed.run_id),
		approvalRequestId: stringField(typed.id),
		requestedAt: stringField(typed.date),
		toolCalls,
	};
}

/**
 * The approval request still unanswered in a conversation's history (oldest first),
 * or null. If several were left unanswered, the newest one is what Letta waits on.
 */
export function pendingRequestInHistory(
	messages: LettaMessage[],
	scope: ApprovalScope,
	agentName: string | null = null,
): PendingApprovalRequest | null {
	const pending = extractPendingApprovals(messages);
	if (pending.length === 0) return null;
	const newestRequestId = pending[pending.length - 1].approval_request_id;
	const message = [...messages]
		.reverse()
		.find(
			(candidate) =>
				candidate.message_type === 'approval_request_message' && candidate.id === newestRequestId,
		);
	const request = approvalRequestFromMessage(message, scope, agentName);
	if (!request) return null;
	// Only the calls still unanswered (a message could carry calls answered one by one).
	const open = new Set(pending.map((call) => call.tool_call_id));
	request.toolCalls = request.toolCalls.filter((call) => open.has(call.tool_call_id));
	return request.toolCalls.length ? request : null;
}

/** The answers already given to some of these tool calls, newest response first; empty when none. */
export function answersInHistory(messages: LettaMessage[], toolCallIds: string[]): IDataObject[] {
	const wanted = new Set(toolCallIds);
	const answers: IDataObject[] = [];
	for (const message of [...messages].reverse()) {
		if (message.message_type !== 'approval_response_message') continue;
		const { approvals } = message as { approvals?: unknown };
		if (!Array.isArray(approvals)) continue;
		for (const approval of approvals as IDataObject[]) {
			if (
				approval &&
				typeof approval.tool_call_id === 'string' &&
				wanted.has(approval.tool_call_id)
			) {
				answers.push({ ...approval, answered_at: (message as { date?: unknown }).date ?? null });
			}
		}
	}
	return answers;
}

/**
 * The newest requires_approval run of each (agent, conversation): only it can still be
 * pending, because a pending approval blocks every later run of its conversation.
 * `runs` are newest first, as the listing returns them.
 */
export function newestApprovalRunPerScope(
	runs: RunSummary[],
): Array<{ scope: ApprovalScope; runId: string }> {
	const newest = new Map<string, { scope: ApprovalScope; runId: string }>();
	for (const run of runs) {
		if (!run.agent_id || (run.stop_reason ?? REQUIRES_APPROVAL) !== REQUIRES_APPROVAL) continue;
		const scope = { agentId: run.agent_id, conversationId: run.conversation_id || null };
		const key = scopeKey(scope);
		if (!newest.has(key)) newest.set(key, { scope, runId: run.id });
	}
	return [...newest.values()];
}

/** Stops a poll from reading more when n8n's poll budget is nearly spent. */
export interface PollBudget {
	exhausted(): boolean;
}

export const UNLIMITED_BUDGET: PollBudget = { exhausted: () => false };

/** Reads a scope's newest approval messages, oldest first. */
export async function readApprovalHistory(
	client: LettaClient,
	scope: ApprovalScope,
	itemIndex?: number,
): Promise<LettaMessage[]> {
	const page = await listMessages(
		client,
		scope,
		{
			order: 'desc',
			limit: APPROVAL_HISTORY_LIMIT,
			include_return_message_types: APPROVAL_MESSAGE_TYPES,
		},
		{ itemIndex },
	);
	return [...page].reverse();
}

function matchesTags(tags: string[], filter: { tags: string[]; matchAllTags: boolean }): boolean {
	if (filter.tags.length === 0) return true;
	return filter.matchAllTags
		? filter.tags.every((tag) => tags.includes(tag))
		: filter.tags.some((tag) => tags.includes(tag));
}

/**
 * What a scope is waiting on right now, confirmed against live state: the agent's
 * `pending_approval` for its default conversation, the message history for a conversation.
 */
export async function readPendingApproval(
	client: LettaClient,
	scope: ApprovalScope,
	{ agentName = null, itemIndex }: { agentName?: string | null; itemIndex?: number } = {},
): Promise<PendingApprovalRequest | null> {
	if (!scope.conversationId) {
		const agent = await getAgentWithApproval(client, scope.agentId, itemIndex);
		return approvalRequestFromMessage(agent.pending_approval, scope, agent.name ?? agentName);
	}
	return pendingRequestInHistory(
		await readApprovalHistory(client, scope, itemIndex),
		scope,
		agentName,
	);
}

/** Where the trigger looks. */
export type WatchScope =
	| {
			kind: 'allAgents';
			tags: string[];
			matchAllTags: boolean;
			agentIds: string[];
			includeConversations: boolean;
	  }
	| { kind: 'agent'; agentId: string; includeConversations: boolean }
	| { kind: 'conversations'; agentId: string; conversationId: string | null };

export interface Discovery {
	/** Confirmed pending, one per approval request. */
	pending: PendingApprovalRequest[];
	/**
	 * scopeKey -> id of its newest requires_approval run, confirmed answered: that run
	 * cannot become pending again, so later polls skip re-confirming it.
	 */
	answeredRuns: Record<string, string>;
	/** False when the poll budget ran out before every candidate was read. */
	complete: boolean;
}

/** Reads a listing page by page while the poll budget lasts. */
async function readListing<T extends { id: string }>(
	readPage: (limit: number, after: string | undefined) => Promise<T[]>,
	pageSize: number,
	budget: PollBudget,
): Promise<Paginated<T>> {
	return await paginate(async (after) => pageOfList(await readPage(pageSize, after), pageSize), {
		maxPages: MAX_PAGES,
		stopBefore: () => budget.exhausted(),
	});
}

/**
 * Finds every approval request pending in the watched scope. Reads only; throws on
 * the first request that fails (after the transport's retries), so a poll never acts
 * on half a picture. `answeredRuns` from earlier polls saves re-confirming old runs.
 */
export async function discoverPendingApprovals(
	client: LettaClient,
	watch: WatchScope,
	answeredRuns: Record<string, string>,
	budget: PollBudget = UNLIMITED_BUDGET,
): Promise<Discovery> {
	const found = new Map<string, PendingApprovalRequest>();
	const agentNames = new Map<string, string | null>();
	const agentTags = new Map<string, string[]>();
	const nextAnswered: Record<string, string> = {};
	let complete = true;
	const add = (request: PendingApprovalRequest | null) => {
		if (request && !found.has(scopeKey(request))) found.set(scopeKey(request), request);
	};
	const remember = (agent: AgentSummary) => {
		agentNames.set(agent.id, agent.name ?? null);
		agentTags.set(agent.id, agent.tags ?? []);
	};

	// Default conversations: the agent records say it directly.
	if (watch.kind === 'allAgents') {
		// Tags are matched here rather than with the `tags` filter: the listing is already
		// narrowed to blocked agents, and the agents' tags come along with `include`.
		const listing = await readListing(
			async (limit, after) =>
				await listAgents(client, {
					last_stop_reason: REQUIRES_APPROVAL,
					include: AGENT_APPROVAL_INCLUDE,
					limit,
					...(after ? { after } : {}),
				}),
			AGENT_PAGE_SIZE,
			budget,
		);
		complete &&= listing.complete;
		for (const agent of listing.items) {
			remember(agent);
			if (watch.agentIds.length && !watch.agentIds.includes(agent.id)) continue;
			if (!matchesTags(agent.tags ?? [], watch)) continue;
			add(
				approvalRequestFromMessage(
					agent.pending_approval,
					{ agentId: agent.id, conversationId: null },
					agent.name ?? null,
				),
			);
		}
	} else if (watch.kind === 'agent') {
		const agent = await getAgentWithApproval(client, watch.agentId);
		remember(agent);
		add(
			approvalRequestFromMessage(
				agent.pending_approval,
				{ agentId: agent.id, conversationId: null },
				agent.name ?? null,
			),
		);
	}

	// Conversations: candidates from the runs listing, each confirmed.
	if (watch.kind === 'conversations' || watch.includeConversations) {
		const runQueries: IDataObject[] =
			watch.kind === 'allAgents'
				? watch.agentIds.length
					? watch.agentIds.map((agentId) => ({ agent_id: agentId }))
					: [{}]
				: [
						{
							agent_id: watch.agentId,
							...(watch.kind === 'conversations' && watch.conversationId
								? { conversation_id: watch.conversationId }
								: {}),
						},
					];
		const runs: RunSummary[] = [];
		for (const query of runQueries) {
			const listing = await readListing(
				async (limit, after) =>
					await listRuns(client, {
						...query,
						stop_reason: REQUIRES_APPROVAL,
						order: 'desc',
						limit,
						...(after ? { after } : {}),
					}),
				RUN_PAGE_SIZE,
				budget,
			);
			complete &&= listing.complete;
			runs.push(...listing.items);
		}
		for (const { scope, runId } of newestApprovalRunPerScope(runs)) {
			const key = scopeKey(scope);
			if (watch.kind === 'conversations' && !scope.conversationId) continue;
			if (found.has(key)) continue;
			// Answered when last seen: Letta never reopens a run's approval.
			if (answeredRuns[key] === runId) {
				nextAnswered[key] = runId;
				continue;
			}
			if (budget.exhausted()) {
				complete = false;
				break;
			}
			if (watch.kind === 'allAgents' && watch.tags.length) {
				if (!agentTags.has(scope.agentId))
					remember(await getAgentWithApproval(client, scope.agentId));
				if (!matchesTags(agentTags.get(scope.agentId) ?? [], watch)) continue;
			}
			let request: PendingApprovalRequest | null;
			if (!scope.conversationId) {
				const agent = await getAgentWithApproval(client, scope.agentId);
				remember(agent);
				request = approvalRequestFromMessage(agent.pending_approval, scope, agent.name ?? null);
			} else {
				request = pendingRequestInHistory(await readApprovalHistory(client, scope), scope);
			}
			if (request) add(request);
			else nextAnswered[key] = runId;
		}
	}

	// Names for requests found in conversations, one agent read each.
	for (const request of found.values()) {
		if (request.agentName) continue;
		if (!agentNames.has(request.agentId)) {
			if (budget.exhausted()) break;
			remember(await getAgentWithApproval(client, request.agentId));
		}
		request.agentName = agentNames.get(request.agentId) ?? null;
	}

	return { pending: [...found.values()], answeredRuns: nextAnswered, complete };
}
