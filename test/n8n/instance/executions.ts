import { parseFlatted } from '../flatted';
import type { N8nRun } from './runData';
import { unexpectedAnswer, type RestSession } from './restSession';

/** A workflow's executions as the editor's Executions tab reads them (logged in). */

/** One entry of `GET /rest/executions` (the list the editor's Executions tab shows). */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	/** new, running, waiting, success, error, canceled, crashed, unknown */
	status: string;
	mode?: string;
	finished?: boolean;
	startedAt?: string | null;
	stoppedAt?: string | null;
	waitTill?: string | null;
	[key: string]: unknown;
}

/** `GET /rest/executions/{id}` with its run data decoded (n8n sends it flatted). */
export interface ExecutionDetails extends ExecutionSummary {
	run: N8nRun;
}

/** Statuses after which an execution does not move on by itself. */
export const FINAL_EXECUTION_STATUSES = ['success', 'error', 'canceled', 'crashed'];

/**
 * Executions of a workflow, newest first (`GET /rest/executions?filter=...`).
 * `status` narrows them, e.g. ['waiting'].
 */
export async function listExecutions(
	session: RestSession,
	workflowId: string,
	status?: string[],
): Promise<ExecutionSummary[]> {
	const filter = JSON.stringify({ workflowId, ...(status ? { status } : {}) });
	const response = await session.call<{ data?: { results?: ExecutionSummary[] } }>(
		'GET',
		`/rest/executions?limit=100&filter=${encodeURIComponent(filter)}`,
	);
	const results = response.body.data?.results;
	if (response.status !== 200 || !Array.isArray(results)) {
		throw unexpectedAnswer('GET /rest/executions', response);
	}
	return results.map((entry) => ({ ...entry, id: String(entry.id) }));
}

/** One execution with its run data (`GET /rest/executions/{id}`, data decoded from flatted). */
export async function getExecution(session: RestSession, id: string): Promise<ExecutionDetails> {
	const response = await session.call<{ data?: ExecutionSummary & { data?: unknown } }>(
		'GET',
		`/rest/executions/${encodeURIComponent(id)}`,
	);
	const execution = response.body.data;
	if (response.status !== 200 || !execution) {
		throw unexpectedAnswer(`GET /rest/executions/${id}`, response);
	}
	const { data, ...summary } = execution;
	const decoded = typeof data === 'string' ? parseFlatted(data) : data;
	const runData = decoded as Partial<N8nRun['data']> | undefined;
	return {
		...summary,
		id: String(summary.id),
		run: {
			status: summary.status,
			finished: summary.finished,
			mode: summary.mode,
			data: {
				...(runData ?? {}),
				resultData: runData?.resultData ?? { runData: {} },
			},
		},
	};
}

/** One line for a report: id, status, the nodes that ran and the error, if any. */
export function describeExecution(execution: ExecutionDetails): string {
	const { resultData } = execution.run.data;
	const ran = Object.keys(resultData.runData).join(', ') || 'no node';
	const error = resultData.error ? `; error: ${resultData.error.message}` : '';
	return `execution ${execution.id} is ${execution.status} (ran: ${ran}${error})`;
}
