/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path and query, e.g. `/v1/me?limit=1`. */
	url: string;
	headers: IncomingHttpHeaders;
	/** The JSON body, if any. */
	body: unknown;
}

export interface Reply {
	status: number;
	body: unknown;
}

export interface RecordingServer {
	baseUrl: string;
	/** Every request received, in order; clear it with `received.length = 0`. */
	received: RecordedRequest[];
	close(): Promise<void>;
}

/** A local JSON HTTP server for harness tests: answers via `route`, records every request. */
export async function startRecordingServer(
	route: (request: RecordedRequest) => Reply,
): Promise<RecordingServer> {
	const received: RecordedRequest[] = [];
	const server = createServer((request, response) => {
		const chunks: Uint8Array[] = [];
		request.on('data', (chunk: Uint8Array) => chunks.push(chunk));
		request.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const recorded: RecordedRequest = {
				method: request.method ?? '',
				url: request.url ?? '',
				headers: request.headers,
				body: text ? (JSON.parse(text) as unknown) : undefined,
			};
			received.push(recorded);
			const reply = route(recorded);
			response.writeHead(reply.status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(reply.body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		received,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
