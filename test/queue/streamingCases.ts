/* eslint-disable no-console -- test tooling runs in plain Node, outside n8n */
/**
 * Streaming through a worker: the hosted chat (examples/chat.json, Chat Trigger Response Mode
 * "Streaming") and a streaming Webhook (examples/stream-to-webhook.json), called on the webhook
 * process. n8n 2.41 in queue mode hands the execution to a worker with `streamingEnabled`; the
 * worker's `sendChunk` hook reports each chunk as Bull job progress (`send-chunk`), which Redis
 * publishes to main and the webhook process; the one holding the execution's HTTP response
 * writes the chunk there as a JSON line (ScalingService, ActiveExecutions.sendChunk).
 */
import { callStreamingWebhook, describeExecution, streamedReply } from '../n8n';
import type { StreamExpectation, WebhookCall } from '../e2e/expectations';
import { finalExecutions, type CaseContext } from './cases';
import { jobsByExecution, lastSequence, outputItems, turnRequests } from './support';

/** An example's streaming webhook, as test/e2e/examples.json describes its call. */
export interface StreamingExample {
	workflowId: string;
	call: WebhookCall & { stream: StreamExpectation };
}

/** The pause before each token of the agent's reply: long enough that chunks come one by one. */
const TOKEN_DELAY_MS = 150;

export async function streamsThroughWorker(
	context: CaseContext,
	example: StreamingExample,
): Promise<string[]> {
	const { cluster, control, tally } = context;
	const { call, workflowId } = example;
	const problems: string[] = [];
	const before = lastSequence(await control.requests());
	await control.updateSettings({ tokenDelayMs: TOKEN_DELAY_MS });
	try {
		const answer = await callStreamingWebhook(
			cluster.webhook.server.baseUrl,
			call.path,
			call.body ?? {},
		);
		if (answer.status !== call.expect.status)
			problems.push(
				`expected HTTP ${call.expect.status} from the webhook process, got ${answer.status}: ${answer.text.slice(0, 500)}`,
			);
		const reply = streamedReply(answer, call.stream.node, call.stream.minItemChunks);
		problems.push(...reply.problems);
		const [execution] = await finalExecutions(context, workflowId, 1);
		context.saveRun(`stream-${workflowId}-${execution.id}`, {
			chunks: answer.chunks,
			run: execution.run,
			id: execution.id,
		});
		if (execution.status !== 'success') problems.push(describeExecution(execution));
		const nodeText = outputItems(execution, call.stream.node)[0]?.json[
			call.stream.field ?? 'reply'
		];
		if (nodeText !== reply.text)
			problems.push(
				`the joined item chunks ${JSON.stringify(reply.text)} differ from the node's reply ${JSON.stringify(nodeText)}`,
			);
		const jobs = jobsByExecution(cluster).get(execution.id) ?? [];
		if (jobs.length !== 1)
			problems.push(
				`execution ${execution.id} ran as ${jobs.length} worker job(s): ${jobs.join(', ') || 'none'}`,
			);
		const turns = turnRequests(await control.requests(), before);
		const accepted = turns.filter((request) => request.status === 200);
		if (turns.length !== 1 || accepted.length !== 1)
			problems.push(
				`expected one accepted turn, Letta saw ${turns.map((request) => request.status).join(', ') || 'none'}`,
			);
		tally.accepted[`streamed (${workflowId})`] = accepted.length;
		const times = reply.items.map((chunk) => chunk.atMs).join(', ');
		console.log(
			`        (execution ${execution.id} on ${jobs.join(', ') || 'no worker'}; ${reply.items.length} item chunks at ${times} ms, end chunk at ${String(reply.endAtMs)} ms, answer closed at ${answer.endedAtMs} ms; text ${JSON.stringify(reply.text)})`,
		);
	} finally {
		await control.updateSettings({ tokenDelayMs: 0 });
	}
	return problems;
}
