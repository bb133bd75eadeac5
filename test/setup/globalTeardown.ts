/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
/**
 * Jest global teardown: stops the simulator and the Prism validator started by globalSetup
 * (nothing to do when the run reused an externally started pair).
 */
import { STACK_KEY, type SimulatorStack } from './globalSetup';

type GlobalWithStack = typeof globalThis & { [STACK_KEY]?: SimulatorStack };

export default async function globalTeardown(): Promise<void> {
	const holder = globalThis as GlobalWithStack;
	const stack = holder[STACK_KEY];
	if (!stack) return;
	delete holder[STACK_KEY];
	await Promise.all([stack.validator.close(), stack.simulator.close()]);
}
