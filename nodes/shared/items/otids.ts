import { createHash } from 'crypto';

import type { JsonMessageInput } from '../api/messageSchemas';

/** Ids a client sets on what it sends, derived so that a resend is recognisable. */

/**
 * A UUID-shaped id (version 8: application-defined) derived from its parts, so the same
 * execution, node, item and message always get the same id and a resend is recognisable.
 */
export function deterministicId(parts: string[]): string {
	const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What makes an item's messages one request: the same parts give the same otids. */
export interface OtidSeed {
	workflowId: string;
	executionId: string;
	nodeName: string;
	itemIndex: number;
	/** For an approval answer: the answer itself, so a different answer is a different request. */
	answer?: string;
}

/** The otid of the n-th message of an item. */
export function messageOtid(seed: OtidSeed, messageIndex: number): string {
	return deterministicId([
		'letta-otid',
		seed.workflowId,
		seed.executionId,
		seed.nodeName,
		String(seed.itemIndex),
		seed.answer ?? '',
		String(messageIndex),
	]);
}

/**
 * The input with an otid on every message (`input` becomes the one user message it stands
 * for); an otid the user gave is kept. Letta recognises a resend of a background request by them.
 */
export function withOtids(input: JsonMessageInput, seed: OtidSeed): JsonMessageInput {
	const messages = input.messages ?? [{ role: 'user' as const, content: input.input ?? '' }];
	return {
		messages: messages.map((message, index) => ({
			...message,
			otid: message.otid || messageOtid(seed, index),
		})),
	};
}
