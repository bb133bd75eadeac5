/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The simulator validates against a copy of Letta's spec kept in the repository, so a clone
 * works on its own. Where the project's shared reference copy sits beside the checkout (as in
 * CI), the two must be the same file: a newer reference spec means refreshing the copy.
 */
const vendored = join(__dirname, 'letta-openapi.json');
const reference = join(__dirname, '..', '..', '..', 'shared', 'letta-openapi.json');

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the vendored Letta OpenAPI spec', () => {
	it('is a parseable OpenAPI 3.1 document with the paths the nodes use', () => {
		const spec = JSON.parse(readFileSync(vendored, 'utf8')) as {
			openapi: string;
			paths: Record<string, unknown>;
		};
		expect(spec.openapi).toMatch(/^3\.1/);
		for (const path of [
			'/v1/agents/',
			'/v1/agents/{agent_id}/messages',
			'/v1/conversations/{conversation_id}/messages',
			'/v1/runs/',
			'/v1/environments',
			'/v1/environments/{connectionId}/messages',
		]) {
			expect(spec.paths).toHaveProperty([path]);
		}
	});

	it('matches the shared reference copy, where one sits beside the checkout', () => {
		// A clone on its own has no reference copy: then the vendored one is all there is.
		const expected = existsSync(reference) ? digest(reference) : digest(vendored);
		expect(digest(vendored)).toBe(expected);
	});
});
