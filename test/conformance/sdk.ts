/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling runs in plain Node, outside n8n */
/**
 * The conformance tier's judge: Letta's official TypeScript SDK, pointed at the spec validator
 * (LETTA_API_URL, Prism in front of the simulator). Nothing here comes from `nodes/`.
 *
 * The SDK does not validate responses at runtime: a missing field only shows when code reads
 * it. So every answer is checked against the fields its SDK type requires, with key lists the
 * compiler holds to the SDK's types (`requiredKeys`): a list that misses a required key, or
 * names one the type does not have, does not compile.
 */
import Letta, { APIError } from '@letta-ai/letta-client';
import type { ClientOptions } from '@letta-ai/letta-client';
import { SimulatorControl } from '../simulator/control';
import { SIMULATOR_API_KEY } from '../simulator/fixtures';

export function apiUrl(): string {
	const url = process.env.LETTA_API_URL;
	if (!url) throw new Error('LETTA_API_URL is not set: run through jest (globalSetup)');
	return url;
}

/**
 * A client for this jest worker's tenant. `maxRetries: 0` unless a test asks otherwise, so
 * a test sees the server's first answer rather than the SDK's third attempt.
 */
export function sdkClient(options: Partial<ClientOptions> = {}): Letta {
	return new Letta({ baseURL: apiUrl(), apiKey: SIMULATOR_API_KEY, maxRetries: 0, ...options });
}

/** This worker's simulator tenant, back to the seed before every test of the calling file. */
export function freshTenant(): SimulatorControl {
	const control = SimulatorControl.fromEnv();
	beforeEach(async () => {
		await control.reset();
	});
	return control;
}

export async function pause(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Keys a type requires (present, possibly null), as opposed to its optional ones. */
export type RequiredKey<T> = {
	[K in keyof T]-?: object extends Pick<T, K> ? never : K;
}[keyof T] &
	string;

type MissingKeys<T, Listed extends string> = Exclude<RequiredKey<T>, Listed>;

/**
 * `requiredKeys<Run>()(['id', 'agent_id'])` compiles only when the list is exactly the keys
 * `Run` requires: the SDK's types, not this file, say what an answer must carry.
 */
export function requiredKeys<T>() {
	return <const Listed extends readonly RequiredKey<T>[]>(
		keys: Listed &
			([MissingKeys<T, Listed[number]>] extends [never]
				? unknown
				: { missingRequiredKeys: MissingKeys<T, Listed[number]> }),
	): readonly RequiredKey<T>[] => keys;
}

/** Fails the test unless `value` is an object carrying every listed key (null allowed). */
export function expectRequiredFields<T>(value: T, keys: readonly RequiredKey<T>[]): void {
	expect(value).toEqual(expect.any(Object));
	const missing = keys.filter(
		(key) => !(key in (value as object)) || (value as Record<string, unknown>)[key] === undefined,
	);
	expect(missing).toEqual([]);
}

export const UUID4 = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
export const AGENT_ID_SHAPE = new RegExp(`^agent-${UUID4}$`);
export const CONVERSATION_ID_SHAPE = new RegExp(`^conv-${UUID4}$`);
export const RUN_ID_SHAPE = /^run-[0-9a-f-]{36}$/;
export const MESSAGE_ID_SHAPE = /^message-[0-9a-f-]{36}$/;

type ErrorClass<E extends APIError> = abstract new (...args: never[]) => E;

/** The SDK error a call fails with: its class and status checked, its JSON body returned. */
export async function expectSdkError<E extends APIError>(
	call: Promise<unknown>,
	errorClass: ErrorClass<E>,
	status: number,
): Promise<E & { error: Record<string, unknown> }> {
	let caught: unknown;
	try {
		await call;
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(errorClass);
	const error = caught as E;
	expect(error.status).toBe(status);
	expect(error.error).toEqual(expect.any(Object));
	return error as E & { error: Record<string, unknown> };
}
