/** `/v1/conversations/...`: listing, creating, and sending to / reading a conversation. */
import type { SimulatorContext } from './context';
import { isRecord } from './http';
import { conversationNotFound, detailError, validationError } from './lettaErrors';
import { listScopeMessages, requireAgent, sendToScope } from './messageRoutes';
import { paginate, queryEnum, queryInteger, queryString } from './query';
import { parseSendRequest } from './requestBody';
import type { RequestContext, Router } from './router';
import type { AgentRecord, ConversationRecord, Scope } from './types';
import { toConversation } from './views';

/**
 * The path id is a conversation id, or agent-direct mode: `default` with an agent_id, or
 * (deprecated) an agent id. Letta reads agent_id only for `default` (conversations.py).
 */
function resolveConversation(
	ctx: SimulatorContext,
	conversationId: string,
	agentId: string | null,
): { agent: AgentRecord; scope: Scope; agentDirect: boolean } {
	const directAgentId =
		conversationId === 'default' && agentId !== null
			? agentId
			: conversationId.startsWith('agent-')
				? conversationId
				: null;
	if (directAgentId !== null) {
		const agent = requireAgent(ctx, directAgentId);
		return { agent, scope: { agentId: agent.id, conversationId: null }, agentDirect: true };
	}
	const conversation = requireConversation(ctx, conversationId);
	return {
		agent: requireAgent(ctx, conversation.agentId),
		scope: { agentId: conversation.agentId, conversationId },
		agentDirect: false,
	};
}

function requireConversation(ctx: SimulatorContext, conversationId: string): ConversationRecord {
	const conversation = ctx.store.conversations.get(conversationId);
	if (!conversation) throw detailError(404, conversationNotFound(conversationId));
	return conversation;
}

/** UpdateConversation: only the fields sent change (summary, model, last_message_at). */
function applyConversationUpdate(conversation: ConversationRecord, body: unknown): void {
	if (!isRecord(body))
		throw validationError([
			{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type', input: body },
		]);
	if (typeof body.summary === 'string' || body.summary === null)
		conversation.summary = body.summary;
	if (typeof body.model === 'string' || body.model === null) conversation.model = body.model;
	if (typeof body.last_message_at === 'string' || body.last_message_at === null)
		conversation.lastMessageAt = body.last_message_at;
	conversation.updatedAt = new Date().toISOString();
}

export function registerConversationRoutes(router: Router, ctx: SimulatorContext): void {
	const { store } = ctx;

	router.add('GET', '/v1/conversations/', (rc) => {
		const agentId = queryString(rc.query, 'agent_id');
		const limit = queryInteger(rc.query, 'limit', 50, 1);
		const order = queryEnum(rc.query, 'order', ['asc', 'desc'] as const, 'desc');
		const search = queryString(rc.query, 'summary_search')?.toLowerCase() ?? null;
		const matching = [...store.conversations.values()]
			.filter((conversation) => agentId === null || conversation.agentId === agentId)
			.filter(
				(conversation) =>
					search === null || (conversation.summary ?? '').toLowerCase().includes(search),
			)
			.sort((a, b) => a.sequence - b.sequence);
		if (order === 'desc') matching.reverse();
		return {
			body: paginate(matching, queryString(rc.query, 'after'), null, limit).map(toConversation),
		};
	});

	router.add('POST', '/v1/conversations/', (rc: RequestContext) => {
		const agentId = queryString(rc.query, 'agent_id');
		if (agentId === null)
			throw validationError([
				{ loc: ['query', 'agent_id'], msg: 'Field required', type: 'missing', input: null },
			]);
		const agent = requireAgent(ctx, agentId);
		const body = rc.body === undefined ? {} : rc.body;
		if (!isRecord(body))
			throw validationError([
				{
					loc: ['body'],
					msg: 'Input should be a valid dictionary',
					type: 'dict_type',
					input: body,
				},
			]);
		const now = new Date().toISOString();
		const conversation = {
			id: store.ids.prefixed('conv'),
			agentId: agent.id,
			summary: typeof body.summary === 'string' ? body.summary : null,
			createdAt: now,
			updatedAt: now,
			lastMessageAt: null,
			model: null,
			sequence: store.nextSequence(),
		};
		store.conversations.set(conversation.id, conversation);
		return { body: toConversation(conversation) };
	});

	router.add('GET', '/v1/conversations/{conversation_id}', (rc) => ({
		body: toConversation(requireConversation(ctx, rc.params.conversation_id)),
	}));

	router.add('PATCH', '/v1/conversations/{conversation_id}', (rc) => {
		const conversation = requireConversation(ctx, rc.params.conversation_id);
		applyConversationUpdate(conversation, rc.body);
		return { body: toConversation(conversation) };
	});

	router.add('POST', '/v1/conversations/{conversation_id}/messages', async (rc) => {
		const request = parseSendRequest(rc.body, 'conversation');
		const { agent, scope, agentDirect } = resolveConversation(
			ctx,
			rc.params.conversation_id,
			request.agentId,
		);
		return sendToScope(
			ctx,
			rc,
			agent,
			scope,
			agentDirect ? 'agentDirect' : 'conversation',
			request,
		);
	});

	router.add('GET', '/v1/conversations/{conversation_id}/messages', (rc) => {
		const { scope } = resolveConversation(
			ctx,
			rc.params.conversation_id,
			queryString(rc.query, 'agent_id'),
		);
		return listScopeMessages(ctx, rc, scope);
	});
}
