import { randomBytes } from 'node:crypto';
import { request } from 'undici';

/**
 * Calls to n8n's REST API as one browser would make them: a fixed `browser-id` and, once
 * logged in, the `n8n-auth` session cookie that n8n set.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpAnswer<T> {
	status: number;
	/** The body parsed as JSON, or its text when it is not JSON. */
	body: T;
	text: string;
}

/** A body as JSON when it is JSON, otherwise as text. */
export function jsonOrText(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** The error for an answer the tooling cannot go on with. */
export function unexpectedAnswer(call: string, answer: HttpAnswer<unknown>, limit = 500): Error {
	return new Error(`${call} answered ${answer.status}: ${answer.text.slice(0, limit)}`);
}

function authCookieFrom(setCookie: string | string[] | undefined): string | undefined {
	const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
	for (const header of all) {
		const match = /^(n8n-auth=[^;]*)/.exec(header);
		if (match) return match[1];
	}
	return undefined;
}

export class RestSession {
	private cookie: string | undefined;

	private readonly browserId = `n8n-nodes-letta-tooling-${randomBytes(6).toString('hex')}`;

	constructor(readonly baseUrl: string) {}

	/** True once n8n set a session cookie (after an owner set-up or a login). */
	get loggedIn(): boolean {
		return this.cookie !== undefined;
	}

	/** Forgets the session (the server it belonged to stopped). */
	forget(): void {
		this.cookie = undefined;
	}

	/** A call to `<baseUrl><urlPath>`, with the session cookie once logged in. */
	async call<T>(method: HttpMethod, urlPath: string, body?: unknown): Promise<HttpAnswer<T>> {
		const headers: Record<string, string> = {
			'browser-id': this.browserId,
			accept: 'application/json',
		};
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookie) headers.cookie = this.cookie;
		const response = await request(`${this.baseUrl}${urlPath}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			headersTimeout: 60_000,
			bodyTimeout: 60_000,
		});
		const cookie = authCookieFrom(response.headers['set-cookie']);
		if (cookie) this.cookie = cookie;
		const text = await response.body.text();
		return { status: response.statusCode, body: jsonOrText(text) as T, text };
	}
}
