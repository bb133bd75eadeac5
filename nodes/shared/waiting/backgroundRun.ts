import { backgroundRunRequest, startBackgroundRun } from '../api/messages';
import { hasEnded, readRunResult, waitForRunEnd } from '../api/runResult';
import type { LettaClient } from '../transport/request';
import type { WaitJob, WaitOutcome } from './job';
import { requestProblem } from './streamRun';

/**
 * Background Run mode: `messages/async` answers the run at once, then the run is polled
 * (reads: safe to retry) until it ends and its messages are read back.
 */
export async function backgroundRun(client: LettaClient, job: WaitJob): Promise<WaitOutcome> {
	const built = backgroundRunRequest(job.scope.agentId, job.fields, job.timeoutMs);
	if ('problem' in built) throw requestProblem(client, job, built.problem);
	const run = await startBackgroundRun(client, built.request, job.scope, job.itemIndex);
	const ended = await waitForRunEnd(client, run.id, job.deadline, job.itemIndex);
	if (!hasEnded(ended)) return { timedOut: true, runId: run.id };
	return {
		response: await readRunResult(client, run.id, { itemIndex: job.itemIndex }),
		runId: run.id,
	};
}
