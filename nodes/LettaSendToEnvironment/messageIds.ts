import { createHash, randomUUID } from 'crypto';

/** The ids an environment message carries, derived so that a resend is recognisable. */

/**
 * A UUID-shaped id (version 8: application-defined) derived from its parts, so the same
 * execution, node, item and message always get the same id and a resend is recognisable.
 */
export function deterministicId(parts: string[]): string {
	const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface MessageIdSeed {
	workflowId: string;
	executionId: string;
	nodeId: string;
	itemIndex: number;
}

/** `client_message_id` and `otid` of the n-th message of an item. */
export function messageIds(
	seed: MessageIdSeed,
	messageIndex: number,
): { clientMessageId: string; otid: string } {
	// Without an execution id (should not happen) ids are random: unique beats stable.
	const execution = seed.executionId || randomUUID();
	const base = [
		seed.workflowId,
		execution,
		seed.nodeId,
		String(seed.itemIndex),
		String(messageIndex),
	];
	return {
		clientMessageId: `n8n-${deterministicId(['client_message_id', ...base])}`,
		otid: deterministicId(['otid', ...base]),
	};
}
