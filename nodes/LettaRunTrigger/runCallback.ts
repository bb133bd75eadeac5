import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { runCallbackSchema } from '../shared/api/asyncMessages';
import { readRunResult } from '../shared/api/runResult';
import { ACTIVE_RUN_STATUSES, getRun, type RunStatus } from '../shared/api/runs';
import { shapeAgentReply } from '../shared/items/reply';
import type { LettaClient } from '../shared/transport/request';

/**
 * One callback to the Letta Run Trigger, checked against Letta before anything starts: the
 * run must exist for this credential, belong to an accepted agent, have ended, and have the
 * status the callback claims. The outcome is read from Letta, never from the body.
 */

export type CallbackCheck =
	| { refused: { status: number; error: string } }
	| { run: RunStatus; callbackStatus: string };

const refused = (status: number, error: string): CallbackCheck => ({ refused: { status, error } });

function isNotFound(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '404';
}

export async function checkRunCallback(
	client: LettaClient,
	body: unknown,
	agentIds: string[],
): Promise<CallbackCheck> {
	const callback = runCallbackSchema.safeParse(body);
	if (!callback.success) {
		return refused(400, 'Not a Letta run callback: expected {"run_id", "status", ...}.');
	}
	const runId = callback.data.run_id;
	let run: RunStatus;
	try {
		run = await getRun(client, runId);
	} catch (error) {
		if (isNotFound(error)) return refused(404, `Letta knows no run ${runId}.`);
		return refused(502, `Could not read run ${runId} from Letta: ${(error as Error).message}`);
	}
	if (agentIds.length > 0 && !agentIds.includes(run.agent_id ?? '')) {
		return refused(403, `Run ${runId} is not a run of an agent this trigger accepts.`);
	}
	if (ACTIVE_RUN_STATUSES.includes(run.status)) {
		return refused(409, `Run ${runId} has not ended (status ${run.status}).`);
	}
	if (run.status !== callback.data.status) {
		return refused(409, `The callback's status does not match run ${runId}.`);
	}
	return { run, callbackStatus: callback.data.status };
}

/** The run's outcome, shaped like Send Agent Message's output (reply, approvals, answer_to). */
export async function runOutcomeItem(
	client: LettaClient,
	run: RunStatus,
): Promise<INodeExecutionData> {
	const response = await readRunResult(client, run.id, { resource: `run ${run.id}` });
	const reply = shapeAgentReply(response, {
		agentId: run.agent_id ?? '',
		conversationId: run.conversation_id ?? undefined,
	});
	const completedAt = (run as IDataObject).completed_at;
	return {
		json: {
			...reply,
			run_id: run.id,
			run_status: run.status,
			completed_at: typeof completedAt === 'string' ? completedAt : null,
		},
	};
}

/** The outcome item, or a refusal when Letta cannot be read now (nothing starts then). */
export async function readRunOutcome(
	client: LettaClient,
	run: RunStatus,
): Promise<{ item: INodeExecutionData } | { refused: { status: number; error: string } }> {
	try {
		return { item: await runOutcomeItem(client, run) };
	} catch (error) {
		return {
			refused: {
				status: 502,
				error: `Could not read run ${run.id} from Letta: ${(error as Error).message}`,
			},
		};
	}
}

export function readAgentFilter(context: IWebhookFunctions): string[] {
	const value = context.getNodeParameter('agentIds', []) as unknown;
	return Array.isArray(value) ? value.map(String).filter((id) => id.length > 0) : [];
}
