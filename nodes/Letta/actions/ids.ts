import type { IExecuteFunctions } from 'n8n-workflow';

import {
	BLOCK_ID_EXAMPLE,
	BLOCK_ID_PATTERN,
	PASSAGE_ID_EXAMPLE,
	PASSAGE_ID_PATTERN,
	RUN_ID_EXAMPLE,
	RUN_ID_PATTERN,
} from '../../shared/api/ids';
import { resolveConversationId } from '../../shared/items/locators';
import { itemInputError } from '../../shared/items/parameters';

/** Reading the ids of Letta objects an item names, checked before any request is made. */

export interface LettaIdKind {
	label: string;
	pattern: string;
	example: string;
}

export const BLOCK_ID: LettaIdKind = {
	label: 'block ID',
	pattern: BLOCK_ID_PATTERN,
	example: BLOCK_ID_EXAMPLE,
};
export const RUN_ID: LettaIdKind = {
	label: 'run ID',
	pattern: RUN_ID_PATTERN,
	example: RUN_ID_EXAMPLE,
};
export const PASSAGE_ID: LettaIdKind = {
	label: 'passage ID',
	pattern: PASSAGE_ID_PATTERN,
	example: PASSAGE_ID_EXAMPLE,
};

/** The id, trimmed, when it has the kind's format; otherwise what is wrong with it. */
export function checkLettaId(
	raw: unknown,
	kind: LettaIdKind,
): { id: string } | { problem: string } {
	const value = typeof raw === 'string' ? raw.trim() : '';
	if (!value) return { problem: `No ${kind.label} given` };
	if (!new RegExp(kind.pattern).test(value))
		return { problem: `"${value}" is not a Letta ${kind.label}` };
	return { id: value };
}

export function readLettaId(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	kind: LettaIdKind,
): string {
	const checked = checkLettaId(context.getNodeParameter(name, itemIndex, ''), kind);
	if ('id' in checked) return checked.id;
	throw itemInputError(
		context,
		itemIndex,
		checked.problem,
		`A ${kind.label} looks like ${kind.example}. Map it from an earlier node, e.g. {{ $json.id }}.`,
	);
}

/** A conversation the operation needs: unlike messages, there is no default to fall back to. */
export function requireConversationId(context: IExecuteFunctions, itemIndex: number): string {
	const conversationId = resolveConversationId(context, itemIndex);
	if (conversationId) return conversationId;
	throw itemInputError(
		context,
		itemIndex,
		'No conversation given',
		'Pick a conversation from the list, or give its ID (conv-<uuid>).',
	);
}
