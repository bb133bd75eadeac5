import type { INodeProperties } from 'n8n-workflow';

export const lettaRunTriggerProperties: INodeProperties[] = [
	{
		displayName:
			"Give this trigger's Production URL to Letta as a run's callback_url, e.g. in Send Agent Message's \"Callback URL\" option. Each callback starts the workflow once with the run's outcome, read from Letta with this credential (the callback body is not trusted). Letta calls back once and never retries.",
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Only Agent Names or IDs',
		name: 'agentIds',
		type: 'multiOptions',
		default: [],
		typeOptions: { loadOptionsMethod: 'getAgents' },
		description:
			'Refuse callbacks of runs of other agents; empty accepts every agent the credential can read. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
];
