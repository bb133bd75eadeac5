/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
/**
 * A tiny undici client for the simulator's own tests: sends Letta requests through the
 * Prism validator (LETTA_API_URL) with the simulator's key unless told otherwise.
 */
import { request } from 'undici';
import { SIMULATOR_API_KEY } from './fixtures';

export interface LettaCallOptions {
	body?: unknown;
	/** Default: the simulator key. null sends no Authorization header. */
	apiKey?: string | null;
	headers?: Record<string, string>;
	/** Default: LETTA_API_URL (through Prism). */
	baseUrl?: string;
}

export interface LettaCallResult {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	/** Parsed JSON, or undefined when the body is not JSON (SSE, empty). */
	json: unknown;
}

export function apiUrl(): string {
	const url = process.env.LETTA_API_URL;
	if (!url)
		throw new Error(
			'LETTA_API_URL is not set: run the tests through jest (test/setup/globalSetup.ts)',
		);
	return url;
}

export function simulatorUrl(): string {
	const url = process.env.LETTA_SIM_URL;
	if (!url)
		throw new Error(
			'LETTA_SIM_URL is not set: run the tests through jest (test/setup/globalSetup.ts)',
		);
	return url;
}

export async function callLetta(
	method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
	path: string,
	options: LettaCallOptions = {},
): Promise<LettaCallResult> {
	const apiKey = options.apiKey === undefined ? SIMULATOR_API_KEY : options.apiKey;
	const headers: Record<string, string> = { ...options.headers };
	if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`;
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	const response = await request(`${options.baseUrl ?? apiUrl()}${path}`, {
		method,
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.body.text();
	let json: unknown;
	try {
		json = text === '' ? undefined : (JSON.parse(text) as unknown);
	} catch {
		json = undefined;
	}
	return { status: response.statusCode, headers: response.headers, text, json };
}

/** Parses an SSE body into its `data:` payloads (JSON objects, or the literal [DONE]). */
export function parseSse(text: string): Array<{ event: string | null; data: unknown }> {
	return text
		.split('\n\n')
		.filter((block) => block.trim() !== '')
		.map((block) => {
			const lines = block.split('\n');
			const event =
				lines.find((line) => line.startsWith('event: '))?.slice('event: '.length) ?? null;
			const data = lines
				.filter((line) => line.startsWith('data: '))
				.map((line) => line.slice('data: '.length))
				.join('\n');
			return { event, data: data === '[DONE]' ? data : (JSON.parse(data) as unknown) };
		});
}
