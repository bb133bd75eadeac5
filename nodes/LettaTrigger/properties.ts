import type { INodeProperties } from 'n8n-workflow';

import { agentLocator, conversationLocator } from '../shared/ui/fields';

export const TRIGGER_EVENTS = { approvalRequested: 'approvalRequested' } as const;

export const WATCH_SCOPE = {
	allAgents: 'allAgents',
	agent: 'agent',
	conversations: 'conversations',
} as const;

export const AGENT_FILTER = { none: 'none', tags: 'tags', agents: 'agents' } as const;

export const DEFAULT_DENIAL_REASON =
	'No one answered this approval request in time, so it was denied automatically.';

const forScopes = (...scopes: string[]) => ({ show: { scope: scopes } });

export const lettaTriggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'approvalRequested',
		options: [
			{
				name: 'Approval Requested',
				value: TRIGGER_EVENTS.approvalRequested,
				description: 'An agent stopped to ask for a human yes before running a tool',
			},
		],
	},
	{
		displayName: 'Watch',
		name: 'scope',
		type: 'options',
		noDataExpression: true,
		default: 'allAgents',
		options: [
			{
				name: 'All Agents',
				value: WATCH_SCOPE.allAgents,
				description:
					'Every agent the credential can see (one request per poll finds the blocked ones)',
			},
			{
				name: 'One Agent',
				value: WATCH_SCOPE.agent,
				description: "One agent's default conversation",
			},
			{
				name: "One Agent's Conversations",
				value: WATCH_SCOPE.conversations,
				description: 'The conversations of one agent, or one of them',
			},
		],
	},
	{
		displayName: 'Filter Agents',
		name: 'agentFilter',
		type: 'options',
		noDataExpression: true,
		default: 'none',
		displayOptions: forScopes(WATCH_SCOPE.allAgents),
		options: [
			{ name: 'No Filter', value: AGENT_FILTER.none },
			{
				name: 'By Tags',
				value: AGENT_FILTER.tags,
				description: 'Only agents with some (or all) of these tags',
			},
			{ name: 'By Agent', value: AGENT_FILTER.agents, description: 'Only the agents picked here' },
		],
	},
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. ops, prod',
		displayOptions: { show: { scope: [WATCH_SCOPE.allAgents], agentFilter: [AGENT_FILTER.tags] } },
		description: 'Agent tags, separated by commas',
	},
	{
		displayName: 'Match All Tags',
		name: 'matchAllTags',
		type: 'boolean',
		default: false,
		displayOptions: { show: { scope: [WATCH_SCOPE.allAgents], agentFilter: [AGENT_FILTER.tags] } },
		description: 'Whether an agent needs every tag (on) or any one of them (off)',
	},
	{
		displayName: 'Agent Names or IDs',
		name: 'agentIds',
		type: 'multiOptions',
		default: [],
		required: true,
		typeOptions: { loadOptionsMethod: 'getAgents' },
		displayOptions: {
			show: { scope: [WATCH_SCOPE.allAgents], agentFilter: [AGENT_FILTER.agents] },
		},
		description:
			'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		...agentLocator,
		description: 'The agent to watch',
		displayOptions: forScopes(WATCH_SCOPE.agent, WATCH_SCOPE.conversations),
	},
	{
		...conversationLocator,
		displayOptions: forScopes(WATCH_SCOPE.conversations),
		description:
			"Optional. One conversation to watch; leave empty to watch all of the agent's conversations.",
		modes: (conversationLocator.modes ?? []).map((mode) =>
			mode.name === 'list' ? { ...mode, placeholder: 'All conversations' } : mode,
		),
	},
	{
		displayName: 'Include Conversations',
		name: 'includeConversations',
		type: 'boolean',
		default: false,
		displayOptions: forScopes(WATCH_SCOPE.allAgents, WATCH_SCOPE.agent),
		description:
			"Whether to also watch the agents' conversations, not only their default conversations. Reads the runs that stopped for approval, one more request per poll (per picked agent) and one per candidate conversation.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Deny After (Minutes)',
				name: 'denyAfterMinutes',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				description:
					'Deny every tool call of a request still pending this long after the agent asked, so no agent stays blocked forever. Each denial is output as an item (event "approval_denied"). 0 never denies.',
			},
			{
				displayName: 'Denial Reason',
				name: 'denyReason',
				type: 'string',
				default: DEFAULT_DENIAL_REASON,
				description: 'What the agent reads when a request is denied at its deadline',
			},
			{
				displayName: 'Remind After (Minutes)',
				name: 'remindAfterMinutes',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				description:
					'Output a request again (with "reminder": true) when it is still pending this long after it was last output. 0 outputs each request once.',
			},
		],
	},
];
