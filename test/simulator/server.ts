/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * The Letta API simulator: a deterministic, in-memory stand-in for a Letta server that
 * speaks the spec's paths and shapes, for tests, benchmarks and the demo.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerAgentRoutes } from './agentRoutes';
import { registerArchivalRoutes } from './archivalRoutes';
import { registerAsyncRoutes } from './asyncRoutes';
import { SimulatorContext } from './context';
import { registerControlRoutes } from './controlApi';
import { registerConversationRoutes } from './conversationRoutes';
import { registerEnvironmentRoutes } from './environmentRoutes';
import {
	DEFAULT_TENANT,
	SIMULATOR_BASE_API_KEY,
	TENANT_HEADER,
	TENANT_PATTERN,
	tenantApiKey,
} from './fixtures';
import { HEALTH_PATHS, registerHealthRoutes } from './healthRoutes';
import { HttpError, parseJsonBody, readBodyText, sendJson, type ParsedBody } from './http';
import { UNAUTHORIZED, UNKNOWN_ERROR, validationError } from './lettaErrors';
import { redactHeaders } from './recorder';
import { Router, type HandlerResult } from './router';
import { registerMemoryRoutes } from './memoryRoutes';
import { registerLongRunControlRoutes } from './longRunControl';
import { registerRunRoutes } from './runRoutes';
import { registerStreamRoutes } from './streamRoutes';
import { VALIDATE_ONLY_BODY, VALIDATE_ONLY_HEADER } from './streamPassThrough';

export interface SimulatorOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** The base Bearer token (default tenant); `<key>-<tenant>` selects a tenant. Default SIMULATOR_BASE_API_KEY. */
	apiKey?: string;
}

export interface RunningSimulator {
	/** Base URL, e.g. http://127.0.0.1:8283 (no trailing slash). */
	url: string;
	port: number;
	close(): Promise<void>;
}

/** A tenant: its own state and routes, so parallel test workers never see each other. */
interface Tenant {
	ctx: SimulatorContext;
	api: Router;
	control: Router;
}

function createTenant(apiKey: string): Tenant {
	const ctx = new SimulatorContext(apiKey);
	const api = new Router();
	registerAgentRoutes(api, ctx);
	registerConversationRoutes(api, ctx);
	registerRunRoutes(api, ctx);
	registerMemoryRoutes(api, ctx);
	registerArchivalRoutes(api, ctx);
	registerEnvironmentRoutes(api, ctx);
	registerAsyncRoutes(api, ctx);
	registerStreamRoutes(api, ctx);
	const control = new Router();
	registerControlRoutes(control, ctx);
	registerLongRunControlRoutes(control, ctx);
	return { ctx, api, control };
}

class TenantRegistry {
	private readonly tenants = new Map<string, Tenant>();

	constructor(private readonly baseKey: string) {}

	/** Tenants are created on first use, from the seed. */
	get(name: string): Tenant {
		let tenant = this.tenants.get(name);
		if (!tenant) {
			tenant = createTenant(tenantApiKey(name, this.baseKey));
			this.tenants.set(name, tenant);
		}
		return tenant;
	}

	/** The tenant whose key the Bearer token is, or null (401). */
	forAuthorization(header: string | undefined): Tenant | null {
		const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
		if (token === null) return null;
		if (token === this.baseKey) return this.get(DEFAULT_TENANT);
		const prefix = `${this.baseKey}-`;
		if (!token.startsWith(prefix)) return null;
		const name = token.slice(prefix.length);
		return TENANT_PATTERN.test(name) ? this.get(name) : null;
	}

	all(): Tenant[] {
		return [...this.tenants.values()];
	}
}

function firstHeader(value: string | string[] | undefined): string | null {
	if (value === undefined) return null;
	return Array.isArray(value) ? (value[0] ?? null) : value;
}

function queryRecord(query: URLSearchParams): Record<string, string[]> {
	const record: Record<string, string[]> = {};
	for (const [name, value] of query) (record[name] ??= []).push(value);
	return record;
}

interface RouteInput {
	req: IncomingMessage;
	res: ServerResponse;
	method: string;
	url: URL;
	body: unknown;
	parsedBody: ParsedBody;
	requestSequence: number;
}

async function route(router: Router, input: RouteInput): Promise<HandlerResult> {
	const { req, res, method, url, body, parsedBody, requestSequence } = input;
	if (parsedBody.kind === 'invalid') {
		throw validationError([
			{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} },
		]);
	}
	const match = router.match(method, url.pathname);
	if (!match.handler) {
		throw new HttpError(match.pathMatched ? 405 : 404, {
			detail: match.pathMatched ? 'Method Not Allowed' : 'Not Found',
		});
	}
	return match.handler({
		req,
		res,
		method,
		path: url.pathname,
		params: match.params,
		query: url.searchParams,
		body,
		requestSequence,
	});
}

async function answer(res: ServerResponse, run: () => Promise<HandlerResult>): Promise<void> {
	try {
		const result = await run();
		if (result === 'handled') return;
		sendJson(res, result.status ?? 200, result.body, result.headers);
	} catch (error) {
		if (res.headersSent) {
			res.end();
			return;
		}
		if (error instanceof HttpError) {
			sendJson(res, error.status, error.body, error.headers);
			return;
		}
		process.stderr.write(
			`[letta-simulator] unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
		);
		sendJson(res, 500, { detail: UNKNOWN_ERROR });
	}
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
	const tenants = new TenantRegistry(options.apiKey ?? SIMULATOR_BASE_API_KEY);
	const healthRouter = new Router();
	registerHealthRoutes(healthRouter);

	const server = createServer((req, res) => {
		void answer(res, async () => {
			const url = new URL(req.url ?? '/', 'http://simulator.local');
			const method = (req.method ?? 'GET').toUpperCase();
			const parsedBody = parseJsonBody(await readBodyText(req));
			if (req.headers[VALIDATE_ONLY_HEADER]) {
				// The validator's request check before a stream (streamPassThrough.ts): runs nothing.
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				res.end(VALIDATE_ONLY_BODY);
				return 'handled';
			}
			const body = parsedBody.kind === 'json' ? parsedBody.value : undefined;
			// Control and health requests are not in the request log: no sequence of their own.
			const unlogged: RouteInput = { req, res, method, url, body, parsedBody, requestSequence: 0 };
			if (url.pathname.startsWith('/__sim/')) {
				const name = firstHeader(req.headers[TENANT_HEADER]) ?? DEFAULT_TENANT;
				if (!TENANT_PATTERN.test(name))
					throw new HttpError(400, { detail: `BAD_REQUEST: invalid tenant "${name}"` });
				return route(tenants.get(name).control, unlogged);
			}
			if (!url.pathname.startsWith('/v1/')) throw new HttpError(404, { detail: 'Not Found' });
			// Letta's password middleware lets the health probes through without a key.
			if (HEALTH_PATHS.has(url.pathname)) return route(healthRouter, unlogged);

			const tenant = tenants.forAuthorization(req.headers.authorization);
			// Refused requests are logged in the default tenant: a wrong key names no tenant.
			const { ctx } = tenant ?? tenants.get(DEFAULT_TENANT);
			const record = ctx.recorder.start({
				method,
				path: url.pathname,
				query: queryRecord(url.searchParams),
				headers: redactHeaders(req.headers),
				authorized: tenant !== null,
				projectId: firstHeader(req.headers['x-project-id']),
				body:
					parsedBody.kind === 'json'
						? parsedBody.value
						: parsedBody.kind === 'invalid'
							? parsedBody.text
							: null,
				startedAt: new Date().toISOString(),
			});
			res.on('close', () => ctx.recorder.finish(record, res.statusCode));
			if (!tenant) throw new HttpError(401, { detail: UNAUTHORIZED });
			const fault = ctx.faults.take(method, url.pathname);
			if (fault) return { status: fault.status, body: fault.body, headers: fault.headers };
			return route(tenant.api, { ...unlogged, requestSequence: record.sequence });
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const host = options.host ?? '127.0.0.1';
	const urlHost = host.includes(':') ? `[${host}]` : host;

	return {
		url: `http://${urlHost}:${port}`,
		port,
		close: async () => {
			for (const tenant of tenants.all()) tenant.ctx.cancelScheduled();
			await new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				// Keep-alive sockets (Prism, undici pools) would otherwise hold close() open.
				server.closeAllConnections();
			});
		},
	};
}
