/**
 * What is sent: items spread round-robin over lanes (an agent and one of its conversations),
 * each with a text of about 2 KB, and the requests a plain client would send for them.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { TestItem } from '../test/harness/runWorkflow';
import { AGENT_IDS, CONVERSATION_IDS } from '../test/simulator/fixtures';

export interface Lane {
	agentId: string;
	/** Undefined: the agent's default conversation. */
	conversationId?: string;
}

/** Agents of the seed that answer with one assistant message ("echo"), each default conversation a lane. */
const ECHO_AGENTS = [
	AGENT_IDS.customerSupport,
	AGENT_IDS.salesAssistant,
	AGENT_IDS.newsletterWriter,
	AGENT_IDS.dataAnalyst,
	AGENT_IDS.meetingNotes,
	AGENT_IDS.translator,
];

/** Seeded conversations, then agents that get a conversation created for the run. */
export const SEEDED_CONVERSATION_LANES: Lane[] = [
	{ agentId: AGENT_IDS.customerSupport, conversationId: CONVERSATION_IDS.supportBilling },
	{ agentId: AGENT_IDS.customerSupport, conversationId: CONVERSATION_IDS.supportOnboarding },
];
export const AGENTS_NEEDING_A_CONVERSATION = [AGENT_IDS.salesAssistant, AGENT_IDS.translator];

/** 10 lanes: six default conversations, two seeded and two created conversations. */
export function buildLanes(createdConversations: Lane[]): Lane[] {
	return [
		...ECHO_AGENTS.map((agentId) => ({ agentId })),
		...SEEDED_CONVERSATION_LANES,
		...createdConversations,
	];
}

export const TEXT_BYTES = 2048;
const FILLER =
	'Summarise the ticket, name the customer, list the products involved and propose the next step. ';

/** About TEXT_BYTES of ASCII text that differs per item (so no two bodies are the same). */
export function itemText(index: number): string {
	const head = `Item ${index}: `;
	return (head + FILLER.repeat(Math.ceil(TEXT_BYTES / FILLER.length))).slice(0, TEXT_BYTES);
}

export interface WorkItem {
	index: number;
	lane: Lane;
	text: string;
}

export function buildWork(count: number, lanes: Lane[]): WorkItem[] {
	return Array.from({ length: count }, (_, index) => ({
		index,
		lane: lanes[index % lanes.length],
		text: itemText(index),
	}));
}

/** Input items as an upstream node would hand them over: the ids and text as fields. */
export function toTestItems(work: WorkItem[]): TestItem[] {
	return work.map(({ lane, text }) => ({
		json: { agentId: lane.agentId, conversationId: lane.conversationId ?? '', text },
	}));
}

/** The node mapped the way a user maps it: every field from the item by expression. */
export function sendAgentMessageParameters(concurrency: number): INodeParameters {
	return {
		agentId: '={{ { __rl: true, mode: "id", value: $json.agentId } }}',
		conversationId: '={{ { __rl: true, mode: "id", value: $json.conversationId } }}',
		messageInput: 'text',
		text: '={{ $json.text }}',
		options: { concurrency },
	};
}

/** Key of a lane, as the node's scheduler keys it. */
export function laneKey(lane: Lane): string {
	return `${lane.agentId}/${lane.conversationId ?? 'default'}`;
}

export interface PlainRequest {
	path: string;
	body: Record<string, unknown>;
}

/** The request the Letta API documents for one item: what any client has to send. */
export function plainRequest({ lane, text }: WorkItem): PlainRequest {
	const messages = [{ role: 'user', content: text }];
	return lane.conversationId
		? {
				path: `/v1/conversations/${lane.conversationId}/messages`,
				body: { messages, streaming: false },
			}
		: { path: `/v1/agents/${lane.agentId}/messages`, body: { messages } };
}
