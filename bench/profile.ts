/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling runs in plain Node, outside n8n */
/**
 * `--profile`: where a node run spends its CPU. Samples one run with V8's profiler and sorts
 * every sample into one bucket, by what its stack is doing (first matching rule wins).
 */
import { Session } from 'node:inspector/promises';

interface CallFrame {
	functionName: string;
	url: string;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	hitCount: number;
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
}

interface Bucket {
	name: string;
	matches(stack: CallFrame[]): boolean;
}

const inStack = (test: (frame: CallFrame) => boolean) => (stack: CallFrame[]) => stack.some(test);
const SPECIAL_FRAMES = new Set(['(idle)', '(garbage collector)', '(program)']);
/** The innermost frame that has a script URL: a native leaf such as `connect` counts as its caller. */
function effectiveLeaf(stack: CallFrame[]): CallFrame | undefined {
	if (stack.length > 0 && SPECIAL_FRAMES.has(stack[0].functionName)) return stack[0];
	return stack.find((frame) => frame.url !== '');
}
const atLeaf = (test: (frame: CallFrame) => boolean) => (stack: CallFrame[]) => {
	const leaf = effectiveLeaf(stack);
	return leaf !== undefined && test(leaf);
};
const urlHas =
	(...parts: string[]) =>
	(frame: CallFrame) =>
		parts.some((part) => frame.url.includes(part));

/** Ordered: a sample is counted in the first bucket that matches. */
const BUCKETS: Bucket[] = [
	{
		name: 'idle (waiting for the simulator)',
		matches: atLeaf((frame) => frame.functionName === '(idle)'),
	},
	{
		name: 'garbage collection',
		matches: atLeaf((frame) => frame.functionName === '(garbage collector)'),
	},
	{
		// n8n's credentials helper resolves `=Bearer {{$credentials.apiKey}}` for every request.
		name: 'credential header expression, per request (n8n)',
		matches: inStack(
			(frame) => frame.functionName === 'authenticate' && frame.url.includes('credentialsHelper'),
		),
	},
	{
		name: 'parameter expressions {{ $json.… }} (n8n)',
		matches: inStack(
			(frame) => frame.functionName === 'getParameterValue' && frame.url.includes('n8n-workflow'),
		),
	},
	{ name: 'zod validation (this package)', matches: atLeaf(urlHas('/zod/')) },
	{ name: 'mapping, scheduling, transport (this package)', matches: atLeaf(urlHas('/nodes/')) },
	{
		name: "HTTP: n8n's axios stack (JSON in and out, a new socket per request)",
		matches: atLeaf(
			urlHas(
				'/axios/',
				'follow-redirects',
				'proxy-from-env',
				'backend-network',
				'node:_http',
				'node:http',
				'node:net',
				'node:url',
				'node:internal/url',
				'node:internal/stream',
				'node:dns',
			),
		),
	},
	{
		name: 'n8n execution engine, other',
		matches: atLeaf(urlHas('n8n-core', 'n8n-workflow', 'luxon', '/test/harness/', '@n8n/')),
	},
];
const OTHER = 'other (V8 and Node internals, JSON, events)';

function stacks(profile: CpuProfile): Array<{ stack: CallFrame[]; hits: number }> {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parentOf = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parentOf.set(child, node.id);
	return profile.nodes
		.filter((node) => node.hitCount > 0)
		.map((node) => {
			const stack: CallFrame[] = [];
			for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) {
				const frame = byId.get(id);
				if (frame) stack.push(frame.callFrame);
			}
			return { stack, hits: node.hitCount };
		});
}

export interface ProfileShare {
	bucket: string;
	share: number;
}

export function classify(profile: CpuProfile): ProfileShare[] {
	const hits = new Map<string, number>();
	let total = 0;
	for (const { stack, hits: count } of stacks(profile)) {
		const bucket = BUCKETS.find((candidate) => candidate.matches(stack))?.name ?? OTHER;
		hits.set(bucket, (hits.get(bucket) ?? 0) + count);
		total += count;
	}
	return [...hits]
		.map(([bucket, count]) => ({ bucket, share: count / total }))
		.sort((a, b) => b.share - a.share);
}

/** Runs `work` under the sampling profiler and returns its result and the buckets. */
export async function profiled<T>(
	work: () => Promise<T>,
): Promise<{ result: T; shares: ProfileShare[] }> {
	const session = new Session();
	session.connect();
	try {
		await session.post('Profiler.enable');
		await session.post('Profiler.setSamplingInterval', { interval: 250 });
		await session.post('Profiler.start');
		const result = await work();
		const { profile } = await session.post('Profiler.stop');
		return { result, shares: classify(profile as CpuProfile) };
	} finally {
		session.disconnect();
	}
}
