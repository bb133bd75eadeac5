/**
 * `POST /v1/agents/{agent_id}/messages/async` (letta/server/rest_api/routers/v1/agents.py
 * send_message_async): the Run comes back at once (status `created`, background, metadata
 * `{run_type: 'send_message_async', lettuce: false}`); the turn runs in a task of its own on
 * the agent's default conversation, without a lock. Letta's background task never sets the
 * run `running`: it stays `created` until it ends `completed` (or `failed` with
 * metadata.error). Then the callback, if the request named a callback_url (callbacks.ts).
 */
import { dispatchCallback } from './callbacks';
import type { SimulatorContext } from './context';
import { prepareTurn } from './conversationTurn';
import { HttpError, isRecord } from './http';
import { refusalText, validationError } from './lettaErrors';
import { requireAgent } from './messageRoutes';
import { parseSendRequest } from './requestBody';
import type { Router } from './router';
import type { LettaResponseBody, MessageType, RunRecord, Scope } from './types';
import { toRun } from './views';

/** LettaUsageStatistics() with nothing counted: a run that failed before any step. */
function emptyUsage(): LettaResponseBody['usage'] {
	return {
		message_type: 'usage_statistics',
		completion_tokens: 0,
		prompt_tokens: 0,
		total_tokens: 0,
		step_count: 0,
		run_ids: [],
		cached_input_tokens: null,
		cache_write_tokens: null,
		reasoning_tokens: null,
		context_tokens: null,
	};
}

/**
 * The callback's `metadata.result`: the run's messages (its input included, as
 * get_run_messages lists them, filtered by the request's include_return_message_types),
 * its stop reason and usage.
 */
function runResult(
	ctx: SimulatorContext,
	scope: Scope,
	run: RunRecord,
	types: MessageType[] | null,
	usage: LettaResponseBody['usage'],
): LettaResponseBody {
	const messages = ctx.store
		.getHistory(scope)
		.filter((message) => message.run_id === run.id)
		.filter((message) => types === null || types.includes(message.message_type));
	return {
		messages,
		stop_reason: { message_type: 'stop_reason', stop_reason: run.stopReason ?? 'end_turn' },
		usage,
	};
}

function callbackUrl(body: unknown): string | null {
	if (!isRecord(body) || body.callback_url === undefined || body.callback_url === null) return null;
	if (typeof body.callback_url === 'string') return body.callback_url;
	throw validationError([
		{
			loc: ['body', 'callback_url'],
			msg: 'Input should be a valid string',
			type: 'string_type',
			input: body.callback_url,
		},
	]);
}

export function registerAsyncRoutes(router: Router, ctx: SimulatorContext): void {
	router.add('POST', '/v1/agents/{agent_id}/messages/async', (rc) => {
		const request = parseSendRequest(rc.body, 'agent');
		const url = callbackUrl(rc.body);
		const agent = requireAgent(ctx, rc.params.agent_id);
		const scope: Scope = { agentId: agent.id, conversationId: null };
		const prepared = prepareTurn(ctx, agent, scope, request.payload, request.options, {
			lock: false,
			requestSequence: rc.requestSequence,
		});
		const run = prepared.kind === 'run' ? prepared.run : ctx.store.createRun(scope);
		run.status = 'created';
		run.background = true;
		run.metadata = { run_type: 'send_message_async', lettuce: false };
		if (url !== null) run.callback = { url, sentAt: null, statusCode: null, error: null };
		const view = toRun(run);
		const types = request.options.includeReturnMessageTypes;
		ctx.schedule(0, () => {
			const finish = async (): Promise<void> => {
				let usage = emptyUsage();
				if (prepared.kind === 'refused') {
					// PendingApprovalError in _process_message_background: failed, error recorded.
					ctx.store.failRun(run, 'error');
					run.metadata = { ...run.metadata, error: refusalText(prepared.refusal) };
				} else {
					try {
						usage = (await prepared.execute()).usage;
					} catch (error) {
						if (ctx.store.runs.get(run.id) !== run) return;
						ctx.store.failRun(run, 'error');
						const detail = error instanceof HttpError ? JSON.stringify(error.body) : String(error);
						run.metadata = { ...run.metadata, error: detail };
					}
				}
				await dispatchCallback(ctx, run, runResult(ctx, scope, run, types, usage));
			};
			void finish();
		});
		return { body: view };
	});
}
