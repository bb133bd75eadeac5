/**
 * Injected failures: the next N matching /v1 requests answer with a given status
 * instead of being processed, so retry and error paths can be tested for real.
 */
export interface FaultSpec {
	status: number;
	/** How many matching requests fail; default 1. */
	count?: number;
	/** Sets Retry-After (whole seconds, rounded up) and retry-after-ms. */
	retryAfterSeconds?: number;
	/** Only requests whose path contains this string match. */
	pathContains?: string;
	/** Only requests with this method match (e.g. POST). */
	method?: string;
	/** Response body; default `{"detail": "<CODE>: ..."}` for the status. */
	body?: unknown;
}

export interface ActiveFault extends Required<Pick<FaultSpec, 'status' | 'count'>> {
	id: number;
	remaining: number;
	retryAfterSeconds: number | null;
	pathContains: string | null;
	method: string | null;
	body: unknown;
}

const DEFAULT_DETAILS: Record<number, string> = {
	400: 'BAD_REQUEST: injected fault',
	402: 'INSUFFICIENT_CREDITS: not enough credits to run the agent',
	409: 'CONFLICT: database is locked, retry shortly',
	429: 'RATE_LIMITED: too many requests, slow down',
	500: 'INTERNAL_SERVER_ERROR: injected fault',
	502: 'BAD_GATEWAY: injected fault',
	503: 'SERVICE_UNAVAILABLE: the server is overloaded, retry later',
	504: 'GATEWAY_TIMEOUT: the LLM provider timed out',
};

export class FaultQueue {
	private faults: ActiveFault[] = [];
	private nextId = 1;

	add(spec: FaultSpec): ActiveFault {
		const count = spec.count ?? 1;
		const fault: ActiveFault = {
			id: this.nextId++,
			status: spec.status,
			count,
			remaining: count,
			retryAfterSeconds: spec.retryAfterSeconds ?? null,
			pathContains: spec.pathContains ?? null,
			method: spec.method ? spec.method.toUpperCase() : null,
			body: spec.body ?? {
				detail: DEFAULT_DETAILS[spec.status] ?? `ERROR: injected fault (${spec.status})`,
			},
		};
		this.faults.push(fault);
		return fault;
	}

	/** Consumes one use of the first fault matching the request, if any. */
	take(
		method: string,
		path: string,
	): { status: number; body: unknown; headers: Record<string, string> } | null {
		const fault = this.faults.find(
			(candidate) =>
				candidate.remaining > 0 &&
				(candidate.pathContains === null || path.includes(candidate.pathContains)) &&
				(candidate.method === null || candidate.method === method),
		);
		if (!fault) return null;
		fault.remaining -= 1;
		this.faults = this.faults.filter((candidate) => candidate.remaining > 0);
		const headers: Record<string, string> = {};
		if (fault.retryAfterSeconds !== null) {
			headers['retry-after'] = Math.ceil(fault.retryAfterSeconds).toString();
			headers['retry-after-ms'] = Math.round(fault.retryAfterSeconds * 1000).toString();
		} else if (fault.status === 429) {
			// Letta always tells a rate-limited client when to come back.
			headers['retry-after'] = '1';
		}
		return { status: fault.status, body: fault.body, headers };
	}

	list(): ActiveFault[] {
		return this.faults.map((fault) => ({ ...fault }));
	}

	clear(): void {
		this.faults = [];
	}
}
