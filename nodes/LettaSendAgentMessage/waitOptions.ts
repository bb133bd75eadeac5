import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_CALLBACK_DEADLINE_MINUTES = 60;

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
