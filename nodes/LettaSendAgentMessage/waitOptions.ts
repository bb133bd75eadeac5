import type { INodeProperties } from 'n8n-workflow';

/** How Send Agent Message waits for a run to end (issue 10). */
export const WAIT_MODE = {
	stream: 'stream',
	backgroundRun: 'backgroundRun',
	plainRequest: 'plainRequest',
	waitForCallback: 'waitForCallback',
} as const;

export const WAIT_MODES = Object.values(WAIT_MODE);

export const DEFAULT_CALLBACK_DEADLINE_MINUTES = 60;

export const waitModeOption: INodeProperties = {
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	default: 'stream',
	options: [
		{ name: 'Stream', value: WAIT_MODE.stream, description: 'Stream the run and resume it if cut' },
		{
			name: 'Background Run',
			value: WAIT_MODE.backgroundRun,
			description: 'Start the run in the background and poll it until it ends',
		},
		{
			name: 'Plain Request',
			value: WAIT_MODE.plainRequest,
			description: 'One HTTP request that waits for the whole answer',
		},
		{
			name: 'Wait for Callback',
			value: WAIT_MODE.waitForCallback,
			description:
				"Start each run in the background and put the execution to wait (freeing n8n) until Letta calls this execution's resume URL when the run ends",
		},
	],
	description: 'How the node waits for the agent to finish',
};

export const callbackDeadlineOption: INodeProperties = {
	displayName: 'Callback Deadline (Minutes)',
	name: 'callbackDeadlineMinutes',
	type: 'number',
	default: DEFAULT_CALLBACK_DEADLINE_MINUTES,
	typeOptions: { minValue: 1 },
	description:
		'Wait for Callback: how long the execution waits for Letta\'s callbacks. Letta calls back once and never retries; when the deadline passes first, n8n resumes the execution and the node puts out each run it still waits on with status "no_callback" and its run ID.',
};

export const callbackUrlOption: INodeProperties = {
	displayName: 'Callback URL',
	name: 'callbackUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://n8n.example.com/webhook/letta-runs',
	description:
		"Fire and forget: start the run in the background and put it out at once (run_id, status); Letta POSTs the outcome to this URL when the run ends, e.g. a Letta Run Trigger's URL. Overrides Wait Mode.",
};
