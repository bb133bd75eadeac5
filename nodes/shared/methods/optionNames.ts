import type { AgentSummary } from '../api/agents';
import type { ConversationSummary } from '../api/conversations';

/** How the dropdowns name Letta resources. */

/** `name (tag, tag)`, or the id when the agent has no name. */
export function agentOptionName(agent: AgentSummary): string {
	const name = agent.name ?? agent.id;
	return agent.tags?.length ? `${name} (${agent.tags.join(', ')})` : name;
}

/** The summary, or the id with when it was last used. */
export function conversationOptionName(conversation: ConversationSummary): string {
	return (
		conversation.summary ||
		`${conversation.id} (${conversation.last_message_at ?? conversation.created_at ?? 'new'})`
	);
}
