/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling runs in plain Node, outside n8n */
/**
 * Where the measured node's CPU goes inside `n8n execute`: the process runs with `--cpu-prof`;
 * of its profile only the samples from the node's `execute` to the package's last frame count
 * (n8n's start-up and the printing of the run are left out), summed by self time per function
 * and per package.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

export interface ProfileSummary {
	sampledMs: number;
	byPackage: Array<{ name: string; share: number }>;
	topFunctions: Array<{ name: string; share: number }>;
	/** Samples whose stack holds the function (inclusive time), for the calls worth naming. */
	inclusive: Array<{ name: string; share: number }>;
}

/** n8n calls a node makes per item or per request, and what they cost including callees. */
const INCLUSIVE_FUNCTIONS = [
	'_getNodeParameter',
	'getParameterValue',
	'resolveSimpleParameterValue',
	'validateValueAgainstSchema',
	'cleanupParameterData',
	'getAdditionalKeys',
	'getByNameAndVersion',
	'httpRequestWithAuthentication',
	'getCredentials',
	'authenticate',
	'prepareMessage',
	'sendPreparedMessage',
	'runKeyedInOrder',
	'parse',
];

const PACKAGE_MARK = '/n8n-nodes-letta/dist/';

/** The package (or Node/V8 area) a frame belongs to. */
function areaOf(frame: CallFrame): string {
	if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
	if (frame.url.includes(PACKAGE_MARK)) return 'n8n-nodes-letta (this package)';
	const modules = frame.url.split('/node_modules/');
	if (modules.length > 1) {
		const parts = modules[modules.length - 1].split('/');
		return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
	}
	if (frame.url.startsWith('node:')) return 'node: internals';
	return frame.url;
}

function shares(counts: Map<string, number>, total: number, top: number) {
	return [...counts]
		.map(([name, count]) => ({ name, share: count / total }))
		.sort((a, b) => b.share - a.share)
		.slice(0, top);
}

export function summariseProfile(directory: string): ProfileSummary {
	const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
	if (!file) throw new Error(`no .cpuprofile in ${directory}`);
	const profile = JSON.parse(readFileSync(join(directory, file), 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parentOf = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parentOf.set(child, node.id);
	const inPackage = new Map<number, boolean>();
	// Loading the package at start-up runs its files too: only its code at work counts.
	const atWork = (frame: CallFrame | undefined) =>
		frame !== undefined && frame.url.includes(PACKAGE_MARK) && frame.functionName !== '';
	const touchesPackage = (id: number): boolean => {
		const known = inPackage.get(id);
		if (known !== undefined) return known;
		const parent = parentOf.get(id);
		const result =
			atWork(byId.get(id)?.callFrame) || (parent !== undefined && touchesPackage(parent));
		inPackage.set(id, result);
		return result;
	};
	// n8n runs the package's constructors while it loads nodes: the window opens at `execute`.
	const inExecute = (id: number): boolean => {
		for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
			const frame = byId.get(at)?.callFrame;
			if (frame?.functionName === 'execute' && frame.url.includes(PACKAGE_MARK)) return true;
		}
		return false;
	};
	const first = profile.samples.findIndex(inExecute);
	const last =
		profile.samples.length - 1 - [...profile.samples].reverse().findIndex(touchesPackage);
	const byArea = new Map<string, number>();
	const byFunction = new Map<string, number>();
	const inclusive = new Map<string, number>();
	let total = 0;
	let sampledUs = 0;
	for (let index = Math.max(first, 0); index <= last; index++) {
		const frame = byId.get(profile.samples[index])?.callFrame;
		if (!frame) continue;
		const delta = profile.timeDeltas[index] ?? 0;
		sampledUs += delta;
		total += 1;
		const area = areaOf(frame);
		byArea.set(area, (byArea.get(area) ?? 0) + 1);
		const name = `${frame.functionName || '(anonymous)'} ${area}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
		byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
		const seen = new Set<string>();
		for (
			let id: number | undefined = profile.samples[index];
			id !== undefined;
			id = parentOf.get(id)
		) {
			const fn = byId.get(id)?.callFrame.functionName ?? '';
			if (INCLUSIVE_FUNCTIONS.includes(fn)) seen.add(fn);
		}
		for (const fn of seen) inclusive.set(fn, (inclusive.get(fn) ?? 0) + 1);
	}
	return {
		sampledMs: sampledUs / 1000,
		byPackage: shares(byArea, total, 12),
		topFunctions: shares(byFunction, total, 15),
		inclusive: shares(inclusive, total, INCLUSIVE_FUNCTIONS.length),
	};
}
