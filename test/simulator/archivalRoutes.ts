/**
 * Archival memory (passages): `/v1/agents/{agent_id}/archival-memory...`, as
 * letta/server/rest_api/routers/v1/agents.py (56ba9c255) answers it. No embeddings: search
 * ranks by the query's words found in a passage, which keeps results deterministic.
 */
import type { SimulatorContext } from './context';
import { isRecord } from './http';
import { detailError, passageNotFound, validationError } from './lettaErrors';
import { requireAgent } from './messageRoutes';
import { paginate, queryBoolean, queryEnum, queryInteger, queryList, queryString } from './query';
import type { Router } from './router';
import type { PassageRecord } from './types';

/** letta/constants.py RETRIEVAL_QUERY_DEFAULT_PAGE_SIZE: search's top_k when none is given. */
const SEARCH_DEFAULT_TOP_K = 5;

/** A short stand-in for the embedding Letta stores with every passage (1536 floats there). */
const SIMULATED_EMBEDDING = [0.0125, -0.5, 0.25, 0.75];
const EMBEDDING_CONFIG = {
	embedding_endpoint_type: 'openai' as const,
	embedding_endpoint: 'https://api.openai.com/v1',
	embedding_model: 'text-embedding-3-small',
	embedding_dim: SIMULATED_EMBEDDING.length,
	embedding_chunk_size: 300,
	handle: 'openai/text-embedding-3-small',
	batch_size: 32,
	azure_endpoint: null,
	azure_version: null,
	azure_deployment: null,
};
const ARCHIVE_ID_PREFIX = 'archive-00000000-0000-4000-8000-00';

/** Passage (additionalProperties: false in the spec): its documented fields only. */
export function toPassage(passage: PassageRecord) {
	return {
		id: passage.id,
		text: passage.text,
		tags: passage.tags,
		metadata: {},
		archive_id: `${ARCHIVE_ID_PREFIX}${passage.agentId.slice(-10)}`,
		source_id: null,
		file_id: null,
		file_name: null,
		is_deleted: false,
		created_at: passage.createdAt,
		updated_at: passage.createdAt,
		created_by_id: null,
		last_updated_by_id: null,
		embedding: SIMULATED_EMBEDDING,
		embedding_config: EMBEDDING_CONFIG,
	};
}

/** Python's `datetime.isoformat()` of a UTC time (what search puts in `timestamp`). */
function pythonIsoFormat(iso: string): string {
	return iso.replace(/\.000Z$/, '+00:00').replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

function words(text: string): string[] {
	return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/** How many of the query's words the passage contains: the simulator's relevance. */
function relevance(passage: PassageRecord, query: string): number {
	const passageWords = new Set(words(passage.text));
	return words(query).filter((word) => passageWords.has(word)).length;
}

function matchesTags(passage: PassageRecord, tags: string[], mode: 'any' | 'all'): boolean {
	if (tags.length === 0) return true;
	return mode === 'all'
		? tags.every((tag) => passage.tags.includes(tag))
		: tags.some((tag) => passage.tags.includes(tag));
}

export function registerArchivalRoutes(router: Router, ctx: SimulatorContext): void {
	const { store } = ctx;

	const passagesOf = (agentId: string): PassageRecord[] =>
		[...store.passages.values()]
			.filter((passage) => passage.agentId === agentId)
			.sort((a, b) => a.sequence - b.sequence);

	router.add('GET', '/v1/agents/{agent_id}/archival-memory', (rc) => {
		requireAgent(ctx, rc.params.agent_id);
		const limit = queryInteger(rc.query, 'limit', 100, 1);
		const ascending = queryBoolean(rc.query, 'ascending', true);
		const search = queryString(rc.query, 'search')?.toLowerCase() ?? null;
		const matching = passagesOf(rc.params.agent_id).filter(
			(passage) => search === null || passage.text.toLowerCase().includes(search),
		);
		if (!ascending) matching.reverse();
		const page = paginate(
			matching,
			queryString(rc.query, 'after'),
			queryString(rc.query, 'before'),
			limit,
		);
		return { body: page.map(toPassage) };
	});

	/** insert_archival_memory_async: the simulator never splits a text, so one passage. */
	router.add('POST', '/v1/agents/{agent_id}/archival-memory', (rc) => {
		const agent = requireAgent(ctx, rc.params.agent_id);
		const body = rc.body;
		if (!isRecord(body) || typeof body.text !== 'string')
			throw validationError([
				{ loc: ['body', 'text'], msg: 'Field required', type: 'missing', input: body ?? null },
			]);
		const passage: PassageRecord = {
			id: store.ids.prefixed('passage'),
			agentId: agent.id,
			text: body.text,
			tags: Array.isArray(body.tags)
				? body.tags.filter((tag): tag is string => typeof tag === 'string')
				: [],
			createdAt:
				typeof body.created_at === 'string'
					? new Date(body.created_at).toISOString()
					: new Date().toISOString(),
			sequence: store.nextSequence(),
		};
		store.passages.set(passage.id, passage);
		return { body: [toPassage(passage)] };
	});

	router.add('GET', '/v1/agents/{agent_id}/archival-memory/search', (rc) => {
		requireAgent(ctx, rc.params.agent_id);
		const query = queryString(rc.query, 'query');
		if (query === null && !rc.query.has('query'))
			throw validationError([
				{ loc: ['query', 'query'], msg: 'Field required', type: 'missing', input: null },
			]);
		const tags = queryList(rc.query, 'tags');
		const mode = queryEnum(rc.query, 'tag_match_mode', ['any', 'all'] as const, 'any');
		const topK = queryInteger(rc.query, 'top_k', SEARCH_DEFAULT_TOP_K, 0);
		// search_agent_archival_memory_async answers an empty or blank query with no results.
		const text = query?.trim() ?? '';
		const results = text
			? passagesOf(rc.params.agent_id)
					.filter((passage) => matchesTags(passage, tags, mode))
					.map((passage) => ({ passage, score: relevance(passage, text) }))
					.filter(({ score }) => score > 0)
					.sort((a, b) => b.score - a.score || a.passage.sequence - b.passage.sequence)
					.slice(0, topK)
					.map(({ passage }) => ({
						id: passage.id,
						timestamp: pythonIsoFormat(passage.createdAt),
						content: passage.text,
						tags: passage.tags,
					}))
			: [];
		return { body: { results, count: results.length } };
	});

	/**
	 * delete_archival_memory_async looks the passage up by id alone: Letta deletes it whichever
	 * agent the path names (the simulator does the same).
	 */
	router.add('DELETE', '/v1/agents/{agent_id}/archival-memory/{memory_id}', (rc) => {
		const memoryId = rc.params.memory_id;
		if (!store.passages.has(memoryId)) throw detailError(404, passageNotFound(memoryId));
		store.passages.delete(memoryId);
		return { body: { message: `Memory id=${memoryId} successfully deleted` } };
	});
}
