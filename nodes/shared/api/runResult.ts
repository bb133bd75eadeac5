import type { RequestSubject } from '../transport/errors';
import type { LettaClient } from '../transport/request';
import type { LettaResponse } from './messageSchemas';
import { getRun, listRunMessages, RUN_MESSAGES_PAGE_SIZE, runStopReason } from './runs';

/**
 * A finished run read back as the LettaResponse a message request answers with: the run's
 * stop reason and its messages (every page, oldest first). For a run whose answer was not
 * received (a background run, a lost callback).
 */
export async function readRunResult(
	client: LettaClient,
	runId: string,
	subject: RequestSubject,
): Promise<LettaResponse> {
	const run = await getRun(client, runId, subject.itemIndex);
	const messages: LettaResponse['messages'] = [];
	for (let after: string | undefined; ; ) {
		const page = await listRunMessages(
			client,
			runId,
			{ limit: RUN_MESSAGES_PAGE_SIZE, ...(after ? { after } : {}) },
			subject.itemIndex,
		);
		messages.push(...page);
		const last = page[page.length - 1]?.id;
		if (page.length < RUN_MESSAGES_PAGE_SIZE || typeof last !== 'string') break;
		after = last;
	}
	return {
		messages,
		stop_reason: { stop_reason: runStopReason(run.status, run.stop_reason) },
		usage: { run_ids: [runId] },
	};
}
