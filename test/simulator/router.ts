/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/**
 * A minimal router: exact paths with `{param}` segments, as the spec writes them.
 * Paths are matched exactly (trailing slash included) because Letta's collection paths
 * carry one and the package must call them as the spec writes them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
	req: IncomingMessage;
	res: ServerResponse;
	method: string;
	path: string;
	params: Record<string, string>;
	query: URLSearchParams;
	/** Parsed JSON body (undefined when the request had none). */
	body: unknown;
	/** This request's sequence in the request log (0 for the control API, which is not logged). */
	requestSequence: number;
}

/** A handler either answers itself (SSE) or returns a JSON value with an optional status. */
export type HandlerResult =
	| { status?: number; body: unknown; headers?: Record<string, string> }
	| 'handled';

export type Handler = (ctx: RequestContext) => Promise<HandlerResult> | HandlerResult;

interface Route {
	method: string;
	segments: string[];
	handler: Handler;
}

export class Router {
	private readonly routes: Route[] = [];

	add(method: string, pattern: string, handler: Handler): this {
		this.routes.push({ method, segments: pattern.split('/'), handler });
		return this;
	}

	/** `methodAllowed` false with a path match lets the server answer 405 instead of 404. */
	match(
		method: string,
		path: string,
	):
		| { handler: Handler; params: Record<string, string> }
		| { handler: null; pathMatched: boolean } {
		const segments = path.split('/');
		let pathMatched = false;
		for (const route of this.routes) {
			const params = matchSegments(route.segments, segments);
			if (!params) continue;
			pathMatched = true;
			if (route.method === method) return { handler: route.handler, params };
		}
		return { handler: null, pathMatched };
	}
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
	if (pattern.length !== actual.length) return null;
	const params: Record<string, string> = {};
	for (let index = 0; index < pattern.length; index++) {
		const expected = pattern[index];
		const value = actual[index];
		if (expected.startsWith('{') && expected.endsWith('}')) {
			if (value === '') return null;
			params[expected.slice(1, -1)] = decodeURIComponent(value);
		} else if (expected !== value) {
			return null;
		}
	}
	return params;
}
