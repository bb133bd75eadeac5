import type { IDataObject } from 'n8n-workflow';

import type { LettaResponse } from '../api/messageSchemas';
import type { MessageScope } from '../api/messages';
import type { LettaRequest } from '../transport/request';
import type { WaitMode } from './waitModes';

/** One item's message, ready to be sent and waited for in any wait mode. */
export interface WaitJob {
	scope: MessageScope & { agentId: string };
	/** The body's message fields (messages with otids, options), without transport flags. */
	fields: IDataObject;
	/** The same message as a plain request (Plain Request mode, and fallbacks). */
	plainRequest: LettaRequest;
	mode: WaitMode;
	cancelOnTimeout: boolean;
	timeoutMs: number;
	/** Epoch ms: the Timeout bounds the whole wait. */
	deadline: number;
	itemIndex: number;
	/** The stream's idle limit; tests shorten it. */
	idleMs?: number;
	onReconnect?: () => void;
	/** Set when the reply streams on to n8n's chat: hears each chunk, and tokens are asked for. */
	onChunk?: (chunk: IDataObject) => void;
}

/** How a wait ended: a reply (read, or raw for a plain request), or the Timeout with the run going. */
export type WaitOutcome =
	| { response: LettaResponse; runId?: string }
	| { raw: unknown }
	| { timedOut: true; runId?: string };
