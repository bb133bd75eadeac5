/** `/v1/runs/...`: one Run per message request, with Letta's list filters. */
import type { SimulatorContext } from './context';
import { detailError, runNotFound } from './lettaErrors';
import { paginate, queryBoolean, queryEnum, queryInteger, queryList, queryString } from './query';
import type { Router } from './router';
import { STOP_REASONS } from './types';
import { toRun } from './views';

export function registerRunRoutes(router: Router, ctx: SimulatorContext): void {
	const { store } = ctx;

	router.add('GET', '/v1/runs/', (rc) => {
		const agentIds = [
			queryString(rc.query, 'agent_id'),
			...queryList(rc.query, 'agent_ids'),
		].filter((id): id is string => id !== null);
		const conversationId = queryString(rc.query, 'conversation_id');
		const stopReason = queryEnum(rc.query, 'stop_reason', STOP_REASONS, null);
		const statuses = queryList(rc.query, 'statuses');
		const activeOnly = queryBoolean(rc.query, 'active', false);
		const limit = queryInteger(rc.query, 'limit', 100, 1);
		const order = queryEnum(rc.query, 'order', ['asc', 'desc'] as const, 'desc');
		const matching = [...store.runs.values()]
			.filter((run) => agentIds.length === 0 || agentIds.includes(run.agentId))
			.filter((run) => conversationId === null || run.conversationId === conversationId)
			.filter((run) => stopReason === null || run.stopReason === stopReason)
			.filter((run) => statuses.length === 0 || statuses.includes(run.status))
			.filter((run) => !activeOnly || run.status === 'created' || run.status === 'running')
			.sort((a, b) => a.sequence - b.sequence);
		if (order === 'desc') matching.reverse();
		const page = paginate(
			matching,
			queryString(rc.query, 'after'),
			queryString(rc.query, 'before'),
			limit,
		);
		return { body: page.map(toRun) };
	});

	router.add('GET', '/v1/runs/{run_id}', (rc) => {
		const run = store.runs.get(rc.params.run_id);
		if (!run) throw detailError(404, runNotFound(rc.params.run_id));
		return { body: toRun(run) };
	});
}
