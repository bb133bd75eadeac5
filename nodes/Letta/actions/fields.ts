import type { INodeProperties } from 'n8n-workflow';

import { CONVERSATION_ID_EXAMPLE, RUN_ID_EXAMPLE } from '../../shared/api/ids';
import { agentLocator, conversationLocator } from '../../shared/ui/fields';

/** Fields several operations of the Letta node share. */

export const agentField: INodeProperties = {
	...agentLocator,
	description:
		'The Letta agent: pick it from the list, or give its ID (agent-<uuid>) or its Letta app URL',
};

/** A conversation picked from every agent's conversations, or given by ID. */
export const conversationField: INodeProperties = {
	...conversationLocator,
	required: true,
	description: `The conversation: pick it from the list, or give its ID (${CONVERSATION_ID_EXAMPLE})`,
	modes: (conversationLocator.modes ?? []).map((mode) =>
		mode.name === 'list'
			? {
					...mode,
					placeholder: 'Select a conversation...',
					typeOptions: { searchListMethod: 'searchAllConversations', searchable: true },
				}
			: mode,
	),
};

export const runIdField: INodeProperties = {
	displayName: 'Run ID',
	name: 'runId',
	type: 'string',
	required: true,
	default: '',
	placeholder: RUN_ID_EXAMPLE,
	description:
		'The ID of the run, e.g. the run_id a Send Agent Message reply or a Run list carries',
};

/** An optional-settings collection ("Options", "Filters", "Update Fields"). */
export function collectionField(
	displayName: 'Options' | 'Filters' | 'Update Fields',
	options: INodeProperties[],
): INodeProperties {
	const name = { Options: 'options', Filters: 'filters', 'Update Fields': 'updateFields' }[
		displayName
	];
	return {
		displayName,
		name,
		type: 'collection',
		placeholder: `Add ${displayName === 'Filters' ? 'filter' : displayName === 'Options' ? 'option' : 'field'}`,
		default: {},
		options,
	};
}

export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	default: 50,
	typeOptions: { minValue: 1 },
	displayOptions: { show: { returnAll: [false] } },
	description: 'Max number of results to return',
};
