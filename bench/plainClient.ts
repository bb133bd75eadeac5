/**
 * The baseline: a plain undici client (keep-alive pool) that sends the documented requests
 * and parses the JSON answers, with nothing else around it.
 */
import { Pool } from 'undici';

import { SIMULATOR_BASE_API_KEY } from '../test/simulator/fixtures';
import type { Lane, PlainRequest } from './workload';

/** The benchmark uses the simulator's default tenant, whose key is the base key. */
export const BENCH_API_KEY = SIMULATOR_BASE_API_KEY;

export class PlainLettaClient {
	private readonly pool: Pool;

	constructor(readonly baseUrl: string) {
		this.pool = new Pool(baseUrl, { connections: 64 });
	}

	async post<T>(path: string, body: unknown): Promise<T> {
		const response = await this.pool.request({
			method: 'POST',
			path,
			headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const text = await response.body.text();
		if (response.statusCode >= 400) {
			throw new Error(`POST ${path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
		}
		return JSON.parse(text) as T;
	}

	async send<T>(request: PlainRequest): Promise<T> {
		return await this.post<T>(request.path, request.body);
	}

	async createConversation(agentId: string): Promise<Lane> {
		const created = await this.post<{ id: string }>(
			`/v1/conversations/?agent_id=${encodeURIComponent(agentId)}`,
			{ summary: 'benchmark' },
		);
		return { agentId, conversationId: created.id };
	}

	async close(): Promise<void> {
		await this.pool.close();
	}
}
