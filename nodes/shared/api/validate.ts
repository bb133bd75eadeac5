import type { z } from 'zod';

import { unexpectedResponse } from '../transport/errors';
import type { LettaClient, LettaRequest, RequestSubject } from '../transport/request';

/** Checking what Letta answered against what the spec promises, before anything reads it. */

/** The hint of an unexpected answer from the core API: the base URL may not be a Letta server. */
export const LETTA_SERVER_HINT = "Is the credential's base URL a Letta server?";

/** Formats a zod error as `path: problem` lines a user can act on. */
export function describeZodError(error: z.ZodError, root = ''): string {
	return error.issues
		.map((issue) => {
			const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
			return `${path || '(root)'}: ${issue.message}`;
		})
		.join('; ');
}

export interface Expected<Schema extends z.ZodTypeAny> {
	schema: Schema;
	/** What was answered, as the error names it (e.g. `the list of agents`). */
	what?: string;
	hint?: string;
}

/** The answer as the schema reads it; anything else is the one unexpected-response error. */
export function checkAnswer<Schema extends z.ZodTypeAny>(
	client: Pick<LettaClient, 'node'>,
	raw: unknown,
	expected: Expected<Schema>,
	itemIndex?: number,
): z.output<Schema> {
	const parsed = expected.schema.safeParse(raw);
	if (parsed.success) return parsed.data as z.output<Schema>;
	throw unexpectedResponse(client.node, {
		what: expected.what,
		problem: describeZodError(parsed.error),
		hint: expected.hint,
		itemIndex,
	});
}

/** Sends a request and checks its answer: how every api/ call reads Letta. */
export async function requestChecked<Schema extends z.ZodTypeAny>(
	client: LettaClient,
	request: LettaRequest,
	expected: Expected<Schema>,
	subject: RequestSubject = {},
): Promise<z.output<Schema>> {
	return checkAnswer(client, await client.request(request, subject), expected, subject.itemIndex);
}
