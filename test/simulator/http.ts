/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/** Small helpers over node:http: reading JSON bodies, answering JSON, error values. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Thrown by handlers to answer with a status and a JSON body; caught in one place. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {
		super(`HTTP ${status}: ${JSON.stringify(body)}`);
	}
}

/** Request body as text; bodies are small JSON documents, a cap keeps memory bounded. */
export async function readBodyText(
	req: IncomingMessage,
	maxBytes = 20 * 1024 * 1024,
): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > maxBytes)
			throw new HttpError(413, { detail: 'Request body is over the simulator limit' });
		chunks.push(buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export type ParsedBody =
	| { kind: 'none' }
	| { kind: 'json'; value: unknown }
	| { kind: 'invalid'; text: string };

export function parseJsonBody(text: string): ParsedBody {
	if (text.trim() === '') return { kind: 'none' };
	try {
		return { kind: 'json', value: JSON.parse(text) as unknown };
	} catch {
		return { kind: 'invalid', text };
	}
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const payload = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(payload).toString(),
		...headers,
	});
	res.end(payload);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
