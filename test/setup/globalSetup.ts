/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
/**
 * Jest global setup: one Letta simulator and one Prism validator for the whole run.
 * Tests read the URLs from the environment (workers inherit it):
 *   LETTA_SIM_URL  the simulator itself, for the /__sim control API
 *   LETTA_API_URL  the validator in front of it: what nodes and tests send Letta requests to
 * Setting both beforehand reuses an already running pair (e.g. from test/simulator/cli.ts).
 */
import { startSimulator, type RunningSimulator } from '../simulator/server';
import { startSpecValidator, type RunningSpecValidator } from '../simulator/validator';

export interface SimulatorStack {
	simulator: RunningSimulator;
	validator: RunningSpecValidator;
}

/** Shared with globalTeardown, which runs in the same process. */
export const STACK_KEY = '__lettaSimulatorStack';

type GlobalWithStack = typeof globalThis & { [STACK_KEY]?: SimulatorStack };

export default async function globalSetup(): Promise<void> {
	if (process.env.LETTA_SIM_URL && process.env.LETTA_API_URL) return;
	const simulator = await startSimulator();
	const validator = await startSpecValidator({ upstreamUrl: simulator.url }).catch(
		async (error: unknown) => {
			// Do not leave the simulator listening when the run cannot start.
			await simulator.close();
			throw error instanceof Error ? error : new Error(String(error));
		},
	);
	(globalThis as GlobalWithStack)[STACK_KEY] = { simulator, validator };
	process.env.LETTA_SIM_URL = simulator.url;
	process.env.LETTA_API_URL = validator.url;
}
