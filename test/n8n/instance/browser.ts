import { request } from 'undici';

import { jsonOrText, type HttpAnswer } from './restSession';

/**
 * Requests as a person's browser (or a mail link) makes them: no n8n session. For resume URLs
 * of Wait and form steps (`/webhook-waiting/...`, `/form-waiting/...`) and production webhooks.
 */

export async function callUrl(
	url: string,
	method: 'GET' | 'POST' = 'GET',
	body?: unknown,
): Promise<HttpAnswer<unknown>> {
	const response = await request(url, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
		headersTimeout: 120_000,
		bodyTimeout: 120_000,
	});
	const text = await response.body.text();
	return { status: response.statusCode, body: jsonOrText(text), text };
}

/** The production URL of a published workflow's webhook (`/webhook/<path>`). */
export function webhookUrl(baseUrl: string, webhookPath: string): string {
	return `${baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`;
}
