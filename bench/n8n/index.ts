/* eslint-disable @n8n/community-nodes/no-restricted-globals, no-console -- benchmark tooling prints its results */
/**
 * The real-n8n group as one call: runs every case, prints the table and the ratios with
 * their targets, and returns what bench/results/ keeps. `tsx bench/n8n/cli.ts` runs it alone.
 */
import {
	formatN8nRatios,
	formatN8nTable,
	n8nCases,
	n8nRatios,
	PROFILE_CASE,
	profileN8n,
	runN8nGroup,
	type N8nRatio,
	type N8nVariantResult,
} from './group';

export interface RealN8nResults {
	variants: N8nVariantResult[];
	ratios: N8nRatio[];
}

/** `only`: one case's id (latency200, cpu, latency50, memory), for a quick look. */
export async function runRealN8n(quick: boolean, only?: string): Promise<RealN8nResults> {
	const cases = n8nCases(quick).filter((entry) => !only || entry.id === only);
	const variants = await runN8nGroup(
		cases,
		(message) => console.log(message),
		(mark) => process.stdout.write(mark),
	);
	const ratios = n8nRatios(cases, variants);
	console.log(
		`\nreal n8n (n8n execute), Send Agent Message vs the HTTP Request node:\n${formatN8nTable(cases, variants)}\n\n` +
			`ratios, median of per-round ratios (min-max):\n${formatN8nRatios(ratios)}\n`,
	);
	return { variants, ratios };
}

/** `--profile`: one profiled run, its shares printed. */
export async function profileRealN8n(): Promise<void> {
	const summary = await profileN8n((message) => console.log(message));
	const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
	console.log(
		`CPU profile of Send Agent Message in n8n execute, ${PROFILE_CASE.label}: ${summary.sampledMs.toFixed(0)} ms sampled`,
	);
	console.log('self time by package:');
	for (const entry of summary.byPackage) console.log(`  ${percent(entry.share)}  ${entry.name}`);
	console.log('inclusive time of the calls worth naming:');
	for (const entry of summary.inclusive) console.log(`  ${percent(entry.share)}  ${entry.name}`);
	console.log('self time, top functions:');
	for (const entry of summary.topFunctions) console.log(`  ${percent(entry.share)}  ${entry.name}`);
}
