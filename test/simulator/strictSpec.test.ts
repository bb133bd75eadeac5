/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling runs in plain Node, outside n8n */
/** The strict spec copy: which schemas get closed, and that nothing else changes. */
import { readFileSync } from 'node:fs';
import { makeStrictSpec, SOURCE_SPEC_PATH } from './strictSpec';

type Schema = { additionalProperties?: unknown; properties?: Record<string, unknown> };

const source = JSON.parse(readFileSync(SOURCE_SPEC_PATH, 'utf8')) as {
	security?: unknown;
	components: { schemas: Record<string, Schema> };
	paths: Record<
		string,
		Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>
	>;
};
const sourceText = JSON.stringify(source);
const { spec, stats } = makeStrictSpec(JSON.parse(sourceText));
const strict = spec as unknown as typeof source;
const schema = (name: string): Schema => strict.components.schemas[name];

describe('makeStrictSpec', () => {
	it('closes the request schemas whose field names the package sends', () => {
		for (const name of [
			'LettaStreamingRequest',
			'ConversationMessageRequest',
			'MessageCreate',
			'ApprovalCreate',
			'ApprovalReturn',
			'TextContent',
			'Base64Image',
		]) {
			expect(schema(name).additionalProperties).toBe(false);
		}
		const environmentBody =
			strict.paths['/v1/environments/{connectionId}/messages'].post.requestBody?.content[
				'application/json'
			].schema;
		expect(environmentBody?.additionalProperties).toBe(false);
		expect(stats.closedSchemas).toBeGreaterThan(100);
	});

	it('leaves response-only schemas and explicit additionalProperties alone', () => {
		expect(schema('LettaResponse').additionalProperties).toBeUndefined();
		expect(schema('LettaUsageStatistics').additionalProperties).toBeUndefined();
		expect(schema('AgentState').additionalProperties).toBe(false);
		expect(source.components.schemas.AgentState.additionalProperties).toBe(false);
	});

	it('drops the security requirement so the simulator answers auth itself', () => {
		expect(source.security).toBeDefined();
		expect(strict.security).toBeUndefined();
	});

	it('does not modify its input', () => {
		const input = JSON.parse(sourceText) as typeof source;
		makeStrictSpec(JSON.parse(JSON.stringify(input)));
		expect(JSON.stringify(input)).toBe(sourceText);
	});
});
