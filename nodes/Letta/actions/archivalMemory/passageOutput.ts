import type { Passage } from '../../../shared/api/passages';

/**
 * A passage as an output item: without its embedding (1536 numbers on Letta Cloud) and the
 * embedding's configuration, which no workflow reads and which would bloat every execution.
 */
export function passageOutput(passage: Passage): Record<string, unknown> {
	const output: Record<string, unknown> = { ...passage };
	delete output.embedding;
	delete output.embedding_config;
	return output;
}
