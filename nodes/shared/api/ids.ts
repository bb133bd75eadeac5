/** Letta id formats (see letta-api-notes.md, "IDs") and the URLs that carry them. */

export const AGENT_ID_PATTERN =
	'^agent-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';

export const CONVERSATION_ID_PATTERN =
	'^conv-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** Matches the agent id inside a Letta web-app URL, with or without a project path before it. */
export const AGENT_URL_PATTERN =
	'^https?://[^\\s/]+/(?:[^\\s]*/)?agents/(agent-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})(?:[/?#].*)?$';

export const AGENT_ID_EXAMPLE = 'agent-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const CONVERSATION_ID_EXAMPLE = 'conv-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

export function isAgentId(value: string): boolean {
	return new RegExp(AGENT_ID_PATTERN).test(value);
}

export function isConversationId(value: string): boolean {
	return new RegExp(CONVERSATION_ID_PATTERN).test(value);
}

/** Returns the agent id a web-app URL points at, or undefined when it is not such a URL. */
export function agentIdFromUrl(url: string): string | undefined {
	return new RegExp(AGENT_URL_PATTERN).exec(url.trim())?.[1];
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Blocks: `block-<uuid4>` (the spec's path pattern for block_id). */
export const BLOCK_ID_PATTERN =
	'^block-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
export const BLOCK_ID_EXAMPLE = 'block-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const RUN_ID_PATTERN = `^run-${UUID}$`;
export const RUN_ID_EXAMPLE = 'run-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const PASSAGE_ID_PATTERN = `^passage-${UUID}$`;
export const PASSAGE_ID_EXAMPLE = 'passage-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
