import type { IDataObject } from 'n8n-workflow';

import { approvalKey, type Discovery, type PendingApprovalRequest } from './pendingApprovals';

/**
 * The Letta Trigger's memory, kept in the workflow's static data (node part), so each
 * approval request is emitted once per workflow across polls and n8n restarts.
 *
 * Layout (`getWorkflowStaticData('node')`):
 *   approvalTrigger: {
 *     version: 1,
 *     requests: { <approvalKey>: { agent_id, conversation_id, approval_request_id,
 *                  first_seen_at, last_emitted_at, times_emitted, denial_failed_at? } },
 *     answeredRuns: { <agentId>/<conversationId|default>: <run id confirmed answered> }
 *   }
 *
 * Only requests still pending are kept, so it stays as small as the backlog. The poll
 * plans against a copy and writes the result back only when it returns, so a poll that
 * fails part-way leaves the state as it found it.
 */

export const APPROVAL_STATE_KEY = 'approvalTrigger';
export const APPROVAL_STATE_VERSION = 1;

export interface TrackedRequest extends IDataObject {
	agent_id: string;
	conversation_id: string | null;
	approval_request_id: string | null;
	first_seen_at: string;
	/** null while it has only been seen by a deadline denial that failed. */
	last_emitted_at: string | null;
	times_emitted: number;
	/** Set once a failed deadline denial was reported, so the failure is reported once. */
	denial_failed_at?: string;
}

export interface ApprovalTriggerState {
	version: number;
	requests: Record<string, TrackedRequest>;
	answeredRuns: Record<string, string>;
}

export function emptyApprovalState(): ApprovalTriggerState {
	return { version: APPROVAL_STATE_VERSION, requests: {}, answeredRuns: {} };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** A copy of the stored state; anything unreadable or of another version starts fresh. */
export function readApprovalState(staticData: IDataObject): ApprovalTriggerState {
	const stored = staticData[APPROVAL_STATE_KEY];
	if (!isRecord(stored) || stored.version !== APPROVAL_STATE_VERSION) return emptyApprovalState();
	const requests: Record<string, TrackedRequest> = {};
	if (isRecord(stored.requests)) {
		for (const [key, value] of Object.entries(stored.requests)) {
			if (isRecord(value) && typeof value.agent_id === 'string')
				requests[key] = { ...(value as TrackedRequest) };
		}
	}
	const answeredRuns: Record<string, string> = {};
	if (isRecord(stored.answeredRuns)) {
		for (const [key, value] of Object.entries(stored.answeredRuns)) {
			if (typeof value === 'string') answeredRuns[key] = value;
		}
	}
	return { version: APPROVAL_STATE_VERSION, requests, answeredRuns };
}

/** Writes the state into n8n's static data object in place (n8n tracks that object). */
export function writeApprovalState(staticData: IDataObject, state: ApprovalTriggerState): void {
	staticData[APPROVAL_STATE_KEY] = {
		version: state.version,
		requests: state.requests,
		answeredRuns: state.answeredRuns,
	} as unknown as IDataObject;
}

export interface PlanSettings {
	now: number;
	/** Emit again when still pending this long after the last emission; 0 = never. */
	remindAfterMs: number;
	/** Deny when pending this long since it was requested; 0 = never. */
	denyAfterMs: number;
}

export interface PlannedEmission {
	request: PendingApprovalRequest;
	key: string;
	timesEmitted: number;
	reminder: boolean;
	firstSeenAt: string;
}

export interface PlannedDenial {
	request: PendingApprovalRequest;
	key: string;
	/** When the request counted as asked (its own date, else when the trigger first saw it). */
	since: string;
	deadline: string;
}

export interface PollPlan {
	emit: PlannedEmission[];
	deny: PlannedDenial[];
	/** The state to store if the poll completes. Denials are applied by `settleDenials`. */
	next: ApprovalTriggerState;
}

function timeOf(iso: string | null | undefined): number | undefined {
	if (!iso) return undefined;
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Decides, for what a poll found, what to emit (new requests and due reminders) and
 * what to deny (past the deadline). Pure: the same inputs give the same plan.
 */
export function planPoll(
	state: ApprovalTriggerState,
	discovery: Discovery,
	settings: PlanSettings,
): PollPlan {
	const nowIso = new Date(settings.now).toISOString();
	const requests: Record<string, TrackedRequest> = {};
	const emit: PlannedEmission[] = [];
	const deny: PlannedDenial[] = [];

	for (const request of discovery.pending) {
		const key = approvalKey(request);
		const tracked = state.requests[key];
		const firstSeenAt = tracked?.first_seen_at ?? nowIso;
		const since = timeOf(request.requestedAt) ?? timeOf(firstSeenAt) ?? settings.now;

		if (settings.denyAfterMs > 0 && settings.now - since >= settings.denyAfterMs) {
			deny.push({
				request,
				key,
				since: new Date(since).toISOString(),
				deadline: new Date(since + settings.denyAfterMs).toISOString(),
			});
			requests[key] = tracked ?? newTracked(request, firstSeenAt);
			continue;
		}

		const lastEmitted = timeOf(tracked?.last_emitted_at);
		const due =
			lastEmitted === undefined ||
			(settings.remindAfterMs > 0 && settings.now - lastEmitted >= settings.remindAfterMs);
		if (due) {
			const timesEmitted = (tracked?.times_emitted ?? 0) + 1;
			emit.push({ request, key, timesEmitted, reminder: timesEmitted > 1, firstSeenAt });
			requests[key] = {
				...(tracked ?? newTracked(request, firstSeenAt)),
				last_emitted_at: nowIso,
				times_emitted: timesEmitted,
			};
		} else if (tracked) {
			requests[key] = tracked;
		}
	}

	// A request the poll did not find is no longer pending, unless the poll saw only part
	// of the scope: then what it did not reach is kept as it was.
	const answeredRuns = {
		...(discovery.complete ? {} : state.answeredRuns),
		...discovery.answeredRuns,
	};
	if (!discovery.complete) {
		for (const [key, tracked] of Object.entries(state.requests)) {
			if (!(key in requests)) requests[key] = tracked;
		}
	}
	return { emit, deny, next: { version: APPROVAL_STATE_VERSION, requests, answeredRuns } };
}

function newTracked(request: PendingApprovalRequest, firstSeenAt: string): TrackedRequest {
	return {
		agent_id: request.agentId,
		conversation_id: request.conversationId,
		approval_request_id: request.approvalRequestId,
		first_seen_at: firstSeenAt,
		last_emitted_at: null,
		times_emitted: 0,
	};
}

export interface DenialResult {
	denial: PlannedDenial;
	/** The agent's answer to the denial (an output item's worth), when it was sent. */
	outcome?: IDataObject;
	/** Why the denial could not be sent. */
	error?: Error;
	/** Answered by someone else between the poll's read and the denial: nothing to report. */
	answeredMeanwhile?: boolean;
}

/**
 * After the denials were sent: a denied request is dropped (it is answered), a failed
 * one stays so the next poll tries again, and its failure is reported only the first
 * time. Returns the new state and the results worth reporting as items.
 */
export function settleDenials(
	state: ApprovalTriggerState,
	results: DenialResult[],
	now: number,
): { state: ApprovalTriggerState; report: DenialResult[] } {
	const requests = { ...state.requests };
	const report: DenialResult[] = [];
	for (const result of results) {
		const { key } = result.denial;
		if (result.answeredMeanwhile) {
			delete requests[key];
			continue;
		}
		if (!result.error) {
			delete requests[key];
			report.push(result);
			continue;
		}
		const tracked = requests[key];
		if (tracked && !tracked.denial_failed_at) {
			requests[key] = { ...tracked, denial_failed_at: new Date(now).toISOString() };
			report.push(result);
		}
	}
	return { state: { ...state, requests }, report };
}
