/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- test tooling runs in plain Node, outside n8n */
/**
 * Webhook cases whose workflow streams its answer (`webhook.stream`, expectations.ts): a
 * Chat Trigger with Response Mode "Streaming" (the hosted chat's own endpoint) or a Webhook
 * node 2.1 with Respond "Streaming". The suite reads n8n's JSON lines as they arrive, timing
 * each (test/n8n/instance/streamedAnswer.ts), then reads the execution back.
 */
import {
	callStreamingWebhook,
	FINAL_EXECUTION_STATUSES,
	streamedReply,
	type ExecutionDetails,
	type N8n,
} from '../n8n';
import type { RequestExpectation, StreamExpectation, WebhookCall } from './expectations';

export interface StreamingCaseContext {
	n8n: N8n;
	requestProblems: (expectations: RequestExpectation[]) => Promise<string[]>;
	saveRun: (caseName: string, run: unknown) => void;
}

async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The newest execution of the workflow, once it ended. */
async function endedExecution(n8n: N8n, workflowId: string): Promise<ExecutionDetails | undefined> {
	const until = Date.now() + 30_000;
	while (Date.now() < until) {
		const [newest] = await n8n.executions(workflowId);
		if (newest && FINAL_EXECUTION_STATUSES.includes(newest.status))
			return await n8n.execution(newest.id);
		await sleep(250);
	}
	return undefined;
}

function nodeReply(execution: ExecutionDetails, node: string, field: string): unknown {
	const tasks = execution.run.data.resultData.runData[node];
	const items = tasks?.[tasks.length - 1]?.data?.main ?? [];
	const first = items.find((output) => output && output.length > 0)?.[0];
	return first?.json?.[field];
}

/** Checks the streamed answer of one streaming webhook case; returns what does not match. */
export async function runStreamingWebhookCase(
	context: StreamingCaseContext,
	caseName: string,
	workflowId: string,
	call: WebhookCall & { stream: StreamExpectation },
): Promise<string[]> {
	const { stream } = call;
	const answer = await callStreamingWebhook(context.n8n.server.baseUrl, call.path, call.body ?? {});
	const problems: string[] = [];
	if (answer.status !== call.expect.status)
		problems.push(
			`expected HTTP ${call.expect.status}, got ${answer.status}: ${answer.text.slice(0, 500)}`,
		);
	const reply = streamedReply(answer, stream.node, stream.minItemChunks);
	problems.push(...reply.problems);
	const streamedText = reply.text;
	const execution = await endedExecution(context.n8n, workflowId);
	if (!execution) {
		problems.push('no ended execution of the workflow within 30 s');
	} else {
		const field = stream.field ?? 'reply';
		const nodeText = nodeReply(execution, stream.node, field);
		if (nodeText !== streamedText)
			problems.push(
				`the joined item chunks ${JSON.stringify(streamedText)} differ from the node's ${field} ${JSON.stringify(nodeText)}`,
			);
		if (execution.status !== 'success') problems.push(`the execution ended as ${execution.status}`);
	}
	for (const secret of call.expect.nowhere ?? [])
		if (answer.text.includes(secret))
			problems.push(`the answer contains ${JSON.stringify(secret)}`);
	problems.push(...(await context.requestProblems(call.expect.requests ?? [])));
	context.saveRun(`${caseName}.stream`, { chunks: answer.chunks, run: execution?.run });
	console.log(
		`        (streamed ${reply.items.length} item chunks: first after ${String(reply.firstAtMs)} ms, end chunk after ${String(reply.endAtMs)} ms, answer closed after ${answer.endedAtMs} ms; text ${JSON.stringify(streamedText)})`,
	);
	return problems;
}
