/** How Send Agent Message waits for a run: one list, so adding a mode is one line here. */
export const WAIT_MODES = [
	{
		name: 'Stream',
		value: 'stream',
		description:
			'Streams the run in the background on Letta with keepalive pings; a dropped connection resumes, a resend never starts a second run',
	},
	{
		name: 'Background Run',
		value: 'backgroundRun',
		description:
			'Starts the run in the background and polls it until it ends (a named conversation streams instead: Letta has no background run for it)',
	},
	{
		name: 'Plain Request',
		value: 'plainRequest',
		description:
			'One HTTP request that waits for the reply (for servers and proxies where streaming is not wanted)',
	},
	{
		name: 'Wait for Callback',
		value: 'waitForCallback',
		description:
			"Starts each run in the background and puts the execution to wait (freeing n8n) until Letta calls this execution's resume URL when the run ends (agent's default conversation only)",
	},
] as const;

export type WaitMode = (typeof WAIT_MODES)[number]['value'];

export const DEFAULT_WAIT_MODE: WaitMode = 'stream';
/** Handled by the node itself (the execution waits), not by the shared waiting code. */
export const WAIT_FOR_CALLBACK: WaitMode = 'waitForCallback';

export function isWaitMode(value: unknown): value is WaitMode {
	return WAIT_MODES.some((mode) => mode.value === value);
}

/** No byte (Letta pings about every 20 s) for this long: the connection is dead, resume. */
export const STREAM_IDLE_MS = 60_000;
/** Reconnections of one stream before giving up (each resumes where the last one stopped). */
export const MAX_STREAM_RECONNECTS = 20;
