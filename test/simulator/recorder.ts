/**
 * Every /v1 request the simulator received, for assertions ("the node sent X-Project-Id",
 * "max_steps was 3"). The API key itself is never stored: only whether it matched.
 */
export interface RecordedRequest {
	sequence: number;
	method: string;
	path: string;
	query: Record<string, string[]>;
	/** Lower-cased names; authorization is redacted. */
	headers: Record<string, string>;
	/** True when the Bearer token was the simulator's key. */
	authorized: boolean;
	/** The X-Project-Id header, or null. */
	projectId: string | null;
	/** Parsed JSON body, the raw text when it was not JSON, or null. */
	body: unknown;
	status: number | null;
	startedAt: string;
	finishedAt: string | null;
	durationMs: number | null;
	/**
	 * Sequences of requests whose turn was running on the same agent conversation when this
	 * one's started, or the other way round. Letta's agent endpoint takes no lock, so such
	 * requests interleave silently there; tests assert this stays empty.
	 */
	overlapsWith: number[];
}

/** Two turns that ran at the same time on one scope (agent + conversation). */
export interface RecordedOverlap {
	agentId: string;
	/** null: the agent's default conversation. */
	conversationId: string | null;
	/** Request sequences: the one already running, then the one that started meanwhile. */
	requests: [number, number];
	runIds: [string, string];
}

export interface RequestFilter {
	method?: string;
	pathContains?: string;
}

export class RequestRecorder {
	private records: RecordedRequest[] = [];
	private overlapList: RecordedOverlap[] = [];
	private sequence = 0;

	start(
		entry: Omit<
			RecordedRequest,
			'sequence' | 'status' | 'finishedAt' | 'durationMs' | 'overlapsWith'
		>,
	): RecordedRequest {
		this.sequence += 1;
		const record: RecordedRequest = {
			...entry,
			sequence: this.sequence,
			status: null,
			finishedAt: null,
			durationMs: null,
			overlapsWith: [],
		};
		this.records.push(record);
		return record;
	}

	finish(record: RecordedRequest, status: number): void {
		const finished = new Date();
		record.status = status;
		record.finishedAt = finished.toISOString();
		record.durationMs = finished.getTime() - Date.parse(record.startedAt);
	}

	list(filter: RequestFilter = {}): RecordedRequest[] {
		return this.records.filter(
			(record) =>
				(!filter.method || record.method === filter.method.toUpperCase()) &&
				(!filter.pathContains || record.path.includes(filter.pathContains)),
		);
	}

	recordOverlap(overlap: RecordedOverlap): void {
		this.overlapList.push(overlap);
		const [earlier, later] = overlap.requests;
		for (const record of this.records) {
			if (record.sequence === earlier) record.overlapsWith.push(later);
			if (record.sequence === later) record.overlapsWith.push(earlier);
		}
	}

	overlaps(): RecordedOverlap[] {
		return [...this.overlapList];
	}

	clear(): void {
		this.records = [];
		this.overlapList = [];
	}
}

export function redactHeaders(
	headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const text = Array.isArray(value) ? value.join(', ') : value;
		result[name] = name === 'authorization' ? redactAuthorization(text) : text;
	}
	return result;
}

function redactAuthorization(value: string): string {
	const scheme = value.split(' ')[0];
	return `${scheme} <redacted>`;
}
