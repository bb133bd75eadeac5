/** `/v1/runs/...`: one Run per message request, with Letta's list filters. */
import type { SimulatorContext } from './context';
import { isRecord } from './http';
import { detailError, noActiveRunsToCancel, runNotFound } from './lettaErrors';
import { requireAgent } from './messageRoutes';
import { paginate, queryBoolean, queryEnum, queryInteger, queryList, queryString } from './query';
import type { Router } from './router';
import { STOP_REASONS, type RunRecord } from './types';
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
			.filter((run) => !activeOnly || isActive(run))
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

	const requireRun = (runId: string): RunRecord => {
		const run = store.runs.get(runId);
		if (!run) throw detailError(404, runNotFound(runId));
		return run;
	};

	router.add('GET', '/v1/runs/{run_id}', (rc) => ({ body: toRun(requireRun(rc.params.run_id)) }));

	/** run_manager.get_run_messages: the run's messages, oldest first unless order=desc. */
	router.add('GET', '/v1/runs/{run_id}/messages', (rc) => {
		const run = requireRun(rc.params.run_id);
		const order = queryEnum(rc.query, 'order', ['asc', 'desc'] as const, 'asc');
		const limit = queryInteger(rc.query, 'limit', 100, 1);
		const messages = [...store.history.values()]
			.flat()
			.filter((message) => message.run_id === run.id);
		if (order === 'desc') messages.reverse();
		return {
			body: paginate(
				messages,
				queryString(rc.query, 'after'),
				queryString(rc.query, 'before'),
				limit,
			),
		};
	});

	/** run_manager.get_run_usage sums the run's steps; the route answers UsageStatistics' fields. */
	router.add('GET', '/v1/runs/{run_id}/usage', (rc) => {
		const tokens = requireRun(rc.params.run_id).tokens ?? { prompt: 0, completion: 0, steps: 0 };
		return {
			body: {
				completion_tokens: tokens.completion,
				prompt_tokens: tokens.prompt,
				total_tokens: tokens.prompt + tokens.completion,
				prompt_tokens_details: null,
				completion_tokens_details: null,
			},
		};
	});

	/**
	 * agents.py cancel_message: the runs named (or, with none, the agent's active runs; none
	 * is 409). Each answers "cancelled" or "failed" (an unknown run); a run that already ended
	 * stays as it was but still answers "cancelled" (run_manager.cancel_run is a no-op then).
	 * Cancelling the run that asks for an approval ends the pending approval.
	 */
	router.add('POST', '/v1/agents/{agent_id}/messages/cancel', (rc) => {
		const agent = requireAgent(ctx, rc.params.agent_id);
		const named =
			isRecord(rc.body) && Array.isArray(rc.body.run_ids)
				? rc.body.run_ids.filter((id): id is string => typeof id === 'string')
				: [];
		const runIds =
			named.length > 0
				? named
				: [...store.runs.values()]
						.filter((run) => run.agentId === agent.id && isActive(run))
						.map((run) => run.id);
		if (runIds.length === 0) throw detailError(409, noActiveRunsToCancel(agent.id));
		const results: Record<string, 'cancelled' | 'failed'> = {};
		for (const runId of runIds) {
			const run = store.runs.get(runId);
			if (!run) {
				results[runId] = 'failed';
				continue;
			}
			if (run.stopReason === null || run.stopReason === 'requires_approval') cancelRun(run);
			results[runId] = 'cancelled';
		}
		return { body: results };
	});

	const cancelRun = (run: RunRecord): void => {
		const scope = { agentId: run.agentId, conversationId: run.conversationId };
		if (store.getPendingApproval(scope)?.runId === run.id) store.clearPendingApproval(scope);
		run.status = 'cancelled';
		run.stopReason = 'cancelled';
		run.completedAt = new Date().toISOString();
		run.durationMs = Date.parse(run.completedAt) - Date.parse(run.createdAt);
	};
}

function isActive(run: RunRecord): boolean {
	return run.status === 'created' || run.status === 'running';
}
