import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_WAIT_MODE, WAIT_MODES } from '../waiting/waitModes';

export const waitModeOption: INodeProperties = {
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	default: DEFAULT_WAIT_MODE,
	options: WAIT_MODES.map((mode) => ({ ...mode })),
	description:
		'How the node waits for the run. Stream and Background Run survive proxies that cut idle connections and long runs.',
};

export const cancelOnTimeoutOption: INodeProperties = {
	displayName: 'Cancel Run on Timeout',
	name: 'cancelOnTimeout',
	type: 'boolean',
	default: false,
	description:
		'Whether to cancel the run in Letta when the Timeout passes; otherwise it goes on and the error names it',
};
