import { randomUUID } from 'crypto';

import { deterministicId } from '../shared/items/otids';

/** The ids an environment message carries, derived so that a resend is recognisable. */

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
