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
}

export interface RequestFilter {
	method?: string;
	pathContains?: string;
}

export class RequestRecorder {
	private records: RecordedRequest[] = [];
	private sequence = 0;

	start(
		entry: Omit<RecordedRequest, 'sequence' | 'status' | 'finishedAt' | 'durationMs'>,
	): RecordedRequest {
		this.sequence += 1;
		const record: RecordedRequest = {
			...entry,
			sequence: this.sequence,
			status: null,
			finishedAt: null,
			durationMs: null,
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

	clear(): void {
		this.records = [];
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
