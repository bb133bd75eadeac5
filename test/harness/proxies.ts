/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * TCP proxies that stand between a client (a node, the SDK) and the simulator or its
 * validator, on 127.0.0.1, to reproduce what happens to long requests on real networks:
 *
 * - `startIdleCutProxy`: cuts a connection on which nothing moved (either way) for
 *   `idleMs`, as nginx's proxy_read_timeout (default 60 s) or a CDN (about 100 s) does.
 * - `startDropOnceProxy`: drops one connection mid-answer, once: after `afterBytes` bytes
 *   of the answer, or right after its first `afterEvents` SSE events (`\n\n`-terminated),
 *   forwarding exactly up to there. Later connections pass untouched.
 *
 * Both work on raw bytes (HTTP/1.1, keep-alive and chunked encoding pass through), so the
 * client sees what it would see on a network: a socket closed in the middle of an answer.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ProxyTarget {
	/** Where to forward: a URL (`http://127.0.0.1:port`) whose host and port are used. */
	targetUrl: string;
}

export interface RunningProxy {
	/** The proxy's base URL (`http://127.0.0.1:<port>`): use it in place of the target's. */
	url: string;
	/** Connections accepted so far. */
	connections(): number;
	/** Connections this proxy cut (idle) or dropped (mid-answer). */
	cuts(): number;
	close(): Promise<void>;
}

const HOST = '127.0.0.1';

interface Pairing {
	onAccept(client: Socket, upstream: Socket): void;
}

async function startProxy(
	options: ProxyTarget,
	pairing: Pairing,
): Promise<RunningProxy & { cut(): void }> {
	const target = new URL(options.targetUrl);
	const port = Number(target.port || 80);
	const sockets = new Set<Socket>();
	let accepted = 0;
	let cut = 0;
	const server: Server = createServer((client) => {
		accepted += 1;
		const upstream = connect(port, target.hostname);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => {
				client.destroy();
				upstream.destroy();
			});
		}
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => client.destroy());
		pairing.onAccept(client, upstream);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, HOST, () => resolve());
	});
	const address = server.address();
	const listenPort = typeof address === 'object' && address !== null ? address.port : 0;
	return {
		url: `http://${HOST}:${listenPort}`,
		connections: () => accepted,
		cuts: () => cut,
		cut: () => {
			cut += 1;
		},
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export interface IdleCutOptions extends ProxyTarget {
	/** Cut a connection after this long without a byte in either direction. */
	idleMs: number;
}

export async function startIdleCutProxy(options: IdleCutOptions): Promise<RunningProxy> {
	const proxy: RunningProxy & { cut(): void } = await startProxy(options, {
		onAccept(client, upstream) {
			let timer: NodeJS.Timeout | null = null;
			const arm = (): void => {
				if (timer) clearTimeout(timer);
				timer = setTimeout(() => {
					proxy.cut();
					client.destroy();
					upstream.destroy();
				}, options.idleMs);
			};
			const stop = (): void => {
				if (timer) clearTimeout(timer);
			};
			client.on('data', (chunk: Buffer) => {
				arm();
				upstream.write(chunk);
			});
			upstream.on('data', (chunk: Buffer) => {
				arm();
				client.write(chunk);
			});
			client.on('close', stop);
			upstream.on('close', stop);
			arm();
		},
	});
	return proxy;
}

export interface DropOnceOptions extends ProxyTarget {
	/** Drop after this many bytes of the answer (headers included). */
	afterBytes?: number;
	/** Drop right after the answer's first K SSE events (blocks ending in a blank line). */
	afterEvents?: number;
}

/** Where in `chunk` the answer reaches its K-th event end, given `seen` events before it. */
function eventCutIndex(
	chunk: Buffer,
	seen: number,
	wanted: number,
): { index: number; seen: number } {
	let count = seen;
	for (let i = 1; i < chunk.length; i++) {
		if (chunk[i] === 0x0a && chunk[i - 1] === 0x0a) {
			count += 1;
			if (count >= wanted) return { index: i + 1, seen: count };
		}
	}
	return { index: -1, seen: count };
}

export async function startDropOnceProxy(options: DropOnceOptions): Promise<RunningProxy> {
	if (options.afterBytes === undefined && options.afterEvents === undefined)
		throw new Error('startDropOnceProxy needs afterBytes or afterEvents');
	let dropped = false;
	const proxy: RunningProxy & { cut(): void } = await startProxy(options, {
		onAccept(client, upstream) {
			client.on('data', (chunk: Buffer) => upstream.write(chunk));
			let bytes = 0;
			let events = 0;
			let lastByte = -1;
			upstream.on('data', (chunk: Buffer) => {
				if (dropped) {
					client.write(chunk);
					return;
				}
				let cutAt = -1;
				if (options.afterBytes !== undefined && bytes + chunk.length >= options.afterBytes)
					cutAt = options.afterBytes - bytes;
				if (options.afterEvents !== undefined) {
					// An event end may straddle two chunks (`\n` | `\n`).
					const joined = lastByte === 0x0a ? Buffer.concat([Buffer.from([0x0a]), chunk]) : chunk;
					const found = eventCutIndex(joined, events, options.afterEvents);
					events = found.seen;
					const index = found.index < 0 ? -1 : found.index - (joined.length - chunk.length);
					if (index >= 0 && (cutAt < 0 || index < cutAt)) cutAt = index;
				}
				bytes += chunk.length;
				lastByte = chunk.length > 0 ? chunk[chunk.length - 1] : lastByte;
				if (cutAt < 0) {
					client.write(chunk);
					return;
				}
				dropped = true;
				proxy.cut();
				client.end(chunk.subarray(0, cutAt), () => {
					client.destroy();
					upstream.destroy();
				});
			});
		},
	});
	return proxy;
}
