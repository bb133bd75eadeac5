/**
 * The variants measured: Send Agent Message in a real n8n-core execution, and the plain
 * undici loop doing the same requests through the same lane scheduler. Each variant has an
 * untimed `prepare` (simulator reset, latency, lanes, input items) and a timed `run`.
 */
import { randomBytes } from 'node:crypto';

import type { INodeExecutionData } from 'n8n-workflow';

import { LettaCommunityApi } from '../credentials/LettaCommunityApi.credentials';
import { runKeyedInOrder } from '../nodes/shared/items/scheduler';
// `.js`, which tsx and tsc both map to the .ts file: without an extension tsx would load
// LettaSendAgentMessage.node.json (the codex file) for `….node`.
import { LettaSendAgentMessage } from '../nodes/LettaSendAgentMessage/LettaSendAgentMessage.node.js';
import {
	chain,
	itemsTriggerNode,
	outputOf,
	runWorkflow,
	taskOf,
	workflowNode,
	type TestItem,
	type WorkflowRunResult,
} from '../test/harness/runWorkflow';
import type { SimulatorControl } from '../test/simulator/control';
import { AGENT_IDS } from '../test/simulator/fixtures';
import { BENCH_API_KEY, type PlainLettaClient } from './plainClient';
import {
	AGENTS_NEEDING_A_CONVERSATION,
	buildLanes,
	buildWork,
	laneKey,
	plainRequest,
	sendAgentMessageParameters,
	toTestItems,
	type WorkItem,
} from './workload';

export interface BenchTarget {
	simulatorUrl: string;
	control: SimulatorControl;
	client: PlainLettaClient;
}

export interface TrialResult {
	/** The timed part, start to finish. */
	wallMs: number;
	/** The Letta node's own run as n8n records it (executionTime); null for the plain loop. */
	nodeMs: number | null;
	/** What the run produced, held until memory has been read (n8n keeps run data too). */
	output: unknown;
	/** Throws if the run did not do what it should have: a fast wrong run measures nothing. */
	check(): void;
}

export interface Trial {
	run(): Promise<TrialResult>;
}

export interface Variant {
	id: string;
	label: string;
	items: number;
	prepare(): Promise<Trial>;
}

const NODE_NAME = 'Letta';

/** Back to the seed, the agent latency set, conversations created: every trial starts equal. */
async function freshWork(
	target: BenchTarget,
	count: number,
	latencyMs: number,
): Promise<WorkItem[]> {
	await target.control.reset();
	await target.control.setLatency(latencyMs);
	const created = [];
	for (const agentId of AGENTS_NEEDING_A_CONVERSATION) {
		created.push(await target.client.createConversation(agentId));
	}
	return buildWork(count, buildLanes(created));
}

async function runNodeWorkflow(
	target: BenchTarget,
	items: TestItem[],
	parameters: Parameters<typeof workflowNode>[2],
): Promise<{ wallMs: number; result: WorkflowRunResult }> {
	const start = performance.now();
	const result = await runWorkflow({
		nodes: [itemsTriggerNode(items), workflowNode(LettaSendAgentMessage, NODE_NAME, parameters)],
		connections: chain('Start', NODE_NAME),
		nodeTypes: [LettaSendAgentMessage],
		credentialTypes: [LettaCommunityApi],
		credentials: {
			lettaCommunityApi: { apiKey: BENCH_API_KEY, baseUrl: target.simulatorUrl, projectId: '' },
		},
	});
	return { wallMs: performance.now() - start, result };
}

function nodeOutputs(result: WorkflowRunResult): {
	completed: INodeExecutionData[];
	approval: INodeExecutionData[];
} {
	if (result.error) throw new Error(`the execution failed: ${result.error.message}`);
	return { completed: outputOf(result, NODE_NAME, 0), approval: outputOf(result, NODE_NAME, 1) };
}

function checkReplies(result: WorkflowRunResult, work: WorkItem[]): void {
	const { completed, approval } = nodeOutputs(result);
	if (approval.length > 0 || completed.length !== work.length) {
		throw new Error(
			`expected ${work.length} completed items, got ${completed.length} (+${approval.length} needing approval)`,
		);
	}
	completed.forEach((item, position) => {
		const { reply } = item.json as { reply?: unknown };
		const expected = work[position].text;
		if (typeof reply !== 'string' || !reply.endsWith(expected)) {
			throw new Error(
				`item ${position}: the reply does not echo its text: ${String(reply).slice(0, 120)}`,
			);
		}
	});
}

/** Send Agent Message over `count` items with the given concurrency. */
export function nodeVariant(
	target: BenchTarget,
	options: { id: string; label: string; count: number; concurrency: number; latencyMs: number },
): Variant {
	return {
		id: options.id,
		label: options.label,
		items: options.count,
		prepare: async () => {
			const work = await freshWork(target, options.count, options.latencyMs);
			const items = toTestItems(work);
			return {
				run: async () => {
					const { wallMs, result } = await runNodeWorkflow(
						target,
						items,
						sendAgentMessageParameters(options.concurrency),
					);
					return {
						wallMs,
						nodeMs: taskOf(result, NODE_NAME).executionTime,
						output: result,
						check: () => checkReplies(result, work),
					};
				},
			};
		},
	};
}

/** The same requests from a plain undici client, through the node's own lane scheduler. */
export function plainVariant(
	target: BenchTarget,
	options: { id: string; label: string; count: number; concurrency: number; latencyMs: number },
): Variant {
	return {
		id: options.id,
		label: options.label,
		items: options.count,
		prepare: async () => {
			const work = await freshWork(target, options.count, options.latencyMs);
			return {
				run: async () => {
					const start = performance.now();
					const responses = await runKeyedInOrder(
						work.map((item) => laneKey(item.lane)),
						options.concurrency,
						async (index) =>
							await target.client.send<{ messages?: unknown[] }>(plainRequest(work[index])),
					);
					const wallMs = performance.now() - start;
					return {
						wallMs,
						nodeMs: null,
						output: responses,
						check: () => {
							const answered = responses.filter((response) =>
								Array.isArray(response?.messages),
							).length;
							if (answered !== work.length)
								throw new Error(`expected ${work.length} answers, got ${answered}`);
						},
					};
				},
			};
		},
	};
}

export const IMAGE_BYTES = 1024 * 1024;
const IMAGE_PROMPT = 'What is in this picture?';
const IMAGE_AGENT = AGENT_IDS.customerSupport;

/** Incompressible bytes labelled image/png: the simulator does not decode images. */
function imageBytes(): Buffer {
	return randomBytes(IMAGE_BYTES);
}

function checkSingleReply(result: WorkflowRunResult): void {
	const { completed } = nodeOutputs(result);
	const reply = (completed[0]?.json as { reply?: unknown } | undefined)?.reply;
	if (completed.length !== 1 || typeof reply !== 'string' || !reply.includes(IMAGE_PROMPT)) {
		throw new Error(`expected one reply to "${IMAGE_PROMPT}", got ${JSON.stringify(reply)}`);
	}
}

/** One item: a prompt with a 1 MB image from a binary field, or the prompt alone. */
export function singleItemNodeVariant(
	target: BenchTarget,
	options: { id: string; label: string; withImage: boolean },
): Variant {
	return {
		id: options.id,
		label: options.label,
		items: 1,
		prepare: async () => {
			await target.control.reset();
			const agentId = { __rl: true, mode: 'id', value: IMAGE_AGENT };
			const items: TestItem[] = options.withImage
				? [
						{
							json: {},
							binary: {
								data: {
									data: imageBytes().toString('base64'),
									mimeType: 'image/png',
									fileName: 'photo.png',
								},
							},
						},
					]
				: [{ json: {} }];
			const parameters = options.withImage
				? { agentId, messageInput: 'textAndImages', imageText: IMAGE_PROMPT, binaryFields: 'data' }
				: { agentId, messageInput: 'text', text: IMAGE_PROMPT };
			return {
				run: async () => {
					const { wallMs, result } = await runNodeWorkflow(target, items, parameters);
					return {
						wallMs,
						nodeMs: taskOf(result, NODE_NAME).executionTime,
						output: result,
						check: () => checkSingleReply(result),
					};
				},
			};
		},
	};
}

/** The same image request from the plain client: base64, JSON, POST, parse. */
export function plainImageVariant(
	target: BenchTarget,
	options: { id: string; label: string },
): Variant {
	return {
		id: options.id,
		label: options.label,
		items: 1,
		prepare: async () => {
			await target.control.reset();
			const bytes = imageBytes();
			return {
				run: async () => {
					const start = performance.now();
					const content = [
						{ type: 'text', text: IMAGE_PROMPT },
						{
							type: 'image',
							source: { type: 'base64', media_type: 'image/png', data: bytes.toString('base64') },
						},
					];
					const response = await target.client.post<{ messages?: unknown[] }>(
						`/v1/agents/${IMAGE_AGENT}/messages`,
						{
							messages: [{ role: 'user', content }],
						},
					);
					const wallMs = performance.now() - start;
					return {
						wallMs,
						nodeMs: null,
						output: response,
						check: () => {
							if (!Array.isArray(response.messages))
								throw new Error('the image request got no messages back');
						},
					};
				},
			};
		},
	};
}
