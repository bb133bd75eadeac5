/**
 * One request against one conversation, as Letta runs it: refuse when busy or when an
 * approval blocks it, take the conversation lock, create a run, "think" for the configured
 * latency, store the messages, finish the run. Shared by the agent, conversation and
 * environment endpoints so all three behave the same.
 */
import type { SimulatorContext } from './context';
import { detailError, sleep } from './http';
import {
	approvalResponseMessage,
	assistantMessage,
	systemMessage,
	userMessage,
	type MessageContext,
} from './messages';
import type { ApprovalAnswer, SendOptions, SendPayload, UserInput } from './requestBody';
import { sameScope } from './store';
import { answerUserTurn, continueAfterApproval, type TurnOutcome } from './turns';
import type {
	AgentRecord,
	LettaMessage,
	LettaResponseBody,
	MessageType,
	RunRecord,
	Scope,
} from './types';

export type PreparedTurn =
	| { kind: 'replay'; response: LettaResponseBody }
	| { kind: 'run'; run: RunRecord; execute: () => Promise<LettaResponseBody> };

/** Base prompt cost per step, so usage numbers look plausible and stay deterministic. */
const PROMPT_TOKENS_PER_STEP = 250;

export function describeScope(scope: Scope): string {
	return scope.conversationId === null
		? `agent ${scope.agentId} (default conversation)`
		: `conversation ${scope.conversationId} of agent ${scope.agentId}`;
}

/**
 * Checks the request can run now and takes the lock. Throws HttpError (400/409) without
 * side effects when it cannot; a repeated approval answer is replayed without running again.
 */
export function prepareTurn(
	ctx: SimulatorContext,
	agent: AgentRecord,
	scope: Scope,
	payload: SendPayload,
	options: SendOptions,
): PreparedTurn {
	const { store } = ctx;
	if (payload.kind === 'approval') {
		const replay = findProcessedAnswer(ctx, scope, payload.answers);
		if (replay) return { kind: 'replay', response: replay };
	}
	if (store.isLocked(scope)) {
		throw detailError(
			409,
			`CONVERSATION_BUSY: another request is already running on ${describeScope(scope)}; wait for it to finish and retry.`,
		);
	}
	const pending = store.getPendingApproval(scope);
	if (payload.kind === 'input' && pending) {
		const ids = pending.request.tool_calls.map((call) => call.tool_call_id).join(', ');
		throw detailError(
			409,
			`CONFLICT: Cannot send a new message: ${describeScope(scope)} is waiting for approval of tool call(s) ${ids} ` +
				`(PENDING_APPROVAL, run ${pending.runId}). Answer the approval first with messages[0] = {type: "approval", approvals: [...]}.`,
		);
	}
	if (payload.kind === 'approval') {
		if (!pending) {
			throw detailError(
				400,
				`NO_PENDING_APPROVAL: no tool call is waiting for approval on ${describeScope(scope)}, so there is nothing to answer.`,
			);
		}
		const expected = pending.request.tool_calls.map((call) => call.tool_call_id);
		const given = payload.answers.map((answer) => answer.tool_call_id);
		if (!sameIdSet(expected, given)) {
			throw detailError(
				400,
				`INVALID_TOOL_CALL_IDS: Invalid tool call IDs. Expected [${expected.join(', ')}] but received [${given.join(', ')}]; ` +
					'answer every pending tool call exactly once, in one request.',
			);
		}
	}
	store.tryLock(scope);
	const run = store.createRun(scope);
	const generation = store.generation;
	const execute = async (): Promise<LettaResponseBody> => {
		try {
			if (ctx.settings.latencyMs > 0) await sleep(ctx.settings.latencyMs);
			if (store.generation !== generation) {
				throw detailError(
					503,
					'SERVICE_UNAVAILABLE: the simulator was reset while this request was running.',
				);
			}
			return payload.kind === 'input'
				? runUserTurn(ctx, agent, scope, run, payload.inputs, options)
				: runApprovalTurn(ctx, agent, scope, run, payload.answers, payload.otid, options);
		} finally {
			if (store.generation === generation) store.unlock(scope);
		}
	};
	return { kind: 'run', run, execute };
}

function sameIdSet(expected: string[], given: string[]): boolean {
	if (expected.length !== given.length || new Set(given).size !== given.length) return false;
	return expected.every((id) => given.includes(id));
}

function findProcessedAnswer(
	ctx: SimulatorContext,
	scope: Scope,
	answers: ApprovalAnswer[],
): LettaResponseBody | null {
	const given = answers.map((answer) => answer.tool_call_id);
	const processed = ctx.store.processedApprovals.find(
		(candidate) => sameScope(candidate.scope, scope) && sameIdSet(candidate.toolCallIds, given),
	);
	return processed ? processed.response : null;
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

function runUserTurn(
	ctx: SimulatorContext,
	agent: AgentRecord,
	scope: Scope,
	run: RunRecord,
	inputs: UserInput[],
	options: SendOptions,
): LettaResponseBody {
	const { store } = ctx;
	const context: MessageContext = { ids: store.ids, runId: run.id, stepId: null };
	const inbound = inputs.map((input) => inboundMessage(context, input));
	const outcome = answerUserTurn(agent, inputs, { ids: store.ids, runId: run.id, options });
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
	answers: ApprovalAnswer[],
	otid: string | null,
	options: SendOptions,
): LettaResponseBody {
	const { store } = ctx;
	const pending = store.getPendingApproval(scope);
	if (!pending)
		throw detailError(
			400,
			`NO_PENDING_APPROVAL: the approval on ${describeScope(scope)} was resolved meanwhile.`,
		);
	const context: MessageContext = { ids: store.ids, runId: run.id, stepId: null };
	const inbound = approvalResponseMessage(context, answers, otid);
	const outcome = continueAfterApproval(agent, pending.request.tool_calls, answers, {
		ids: store.ids,
		runId: run.id,
		options,
	});
	store.appendHistory(scope, [inbound, ...outcome.messages]);
	store.clearPendingApproval(scope);
	// The continuation may ask for the next tool (a chained approval): pending again, new run.
	recordPendingApproval(ctx, scope, run, outcome);
	store.completeRun(run, outcome.stopReason);
	const response = buildResponse(outcome, run, JSON.stringify(answers));
	store.processedApprovals.push({
		scope,
		toolCallIds: answers.map((answer) => answer.tool_call_id),
		response,
	});
	return response;
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
