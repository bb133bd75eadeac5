/**
 * One request against one conversation, as Letta runs it: refuse when the lock is held (where
 * the endpoint takes one) or when the history refuses the input, take the lock, create a run,
 * "think" for the configured latency, store the messages, finish the run. Shared by the agent,
 * conversation and environment endpoints; each answers a refusal in its own shape.
 */
import type { SimulatorContext } from './context';
import { HttpError, sleep } from './http';
import { KEEP_ALIVE_TEXT, UNKNOWN_ERROR, type TurnRefusal } from './lettaErrors';
import {
	approvalResponseMessage,
	assistantMessage,
	systemMessage,
	userMessage,
	type MessageContext,
} from './messages';
import type { ApprovalAnswer, SendOptions, SendPayload, UserInput } from './requestBody';
import { paceTurn, type ProgressListener } from './longRuns';
import { answerUserTurn, continueAfterApproval, type TurnOutcome } from './turns';
import type {
	AgentRecord,
	LettaMessage,
	LettaResponseBody,
	MessageType,
	RunRecord,
	Scope,
} from './types';

/**
 * A turn Letta starts (a run) or refuses: the lock is busy (before any run exists), or the
 * history refuses the input (a pending approval, an approval answer that does not fit),
 * which Letta finds inside the agent loop after the endpoint created its run.
 */
export type PreparedTurn =
	| {
			kind: 'run';
			run: RunRecord;
			/** `onProgress` sees each step's messages as a paced (long) turn produces them. */
			execute: (onProgress?: ProgressListener) => Promise<LettaResponseBody>;
	  }
	| { kind: 'refused'; refusal: TurnRefusal };

export interface TurnPolicy {
	/**
	 * Take Letta's conversation lock: the conversation endpoints' streaming path, and
	 * agent-direct mode (`default` + agent_id, or an agent id as conversation id). The agent
	 * endpoint and a conversation's non-streaming path take none.
	 */
	lock: boolean;
	/** The request log entry that asked for the turn, for overlap records. */
	requestSequence: number;
}

/** Base prompt cost per step, so usage numbers look plausible and stay deterministic. */
const PROMPT_TOKENS_PER_STEP = 250;
/** How far back Letta looks for the tool return of an answer sent again (helpers.py). */
const RECENT_MESSAGES_CHECKED = 10;

export function describeScope(scope: Scope): string {
	return scope.conversationId === null
		? `agent ${scope.agentId} (default conversation)`
		: `conversation ${scope.conversationId} of agent ${scope.agentId}`;
}

/**
 * Checks the request against the lock and the history, as Letta does before its agent loop
 * runs (helpers.py _prepare_in_context_messages_no_persist_async), and refuses with the
 * reason, for the endpoint to answer in its own shape. An answer whose tool return is already in the recent history
 * is not an error: Letta runs a new turn with its keep-alive message instead.
 */
export function prepareTurn(
	ctx: SimulatorContext,
	agent: AgentRecord,
	scope: Scope,
	payload: SendPayload,
	options: SendOptions,
	policy: TurnPolicy,
): PreparedTurn {
	const { store } = ctx;
	if (policy.lock) {
		const holder = store.lockHolder(scope);
		if (holder !== null) return { kind: 'refused', refusal: { kind: 'busy', runId: holder } };
	}
	const pending = store.getPendingApproval(scope);
	let work: TurnWork;
	if (payload.kind === 'input') {
		if (pending)
			return {
				kind: 'refused',
				refusal: { kind: 'pendingApproval', requestId: pending.request.id },
			};
		work = { kind: 'input', inputs: payload.inputs };
	} else if (pending) {
		const expected = pending.request.tool_calls.map((call) => call.tool_call_id);
		const received = payload.answers.map((answer) => answer.tool_call_id);
		if (!sameIdSet(expected, received))
			return { kind: 'refused', refusal: { kind: 'invalidToolCallIds', expected, received } };
		work = { kind: 'approval', payload };
	} else if (answeredRecently(store.getHistory(scope), payload.answers)) {
		work = {
			kind: 'input',
			inputs:
				payload.followUps.length > 0
					? payload.followUps
					: [
							{
								role: 'user',
								content: [{ type: 'text', text: KEEP_ALIVE_TEXT }],
								otid: null,
								senderId: null,
							},
						],
		};
	} else {
		return { kind: 'refused', refusal: { kind: 'noPendingApproval' } };
	}
	const run = store.createRun(scope);
	if (policy.lock) store.lock(scope, run.id);
	const turn = { runId: run.id, requestSequence: policy.requestSequence };
	for (const running of store.beginTurn(scope, turn)) {
		ctx.recorder.recordOverlap({
			agentId: scope.agentId,
			conversationId: scope.conversationId,
			requests: [running.requestSequence, turn.requestSequence],
			runIds: [running.runId, run.id],
		});
	}
	const generation = store.generation;
	const execute = async (onProgress?: ProgressListener): Promise<LettaResponseBody> => {
		try {
			if (ctx.settings.latencyMs > 0) await sleep(ctx.settings.latencyMs);
			if (store.generation !== generation) throw new HttpError(500, { detail: UNKNOWN_ERROR });
			return work.kind === 'input'
				? await runUserTurn(ctx, agent, scope, run, work.inputs, options, onProgress)
				: runApprovalTurn(ctx, agent, scope, run, work.payload, options);
		} finally {
			if (store.generation === generation) {
				if (policy.lock) store.unlock(scope);
				store.endTurn(scope, turn);
			}
		}
	};
	return { kind: 'run', run, execute };
}

type TurnWork =
	| { kind: 'input'; inputs: UserInput[] }
	| { kind: 'approval'; payload: Extract<SendPayload, { kind: 'approval' }> };

/** Letta compares id sets (symmetric difference), so order and repeats do not matter. */
function sameIdSet(expected: string[], given: string[]): boolean {
	const wanted = new Set(expected);
	const got = new Set(given);
	return wanted.size === got.size && [...wanted].every((id) => got.has(id));
}

/**
 * Letta's idempotency check: a tool message among the last ten in-context messages whose
 * tool returns answer exactly these ids. Letta keeps one tool message per step; the
 * simulator's history has one tool_return_message per call, so they are grouped by step.
 */
function answeredRecently(history: LettaMessage[], answers: ApprovalAnswer[]): boolean {
	const given = answers.map((answer) => answer.tool_call_id);
	const byStep = new Map<string, string[]>();
	for (const message of history.slice(-RECENT_MESSAGES_CHECKED)) {
		if (message.message_type !== 'tool_return_message') continue;
		const step = message.step_id ?? message.id;
		byStep.set(step, [...(byStep.get(step) ?? []), message.tool_call_id]);
	}
	return [...byStep.values()].some((ids) => sameIdSet(ids, given));
}

function inboundMessage(context: MessageContext, input: UserInput): LettaMessage {
	const text =
		typeof input.content === 'string'
			? input.content
			: input.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
	switch (input.role) {
		case 'user':
			return userMessage(context, input.content, input.otid, input.senderId);
		case 'system':
			return systemMessage(context, text, input.otid);
		case 'assistant':
			return assistantMessage(context, text, input.otid);
	}
}

async function runUserTurn(
	ctx: SimulatorContext,
	agent: AgentRecord,
	scope: Scope,
	run: RunRecord,
	inputs: UserInput[],
	options: SendOptions,
	onProgress: ProgressListener | undefined,
): Promise<LettaResponseBody> {
	const { store } = ctx;
	const context: MessageContext = { ids: store.ids, runId: run.id, stepId: null };
	const inbound = inputs.map((input) => inboundMessage(context, input));
	const outcome = answerUserTurn(agent, inputs, { ids: store.ids, runId: run.id, options });
	await paceTurn(ctx, agent, outcome.messages, onProgress);
	store.appendHistory(scope, [...inbound, ...outcome.messages]);
	recordPendingApproval(ctx, scope, run, outcome);
	store.completeRun(run, outcome.stopReason);
	return buildResponse(outcome, run, inputText(inbound));
}

/** A turn that stopped for approval leaves its request pending on the scope, under its run. */
function recordPendingApproval(
	ctx: SimulatorContext,
	scope: Scope,
	run: RunRecord,
	outcome: TurnOutcome,
): void {
	if (!outcome.approvalToolCalls) return;
	const request = outcome.messages.find(
		(message) => message.message_type === 'approval_request_message',
	);
	if (request && request.message_type === 'approval_request_message')
		ctx.store.setPendingApproval({ scope, runId: run.id, request });
}

function runApprovalTurn(
	ctx: SimulatorContext,
	agent: AgentRecord,
	scope: Scope,
	run: RunRecord,
	payload: Extract<SendPayload, { kind: 'approval' }>,
	options: SendOptions,
): LettaResponseBody {
	const { store } = ctx;
	const pending = store.getPendingApproval(scope);
	// Only a reset can clear it meanwhile: nothing else answers without the lock's turn.
	if (!pending) throw new HttpError(500, { detail: UNKNOWN_ERROR });
	const { answers, otid, followUps } = payload;
	const context: MessageContext = { ids: store.ids, runId: run.id, stepId: null };
	const inbound = [
		approvalResponseMessage(context, answers, otid),
		...followUps.map((input) => inboundMessage(context, input)),
	];
	const outcome = continueAfterApproval(agent, pending.request.tool_calls, answers, followUps, {
		ids: store.ids,
		runId: run.id,
		options,
	});
	store.appendHistory(scope, [...inbound, ...outcome.messages]);
	store.clearPendingApproval(scope);
	// The continuation may ask for the next tool (a chained approval): pending again, new run.
	recordPendingApproval(ctx, scope, run, outcome);
	store.completeRun(run, outcome.stopReason);
	return buildResponse(outcome, run, JSON.stringify(answers) + inputText(inbound.slice(1)));
}

function inputText(messages: LettaMessage[]): string {
	return messages.map((message) => JSON.stringify(message)).join('');
}

function estimateTokens(text: string): number {
	return Math.ceil(text.length / 4);
}

function buildResponse(
	outcome: TurnOutcome,
	run: RunRecord,
	promptText: string,
): LettaResponseBody {
	const completionTokens = outcome.messages.reduce(
		(sum, message) => sum + estimateTokens(JSON.stringify(message)),
		0,
	);
	const promptTokens = outcome.stepCount * PROMPT_TOKENS_PER_STEP + estimateTokens(promptText);
	run.tokens = { prompt: promptTokens, completion: completionTokens, steps: outcome.stepCount };
	return {
		messages: outcome.messages,
		stop_reason: { message_type: 'stop_reason', stop_reason: outcome.stopReason },
		usage: {
			message_type: 'usage_statistics',
			completion_tokens: completionTokens,
			prompt_tokens: promptTokens,
			total_tokens: completionTokens + promptTokens,
			step_count: outcome.stepCount,
			run_ids: [run.id],
			cached_input_tokens: null,
			cache_write_tokens: null,
			reasoning_tokens: null,
			context_tokens: null,
		},
	};
}

/** Applies include_return_message_types to a response (stop reason and usage always stay). */
export function filterResponse(
	response: LettaResponseBody,
	types: MessageType[] | null,
): LettaResponseBody {
	if (types === null) return response;
	return {
		...response,
		messages: response.messages.filter((message) => types.includes(message.message_type)),
	};
}
