import { runCommand, type RunResult } from '../processes';
import { parseLogOutput, type N8nLogLine } from './log';
import { n8nCommand, n8nEnvironment, type N8nOptions } from './options';

/**
 * n8n's command line for one instance: each call runs `n8n <args>` to completion in its own
 * process, on the CLI broker port (so commands can run beside a started server).
 */
export class N8nCli {
	constructor(readonly options: N8nOptions) {}

	/** Runs `n8n <args>` to completion, whatever its exit code. */
	async run(args: string[], timeoutSeconds = 300): Promise<RunResult> {
		const { command, args: commandArgs } = n8nCommand(args);
		return await runCommand(`n8n ${args[0]}`, command, commandArgs, {
			cwd: this.options.userFolder,
			env: n8nEnvironment(this.options, {
				N8N_RUNNERS_BROKER_PORT: String(this.options.cliBrokerPort),
				N8N_LOG_FORMAT: 'json',
			}),
			timeoutSeconds,
		});
	}

	/** Like run(), but throws when the command exits non-zero; returns its parsed log too. */
	async runChecked(
		args: string[],
		timeoutSeconds = 300,
	): Promise<RunResult & { log: N8nLogLine[] }> {
		const result = await this.run(args, timeoutSeconds);
		const log = parseLogOutput(result.stdout);
		if (result.code !== 0) {
			const errors = log.filter((line) => line.level === 'error').map((line) => line.message);
			const tail = [...errors, result.stderr.trim(), ...log.slice(-10).map((l) => l.message)]
				.filter(Boolean)
				.join('\n');
			throw new Error(`n8n ${args.join(' ')} failed (exit ${String(result.code)}):\n${tail}`);
		}
		return { ...result, log };
	}
}
