/**
 * What the queue-mode cases share: which worker ran which execution (from the workers' own
 * log lines), and reading the simulator's request log. Polling is test/n8n's `waitFor`.
 */
import {
	FINAL_EXECUTION_STATUSES,
	type ExecutionDetails,
	type N8n,
	type N8nItem,
	type QueueCluster,
} from '../n8n';
import type { RecordedRequest } from '../simulator/control';

/** Every execution of a workflow, oldest first, with its run data. */
export async function executionsOf(n8n: N8n, workflowId: string): Promise<ExecutionDetails[]> {
	const list = await n8n.executions(workflowId);
	const details: ExecutionDetails[] = [];
	for (const entry of [...list].reverse()) details.push(await n8n.execution(entry.id));
	return details;
}

export function isFinal(execution: { status: string }): boolean {
	return FINAL_EXECUTION_STATUSES.includes(execution.status);
}

/** The items a node put out on one output in its latest run (or in run `runIndex`). */
export function outputItems(
	execution: ExecutionDetails,
	node: string,
	output = 0,
	runIndex?: number,
): N8nItem[] {
	const tasks = execution.run.data.resultData.runData[node] ?? [];
	const task = tasks[runIndex ?? tasks.length - 1];
	return task?.data?.main?.[output] ?? [];
}

/** Every item a node put out on one output, over all its runs. */
export function allOutputItems(execution: ExecutionDetails, node: string, output = 0): N8nItem[] {
	const tasks = execution.run.data.resultData.runData[node] ?? [];
	return tasks.flatMap((task) => task.data?.main?.[output] ?? []);
}

/**
 * Which worker ran which execution: each job a worker takes is one line "Worker started
 * execution <id> (job <n>)" in its log (n8n's JobProcessor). An execution that waited and
 * resumed is one job per resumption, maybe on different workers.
 */
export function jobsByExecution(cluster: QueueCluster): Map<string, string[]> {
	const jobs = new Map<string, string[]>();
	for (const worker of cluster.workers) {
		for (const line of worker.n8n.logLines()) {
			const match = /^Worker started execution (\S+) \(job/.exec(line.message);
			if (!match) continue;
			jobs.set(match[1], [...(jobs.get(match[1]) ?? []), worker.name]);
		}
	}
	return jobs;
}

/** The executions main or the webhook process ran themselves (none should, in queue mode). */
export function executionsOutsideWorkers(cluster: QueueCluster): string[] {
	return [
		{ name: 'main', n8n: cluster.main },
		{ name: 'webhook', n8n: cluster.webhook },
	].flatMap(({ name, n8n }) =>
		n8n
			.logLines()
			.filter((line) => /^Worker started execution/.test(line.message))
			.map((line) => `${name}: ${line.message}`),
	);
}

interface MessageBody {
	agent_id?: string;
	messages?: Array<{ type?: string; otid?: string }>;
}

/** The agent a message request went to (agent path, or the `agent_id` of conversations/default). */
export function agentOf(request: RecordedRequest): string | undefined {
	const inPath = /\/agents\/(agent-[0-9a-f-]+)/.exec(request.path)?.[1];
	return inPath ?? (request.body as MessageBody | null)?.agent_id ?? request.query.agent_id?.[0];
}

/** `approval` for an approval answer, otherwise the first message's type (or `message`). */
export function messageKind(request: RecordedRequest): string {
	const first = (request.body as MessageBody | null)?.messages?.[0];
	return first?.type ?? 'message';
}

export function otidOf(request: RecordedRequest): string | undefined {
	return (request.body as MessageBody | null)?.messages?.[0]?.otid;
}

/** Message POSTs (a new turn: not the run reads, cancels or stream resumes) after `sequence`. */
export function turnRequests(requests: RecordedRequest[], after: number): RecordedRequest[] {
	return requests.filter(
		(request) =>
			request.sequence > after &&
			request.method === 'POST' &&
			/\/messages(\/async)?\/?$/.test(request.path),
	);
}

export function lastSequence(requests: RecordedRequest[]): number {
	return requests.reduce((max, request) => Math.max(max, request.sequence), 0);
}
