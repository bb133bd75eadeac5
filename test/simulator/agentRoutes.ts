/** `/v1/agents/...`: listing and reading agents, and their default conversation's messages. */
import type { SimulatorContext } from './context';
import { SIMULATOR_PROJECT_ID } from './fixtures';
import { conversationNotFound, detailError } from './lettaErrors';
import { listScopeMessages, requireAgent, sendToScope } from './messageRoutes';
import { paginate, queryBoolean, queryEnum, queryInteger, queryList, queryString } from './query';
import { parseSendRequest } from './requestBody';
import type { Router } from './router';
import { STOP_REASONS, type AgentRecord, type Scope } from './types';
import { toAgentState } from './views';

const PENDING_APPROVAL_INCLUDE = 'agent.pending_approval';

function defaultScope(agentId: string): Scope {
	return { agentId, conversationId: null };
}

export function registerAgentRoutes(router: Router, ctx: SimulatorContext): void {
	const { store } = ctx;

	/** pending_approval is filled only on request, and only from the default conversation. */
	const agentView = (agent: AgentRecord, include: string[]) => {
		const pending = include.includes(PENDING_APPROVAL_INCLUDE)
			? store.getPendingApproval(defaultScope(agent.id))
			: undefined;
		return toAgentState(agent, pending ? pending.request : null);
	};

	router.add('GET', '/v1/agents/', (rc) => {
		const limit = queryInteger(rc.query, 'limit', 50, 1);
		const order = queryEnum(rc.query, 'order', ['asc', 'desc'] as const, 'desc');
		const orderBy = queryEnum(
			rc.query,
			'order_by',
			['created_at', 'updated_at', 'last_run_completion'] as const,
			'created_at',
		);
		const name = queryString(rc.query, 'name');
		const queryText = queryString(rc.query, 'query_text')?.toLowerCase() ?? null;
		const tags = queryList(rc.query, 'tags');
		const matchAllTags = queryBoolean(rc.query, 'match_all_tags', false);
		const lastStopReason = queryEnum(rc.query, 'last_stop_reason', STOP_REASONS, null);
		const projectId = queryString(rc.query, 'project_id');
		const sortKey = (agent: AgentRecord): string =>
			orderBy === 'created_at'
				? agent.createdAt
				: orderBy === 'updated_at'
					? agent.updatedAt
					: (agent.lastRunCompletion ?? '');
		const matching = [...store.agents.values()]
			.filter((agent) => name === null || agent.name === name)
			.filter((agent) => queryText === null || agent.name.toLowerCase().includes(queryText))
			.filter(
				(agent) =>
					tags.length === 0 ||
					(matchAllTags
						? tags.every((tag) => agent.tags.includes(tag))
						: tags.some((tag) => agent.tags.includes(tag))),
			)
			.filter((agent) => lastStopReason === null || agent.lastStopReason === lastStopReason)
			.filter(() => projectId === null || projectId === SIMULATOR_PROJECT_ID)
			.sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || a.id.localeCompare(b.id));
		if (order === 'desc') matching.reverse();
		const page = paginate(
			matching,
			queryString(rc.query, 'after'),
			queryString(rc.query, 'before'),
			limit,
		);
		const include = queryList(rc.query, 'include');
		return { body: page.map((agent) => agentView(agent, include)) };
	});

	router.add('GET', '/v1/agents/{agent_id}', (rc) => {
		const agent = requireAgent(ctx, rc.params.agent_id);
		return { body: agentView(agent, queryList(rc.query, 'include')) };
	});

	router.add('POST', '/v1/agents/{agent_id}/messages', async (rc) => {
		const agent = requireAgent(ctx, rc.params.agent_id);
		const request = parseSendRequest(rc.body, 'agent');
		return sendToScope(ctx, rc, agent, defaultScope(agent.id), 'agent', request);
	});

	router.add('GET', '/v1/agents/{agent_id}/messages', (rc) => {
		const agent = requireAgent(ctx, rc.params.agent_id);
		const conversationId = queryString(rc.query, 'conversation_id');
		if (conversationId !== null && conversationId !== 'default') {
			const conversation = store.conversations.get(conversationId);
			if (!conversation || conversation.agentId !== agent.id) {
				throw detailError(404, conversationNotFound(conversationId));
			}
			return listScopeMessages(ctx, rc, { agentId: agent.id, conversationId });
		}
		return listScopeMessages(ctx, rc, defaultScope(agent.id));
	});
}
