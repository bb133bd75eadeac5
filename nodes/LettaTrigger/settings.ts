import type { IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	AGENT_ID_EXAMPLE,
	CONVERSATION_ID_EXAMPLE,
	isAgentId,
	isConversationId,
} from '../shared/api/ids';
import type { WatchScope } from '../shared/approvals/pendingApprovals';
import { AGENT_FILTER, DEFAULT_DENIAL_REASON, WATCH_SCOPE } from './properties';

const MINUTE_MS = 60_000;

export interface TriggerSettings {
	watch: WatchScope;
	remindAfterMs: number;
	denyAfterMs: number;
	denyReason: string;
}

interface TriggerOptions {
	remindAfterMinutes?: number;
	denyAfterMinutes?: number;
	denyReason?: string;
}

/** A list parameter given as an array, or as text separated by commas (from an expression). */
export function splitList(value: unknown): string[] {
	const entries = Array.isArray(value) ? value.map(String) : String(value ?? '').split(',');
	return [...new Set(entries.map((entry) => entry.trim()).filter(Boolean))];
}

function minutes(context: IPollFunctions, value: unknown, label: string): number {
	if (value === undefined || value === null || value === '') return 0;
	const number = Number(value);
	if (!Number.isFinite(number) || number < 0) {
		throw new NodeOperationError(
			context.getNode(),
			`"${label}" must be a number of minutes, 0 or more`,
			{
				description: `Got ${JSON.stringify(value)}. Use 0 to turn it off.`,
			},
		);
	}
	return number * MINUTE_MS;
}

function locatorValue(context: IPollFunctions, name: string): string {
	return String(context.getNodeParameter(name, '', { extractValue: true }) ?? '').trim();
}

function readAgentId(context: IPollFunctions): string {
	const agentId = locatorValue(context, 'agentId');
	if (!isAgentId(agentId)) {
		throw new NodeOperationError(
			context.getNode(),
			agentId ? `"${agentId}" is not a Letta agent ID` : 'No agent given',
			{
				description: `Pick the agent to watch from the list, or give its ID (like ${AGENT_ID_EXAMPLE}) or its Letta app URL.`,
			},
		);
	}
	return agentId;
}

/** Reads and checks the trigger's parameters; a bad one fails the poll with a fix-it message. */
export function readTriggerSettings(context: IPollFunctions): TriggerSettings {
	const scope = context.getNodeParameter('scope', WATCH_SCOPE.allAgents) as string;
	let watch: WatchScope;
	if (scope === WATCH_SCOPE.agent) {
		watch = {
			kind: 'agent',
			agentId: readAgentId(context),
			includeConversations: context.getNodeParameter('includeConversations', false) as boolean,
		};
	} else if (scope === WATCH_SCOPE.conversations) {
		const conversationId = locatorValue(context, 'conversationId');
		if (conversationId && !isConversationId(conversationId)) {
			throw new NodeOperationError(
				context.getNode(),
				`"${conversationId}" is not a Letta conversation ID`,
				{
					description: `Conversation IDs look like ${CONVERSATION_ID_EXAMPLE}. Leave the field empty to watch all of the agent's conversations.`,
				},
			);
		}
		watch = {
			kind: 'conversations',
			agentId: readAgentId(context),
			conversationId: conversationId || null,
		};
	} else {
		const filter = context.getNodeParameter('agentFilter', AGENT_FILTER.none) as string;
		const tags =
			filter === AGENT_FILTER.tags ? splitList(context.getNodeParameter('tags', '')) : [];
		const agentIds =
			filter === AGENT_FILTER.agents ? splitList(context.getNodeParameter('agentIds', [])) : [];
		if (filter === AGENT_FILTER.tags && tags.length === 0) {
			throw new NodeOperationError(context.getNode(), 'No tags given to filter agents by', {
				description: 'Fill in "Tags" (e.g. ops, prod), or set "Filter Agents" to No Filter.',
			});
		}
		if (filter === AGENT_FILTER.agents) {
			const invalid = agentIds.filter((id) => !isAgentId(id));
			if (agentIds.length === 0 || invalid.length > 0) {
				throw new NodeOperationError(
					context.getNode(),
					agentIds.length === 0
						? 'No agents picked to watch'
						: `Not Letta agent IDs: ${invalid.join(', ')}`,
					{ description: `Pick agents from the list, or give IDs like ${AGENT_ID_EXAMPLE}.` },
				);
			}
		}
		watch = {
			kind: 'allAgents',
			tags,
			matchAllTags:
				filter === AGENT_FILTER.tags &&
				(context.getNodeParameter('matchAllTags', false) as boolean),
			agentIds,
			includeConversations: context.getNodeParameter('includeConversations', false) as boolean,
		};
	}
	const options = context.getNodeParameter('options', {}) as TriggerOptions;
	return {
		watch,
		remindAfterMs: minutes(context, options.remindAfterMinutes, 'Remind After (Minutes)'),
		denyAfterMs: minutes(context, options.denyAfterMinutes, 'Deny After (Minutes)'),
		denyReason: options.denyReason?.trim() || DEFAULT_DENIAL_REASON,
	};
}
