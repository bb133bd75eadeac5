/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * Runs the simulator (and optionally the Prism validator in front of it) as a process:
 *
 *   tsx test/simulator/cli.ts --port 8283 [--host 127.0.0.1] [--validate [--validator-port 8284]] [--api-key K]
 *
 * Prints one JSON line on stdout once ready:
 *   {"simulatorUrl": "...", "controlUrl": "...", "apiUrl": "...", "validatorUrl": "..." | null}
 * `apiUrl` is what a Letta client should use (the validator when --validate is on).
 * Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './server';
import { startSpecValidator } from './validator';

function parsePort(value: string | undefined, fallback: number, flag: string): number {
	if (value === undefined) return fallback;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`${flag} must be a port number, got "${value}"`);
	return port;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			validate: { type: 'boolean', default: false },
			'validator-port': { type: 'string' },
			'api-key': { type: 'string' },
		},
		strict: true,
	});
	const simulator = await startSimulator({
		port: parsePort(values.port, 8283, '--port'),
		host: values.host,
		apiKey: values['api-key'],
	});
	const validator = values.validate
		? await startSpecValidator({
				upstreamUrl: simulator.url,
				port: parsePort(values['validator-port'], 0, '--validator-port'),
			}).catch(async (error: unknown) => {
				await simulator.close();
				throw error instanceof Error ? error : new Error(String(error));
			})
		: null;

	let stopping = false;
	const stop = (signal: NodeJS.Signals): void => {
		if (stopping) return;
		stopping = true;
		process.stderr.write(`[letta-simulator] ${signal}: stopping\n`);
		void Promise.all([validator?.close(), simulator.close()]).then(
			() => process.exit(0),
			(error: unknown) => {
				process.stderr.write(`[letta-simulator] error while stopping: ${String(error)}\n`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	process.stdout.write(
		`${JSON.stringify({
			simulatorUrl: simulator.url,
			controlUrl: `${simulator.url}/__sim`,
			apiUrl: validator ? validator.url : simulator.url,
			validatorUrl: validator ? validator.url : null,
		})}\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`[letta-simulator] failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exit(1);
});
