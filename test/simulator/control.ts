/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
/**
 * Typed client for the simulator's /__sim control API. Tests call the simulator's direct
 * URL (process.env.LETTA_SIM_URL), never the Prism URL: the control API is not in the spec.
 */
import { request } from 'undici';
import type { SimulatorSettings } from './context';
import { SIMULATOR_TENANT, TENANT_HEADER, tenantApiKey } from './fixtures';
import type { SeededApproval, SimulatorStateSnapshot } from './controlApi';
import type { ActiveFault, FaultSpec } from './faults';
import type { RecordedOverlap, RecordedRequest, RequestFilter } from './recorder';
import type { EnvironmentConnectionView, RunView } from './views';
import type { CallbackAttempt, LongRunSettings } from './longRuns';

export type {
	ActiveFault,
	CallbackAttempt,
	LongRunSettings,
	FaultSpec,
	RecordedOverlap,
	RecordedRequest,
	RequestFilter,
	SeededApproval,
	SimulatorSettings,
	SimulatorStateSnapshot,
};

export interface SeedRunOptions {
	agentId: string;
	conversationId?: string;
	/** How long ago the run started. */
	ageMinutes?: number;
	status?: 'running' | 'created';
}

export interface SeedPendingApprovalOptions {
	agentId: string;
	/** Omit for the agent's default conversation. */
	conversationId?: string;
	/** Becomes the tool arguments (e.g. the path delete_file would delete). */
	text?: string;
	/** Dates the request this many seconds ago (default: now). */
	ageSeconds?: number;
}

export class SimulatorControl {
	private readonly baseUrl: string;

	/**
	 * @param tenant whose state this client controls; defaults to this process's tenant
	 * (its jest worker's, or `default` outside jest), matching SIMULATOR_API_KEY.
	 */
	constructor(
		baseUrl: string,
		readonly tenant: string = SIMULATOR_TENANT,
	) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
	}

	/** Reads LETTA_SIM_URL, which the jest global setup exports. */
	static fromEnv(tenant: string = SIMULATOR_TENANT): SimulatorControl {
		const url = process.env.LETTA_SIM_URL;
		if (!url) {
			throw new Error(
				'LETTA_SIM_URL is not set: run through jest (globalSetup) or start test/simulator/cli.ts',
			);
		}
		return new SimulatorControl(url, tenant);
	}

	/** The Bearer key whose /v1 requests this client's tenant receives. */
	get apiKey(): string {
		return tenantApiKey(this.tenant);
	}

	private async call<T>(
		method: 'GET' | 'POST' | 'DELETE',
		path: string,
		body?: unknown,
	): Promise<T> {
		const response = await request(`${this.baseUrl}${path}`, {
			method,
			headers: {
				[TENANT_HEADER]: this.tenant,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.body.text();
		if (response.statusCode >= 400) {
			throw new Error(
				`Simulator control ${method} ${path} failed with ${response.statusCode}: ${text}`,
			);
		}
		return JSON.parse(text) as T;
	}

	async health(): Promise<boolean> {
		const result = await this.call<{ ok: boolean }>('GET', '/__sim/health');
		return result.ok;
	}

	/** Back to the seed: state, latency, faults and the request log. */
	async reset(): Promise<void> {
		await this.call('POST', '/__sim/reset');
	}

	/** Delay every message turn by `ms` while its conversation lock is held. */
	async setLatency(ms: number, pingIntervalMs?: number): Promise<SimulatorSettings> {
		return this.call('POST', '/__sim/latency', { ms, pingIntervalMs });
	}

	async settings(): Promise<SimulatorSettings> {
		return this.call('GET', '/__sim/settings');
	}

	async updateSettings(settings: Partial<SimulatorSettings>): Promise<SimulatorSettings> {
		return this.call('POST', '/__sim/settings', settings);
	}

	/** The next `count` matching /v1 requests (after auth) answer `status` instead. */
	async addFault(fault: FaultSpec): Promise<ActiveFault> {
		return this.call('POST', '/__sim/faults', fault);
	}

	async faults(): Promise<ActiveFault[]> {
		return this.call('GET', '/__sim/faults');
	}

	async clearFaults(): Promise<void> {
		await this.call('DELETE', '/__sim/faults');
	}

	/** Every /v1 request received since the last reset, oldest first. */
	async requests(filter: RequestFilter = {}): Promise<RecordedRequest[]> {
		const query = new URLSearchParams();
		if (filter.method) query.set('method', filter.method);
		if (filter.pathContains) query.set('pathContains', filter.pathContains);
		const suffix = query.size > 0 ? `?${query.toString()}` : '';
		return this.call('GET', `/__sim/requests${suffix}`);
	}

	/**
	 * Turns that ran at the same time on one agent conversation (possible where Letta takes
	 * no lock: the agent endpoint, a conversation's non-streaming path). Cleared with the log.
	 */
	async overlaps(): Promise<RecordedOverlap[]> {
		return this.call('GET', '/__sim/overlaps');
	}

	async clearRequests(): Promise<void> {
		await this.call('DELETE', '/__sim/requests');
	}

	async state(): Promise<SimulatorStateSnapshot> {
		return this.call('GET', '/__sim/state');
	}

	/** Leaves the agent (or one of its conversations) waiting for approval, as after a real run. */
	async seedPendingApproval(options: SeedPendingApprovalOptions): Promise<SeededApproval> {
		return this.call('POST', '/__sim/pending-approval', options);
	}

	/** A run still going that started `ageMinutes` ago (a stuck run). */
	async seedRun(options: SeedRunOptions): Promise<RunView> {
		return this.call('POST', '/__sim/runs', options);
	}

	/** Ends the connection's session: connectionId becomes null, the old id answers 503. */
	async setEnvironmentOffline(key: string): Promise<EnvironmentConnectionView> {
		return this.call('POST', `/__sim/environments/${encodeURIComponent(key)}/offline`);
	}

	/** Starts a new session: a new connectionId and a fresh heartbeat. */
	async setEnvironmentOnline(key: string): Promise<EnvironmentConnectionView> {
		return this.call('POST', `/__sim/environments/${encodeURIComponent(key)}/online`);
	}

	/** Long runs: Long Worker's workMs, redis on/off, callback delivery, run-creation window. */
	async longRunSettings(): Promise<LongRunSettings> {
		return this.call('GET', '/__sim/long-runs');
	}

	async updateLongRunSettings(settings: Partial<LongRunSettings>): Promise<LongRunSettings> {
		return this.call('POST', '/__sim/long-runs', settings);
	}

	/** Every callback attempt (one per run with a callback_url), oldest first. */
	async callbackAttempts(): Promise<CallbackAttempt[]> {
		return this.call('GET', '/__sim/long-runs/callbacks');
	}
}
