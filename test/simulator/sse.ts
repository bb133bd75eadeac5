/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * Letta's streaming answer: `data: <json>` events for each message, then the stop_reason
 * and usage_statistics chunks, then `data: [DONE]`. Pings keep slow runs alive; a failure
 * after the stream started is sent as `event: error`.
 */
import type { ServerResponse } from 'node:http';
import type { SimulatorContext } from './context';
import { filterResponse, type PreparedTurn } from './conversationTurn';
import { HttpError } from './http';
import type { MessageType } from './types';

function writeEvent(res: ServerResponse, data: unknown, event?: string): void {
	const prefix = event ? `event: ${event}\n` : '';
	res.write(`${prefix}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

export async function streamTurn(
	ctx: SimulatorContext,
	res: ServerResponse,
	prepared: PreparedTurn,
	options: { includePings: boolean; includeReturnMessageTypes: MessageType[] | null },
): Promise<number> {
	res.writeHead(200, {
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache',
		connection: 'keep-alive',
	});
	let pingTimer: NodeJS.Timeout | null = null;
	if (options.includePings && prepared.kind === 'run') {
		const runId = prepared.run.id;
		pingTimer = setInterval(() => {
			writeEvent(res, {
				message_type: 'ping',
				id: ctx.store.ids.prefixed('message'),
				date: new Date().toISOString(),
				run_id: runId,
			});
		}, ctx.settings.pingIntervalMs);
	}
	try {
		const response = prepared.kind === 'run' ? await prepared.execute() : prepared.response;
		const filtered = filterResponse(response, options.includeReturnMessageTypes);
		for (const message of filtered.messages) writeEvent(res, message);
		writeEvent(res, filtered.stop_reason);
		writeEvent(res, filtered.usage);
		writeEvent(res, '[DONE]');
	} catch (error) {
		const detail = error instanceof HttpError ? JSON.stringify(error.body) : String(error);
		writeEvent(
			res,
			{
				message_type: 'error_message',
				run_id: prepared.kind === 'run' ? prepared.run.id : '',
				error_type: 'internal_error',
				message: 'The run failed while streaming.',
				detail,
			},
			'error',
		);
	} finally {
		if (pingTimer) clearInterval(pingTimer);
		res.end();
	}
	return 200;
}
