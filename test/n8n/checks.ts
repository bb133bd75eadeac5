/* eslint-disable no-console -- the runners' report goes to the console */
/**
 * One check of the real-n8n suites (e2e, queue mode): it passes when `work` returns no problems
 * and does not throw. Prints its line (`ok`/`FAIL`, name, seconds, each problem) and hands back
 * the outcome for the runner's tally.
 */
export interface CheckOutcome {
	name: string;
	problems: string[];
	ms: number;
}

export function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

export async function runCheck(name: string, work: () => Promise<string[]>): Promise<CheckOutcome> {
	const started = Date.now();
	let problems: string[];
	try {
		problems = await work();
	} catch (error) {
		problems = [error instanceof Error ? error.message : String(error)];
	}
	const ms = Date.now() - started;
	console.log(`  ${problems.length ? 'FAIL' : 'ok  '}  ${name} (${seconds(ms)})`);
	for (const problem of problems)
		console.log(`        - ${problem.split('\n').join('\n          ')}`);
	return { name, problems, ms };
}
