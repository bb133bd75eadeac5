import type { IDataObject } from 'n8n-workflow';

import type { LettaClient } from '../transport/request';
import type { RequestSubject } from '../transport/errors';
import {
	environmentConnectionListSchema,
	environmentConnectionSchema,
	environmentSendResponseSchema,
	type EnvironmentConnection,
	type EnvironmentSendBody,
	type EnvironmentSendResponse,
} from './environmentSchemas';
import { requestChecked } from './validate';

/**
 * Letta Cloud environments: live sessions of a Letta Code listener on a device.
 * A connectionId changes with every session; a deviceId stays, so a workflow that
 * names the device keeps working after Letta Code restarts.
 */

export const ENVIRONMENTS_PATH = '/v1/environments';

/** What to check when an environments answer is not what the spec promises. */
const ENVIRONMENTS_HINT =
	"Environments are a Letta Cloud feature: is the credential's base URL https://api.letta.com?";

/** A connection counts as online with a connectionId and a heartbeat in the last 120 s. */
export const ONLINE_WINDOW_SECONDS = 120;

/** Heartbeats are epoch milliseconds; a value that can only be seconds is read as seconds. */
export function heartbeatMs(lastHeartbeat: number): number {
	return lastHeartbeat < 1e12 ? lastHeartbeat * 1000 : lastHeartbeat;
}

export interface ConnectionStatus {
	online: boolean;
	/** Seconds since the last heartbeat, when there was one. */
	heartbeatAgeSeconds: number | null;
}

export function connectionStatus(
	connection: EnvironmentConnection,
	nowMs: number,
): ConnectionStatus {
	const age =
		connection.lastHeartbeat === null
			? null
			: Math.max(0, Math.round((nowMs - heartbeatMs(connection.lastHeartbeat)) / 1000));
	return {
		online: connection.connectionId !== null && age !== null && age <= ONLINE_WINDOW_SECONDS,
		heartbeatAgeSeconds: age,
	};
}

export function describeAge(seconds: number): string {
	if (seconds < 120) return `${seconds} s ago`;
	if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
	if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
	return `${Math.round(seconds / 86400)} days ago`;
}

/** `alice-laptop (device-alice-laptop) · online`: how the dropdown and errors name a connection. */
export function describeConnection(connection: EnvironmentConnection, nowMs: number): string {
	const { online, heartbeatAgeSeconds } = connectionStatus(connection, nowMs);
	const state = online
		? 'online'
		: heartbeatAgeSeconds === null
			? 'offline'
			: `offline, last seen ${describeAge(heartbeatAgeSeconds)}`;
	return `${connection.connectionName} (${connection.deviceId}) · ${state}`;
}

export interface ConnectionPage {
	connections: EnvironmentConnection[];
	hasNextPage: boolean;
}

export async function listConnectionPage(
	client: LettaClient,
	query: { limit: number; after?: string; onlineOnly?: boolean },
	itemIndex?: number,
): Promise<ConnectionPage> {
	const qs: IDataObject = { limit: String(query.limit) };
	if (query.after) qs.after = query.after;
	if (query.onlineOnly) qs.onlineOnly = 'true';
	return await requestChecked(
		client,
		{ method: 'GET', path: ENVIRONMENTS_PATH, qs },
		{
			schema: environmentConnectionListSchema,
			what: 'the list of environment connections',
			hint: ENVIRONMENTS_HINT,
		},
		{ itemIndex },
	);
}

/** The connection of a device (`GET /v1/environments/{deviceId}`); a 404 is an error. */
export async function getDeviceConnection(
	client: LettaClient,
	deviceId: string,
	itemIndex: number,
): Promise<EnvironmentConnection> {
	return await requestChecked(
		client,
		{ method: 'GET', path: `${ENVIRONMENTS_PATH}/${encodeURIComponent(deviceId)}` },
		{
			schema: environmentConnectionSchema,
			what: 'the environment connection',
			hint: ENVIRONMENTS_HINT,
		},
		{ itemIndex, resource: `an environment on device ${deviceId}` },
	);
}

/** `POST /v1/environments/{connectionId}/messages`: fire-and-forget, answered `{success, message}`. */
export async function sendToConnection(
	client: LettaClient,
	connectionId: string,
	body: EnvironmentSendBody,
	subject: RequestSubject,
): Promise<EnvironmentSendResponse> {
	return await requestChecked(
		client,
		{
			method: 'POST',
			path: `${ENVIRONMENTS_PATH}/${encodeURIComponent(connectionId)}/messages`,
			body: body as IDataObject,
		},
		{
			schema: environmentSendResponseSchema,
			what: 'the environment message',
			hint: ENVIRONMENTS_HINT,
		},
		subject,
	);
}
