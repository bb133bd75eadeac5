/**
 * Resuming a background stream: `POST /v1/runs/{run_id}/stream` (runs.py
 * retrieve_stream_for_run) and `POST /v1/conversations/{conversation_id}/stream`
 * (conversations.py retrieve_conversation_stream), both with RetrieveStreamRequest
 * (letta/schemas/letta_request.py): the run's chunks after `starting_after`, pings
 * when asked (include_pings defaults to true in the body).
 */
import { pipeRunStream, RECOVERY_POLL_DELAYS_MS } from './backgroundStreams';
import type { SimulatorContext } from './context';
import { isRecord, sleep } from './http';
import {
	NO_ACTIVE_RUNS,
	REDIS_REQUIRED,
	RUN_NOT_BACKGROUND,
	RUN_STREAM_EXPIRED,
	UNKNOWN_ERROR,
	detailError,
	noRunForOtid,
	runNotFound,
} from './lettaErrors';
import type { Router } from './router';
import type { RunRecord } from './types';

/** Redis keeps a run's stream (and Letta serves it) for 3 hours. */
const STREAM_TTL_MS = 3 * 60 * 60 * 1000;

interface RetrieveStreamBody {
	agentId: string | null;
	runId: string | null;
	otid: string | null;
	startingAfter: number;
	includePings: boolean;
}

function readBody(body: unknown): RetrieveStreamBody | null {
	if (!isRecord(body)) return null;
	const text = (name: string): string | null =>
		typeof body[name] === 'string' ? (body[name] as string) : null;
	return {
		agentId: text('agent_id'),
		runId: text('run_id'),
		otid: text('otid'),
		startingAfter: typeof body.starting_after === 'number' ? body.starting_after : 0,
		includePings: body.include_pings === undefined ? true : body.include_pings === true,
	};
}

function requireRun(ctx: SimulatorContext, runId: string): RunRecord {
	const run = ctx.store.runs.get(runId);
	if (!run) throw detailError(404, runNotFound(runId));
	return run;
}

function checkNotExpired(run: RunRecord): void {
	if (Date.parse(run.createdAt) < Date.now() - STREAM_TTL_MS)
		throw detailError(410, RUN_STREAM_EXPIRED);
}

export function registerStreamRoutes(router: Router, ctx: SimulatorContext): void {
	router.add('POST', '/v1/runs/{run_id}/stream', (rc) => {
		const body = readBody(rc.body);
		const run = requireRun(ctx, rc.params.run_id);
		if (!run.background) throw detailError(400, RUN_NOT_BACKGROUND);
		checkNotExpired(run);
		if (!ctx.longRuns.settings.redis) throw detailError(503, REDIS_REQUIRED);
		// Body(None) then `request.starting_after`: Letta fails on a request without a body.
		if (body === null) throw detailError(500, UNKNOWN_ERROR);
		return pipeRunStream(ctx, rc.res, run.id, body.startingAfter, body.includePings);
	});

	router.add('POST', '/v1/conversations/{conversation_id}/stream', async (rc) => {
		if (!ctx.longRuns.settings.redis) throw detailError(503, REDIS_REQUIRED);
		const body = readBody(rc.body);
		const conversationId = rc.params.conversation_id;
		let run: RunRecord;
		if (body?.runId) {
			run = requireRun(ctx, body.runId);
		} else if (body?.otid) {
			let runId: string | undefined;
			for (const delay of RECOVERY_POLL_DELAYS_MS) {
				runId = ctx.longRuns.otidRuns.get(body.otid);
				if (runId) break;
				await sleep(delay);
			}
			if (!runId) throw detailError(404, noRunForOtid(body.otid));
			run = requireRun(ctx, runId);
		} else {
			// The most recent active run: of the agent (agent-direct mode) or of the conversation.
			const agentId =
				conversationId === 'default' && body?.agentId
					? body.agentId
					: conversationId.startsWith('agent-')
						? conversationId
						: null;
			const active = [...ctx.store.runs.values()]
				.filter((candidate) => candidate.status === 'created' || candidate.status === 'running')
				.filter((candidate) =>
					agentId !== null
						? candidate.agentId === agentId
						: candidate.conversationId === conversationId,
				)
				.sort((a, b) => b.sequence - a.sequence);
			if (active.length === 0) throw detailError(400, NO_ACTIVE_RUNS);
			run = active[0];
			if (!run.background) throw detailError(400, RUN_NOT_BACKGROUND);
		}
		checkNotExpired(run);
		return pipeRunStream(
			ctx,
			rc.res,
			run.id,
			body?.startingAfter ?? 0,
			body?.includePings ?? false,
		);
	});
}
