import type { z } from 'zod';

import { unexpectedResponse } from '../transport/errors';
import type { LettaClient, LettaRequest, RequestSubject } from '../transport/request';

/** Checking what Letta answered against what the spec promises, before anything reads it. */

/** The hint of an unexpected answer from the core API: the base URL may not be a Letta server. */
export const LETTA_SERVER_HINT = "Is the credential's base URL a Letta server?";

type Issue = z.ZodIssue;

const samePath = (a: Array<string | number>, b: Array<string | number>) =>
	a.length === b.length && a.every((part, index) => part === b[index]);

/**
 * A union member's issues may carry paths relative to the object that holds the union (zod 3
 * inside nested unions): put them back under the union's own path.
 */
function anchor(path: Array<string | number>, unionPath: Array<string | number>) {
	for (let overlap = Math.min(path.length, unionPath.length); overlap > 0; overlap--) {
		if (samePath(path.slice(0, overlap), unionPath.slice(unionPath.length - overlap))) {
			return [...unionPath.slice(0, unionPath.length - overlap), ...path];
		}
	}
	return path;
}

/** A branch of a union whose kind does not fit the value: wrong `type` literal, or wrong JSON type. */
function kindMismatch(issues: Issue[], unionPath: Array<string | number>): Issue | undefined {
	return issues.find(
		(issue) =>
			(issue.code === 'invalid_type' && samePath(issue.path, unionPath)) ||
			(issue.code === 'invalid_literal' &&
				samePath(issue.path.slice(0, -1), unionPath) &&
				issue.path[issue.path.length - 1] === 'type'),
	);
}

/**
 * Zod says "Invalid input" for a union that no member matched. Read it as the user meant it:
 * the member whose kind fits the value, with its own problems; or, when no member fits,
 * what kinds were expected.
 */
function resolveUnion(issue: Extract<Issue, { code: 'invalid_union' }>): Issue[] {
	const branches = issue.unionErrors.map((error) =>
		flattenIssues(
			error.issues.map((inner) => ({ ...inner, path: anchor(inner.path, issue.path) })),
		),
	);
	const mismatches = branches.map((branch) => kindMismatch(branch, issue.path));
	const fitting = branches.filter((_, index) => !mismatches[index]);
	if (fitting.length > 0) {
		return fitting.reduce((best, branch) => (branch.length < best.length ? branch : best));
	}
	const literals = mismatches.filter(
		(mismatch): mismatch is Extract<Issue, { code: 'invalid_literal' }> =>
			mismatch?.code === 'invalid_literal',
	);
	if (literals.length === mismatches.length) {
		const { path, received } = literals[0];
		const expected = [...new Set(literals.map((literal) => JSON.stringify(literal.expected)))];
		const given = received === undefined ? 'missing' : JSON.stringify(received);
		return [{ ...literals[0], path, message: `got ${given}, expected ${expected.join(' or ')}` }];
	}
	const types = mismatches.filter(
		(mismatch): mismatch is Extract<Issue, { code: 'invalid_type' }> =>
			mismatch?.code === 'invalid_type',
	);
	const expected = [...new Set(types.map((type) => type.expected))];
	if (types.length > 0 && types[0].received === 'undefined')
		return [{ ...types[0], message: 'Required' }];
	const received = types[0]?.received ?? 'something else';
	return [{ ...issue, message: `expected ${expected.join(' or ')}, received ${received}` }];
}

function flattenIssues(issues: Issue[]): Issue[] {
	return issues.flatMap((issue) =>
		issue.code === 'invalid_union' ? resolveUnion(issue) : [issue],
	);
}

/** Edit distance, to say which expected key a misspelt one stands for. */
function distance(a: string, b: string): number {
	const row = Array.from({ length: b.length + 1 }, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		let diagonal = row[0];
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const above = row[j];
			row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
			diagonal = above;
		}
	}
	return row[b.length];
}

function joinPath(root: string, path: Array<string | number>): string {
	return [root, ...path.map(String)].filter(Boolean).join('.') || '(root)';
}

/**
 * Formats a zod error as `path: problem` lines a user can act on. An unknown key names
 * itself and, when a required key is missing beside it, the key that was expected.
 */
export function describeZodError(error: z.ZodError, root = ''): string {
	const issues = flattenIssues(error.issues);
	const missing = issues.filter(
		(issue) => issue.code === 'invalid_type' && issue.received === 'undefined',
	);
	const explained = new Set<Issue>();
	const lines: string[] = [];
	for (const issue of issues) {
		if (issue.code !== 'unrecognized_keys') continue;
		for (const key of issue.keys) {
			const candidates = missing.filter((entry) => samePath(entry.path.slice(0, -1), issue.path));
			const closest = candidates
				.map((entry) => ({
					entry,
					score: distance(key, String(entry.path[entry.path.length - 1])),
				}))
				.sort((a, b) => a.score - b.score)[0];
			if (closest) explained.add(closest.entry);
			const expected = closest ? `; expected "${String(closest.entry.path.slice(-1)[0])}"` : '';
			lines.push(`${joinPath(root, [...issue.path, key])}: unknown key${expected}`);
		}
	}
	for (const issue of issues) {
		if (issue.code === 'unrecognized_keys' || explained.has(issue)) continue;
		const line = `${joinPath(root, issue.path)}: ${issue.message}`;
		if (!lines.includes(line)) lines.push(line);
	}
	return lines.join('; ');
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
