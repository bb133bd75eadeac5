import type { N8nCli } from './cli';
import { parseLogOutput, type N8nLogLine } from './log';
import type { N8nRun } from './runData';

export interface ExecuteResult {
	/** null when n8n printed no run (for example when the workflow could not start at all). */
	run: N8nRun | null;
	exitCode: number | string;
	durationMs: number;
	log: N8nLogLine[];
	stderr: string;
}

/**
 * `n8n execute --id=<id> --rawOutput`: runs a workflow from its start node in a fresh n8n
 * process, and returns the run n8n logged (its `message` is the run as JSON, printed on
 * success and on failure alike). n8n 2.41 requires a Manual Trigger but then starts at the
 * first trigger of the `nodes` array (Workflow.getStartNode): list the Manual Trigger
 * before a Schedule Trigger or any other trigger.
 */
export async function executeWorkflow(
	cli: N8nCli,
	id: string,
	timeoutSeconds = 120,
): Promise<ExecuteResult> {
	const started = Date.now();
	const result = await cli.run(['execute', `--id=${id}`, '--rawOutput'], timeoutSeconds);
	const log = parseLogOutput(result.stdout);
	return {
		run: printedRun(log),
		exitCode: result.code,
		durationMs: Date.now() - started,
		log,
		stderr: result.stderr,
	};
}

/** The last log message that is a run (a JSON object with `data.resultData`). */
export function printedRun(log: N8nLogLine[]): N8nRun | null {
	let run: N8nRun | null = null;
	for (const line of log) {
		const text = line.message.trim();
		if (!text.startsWith('{')) continue;
		try {
			const parsed = JSON.parse(text) as Partial<N8nRun>;
			if (parsed.data?.resultData) run = parsed as N8nRun;
		} catch {
			// another JSON-looking message
		}
	}
	return run;
}
