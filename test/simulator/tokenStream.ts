/**
 * `stream_tokens: true`: Letta streams an assistant message as it is generated, one chunk per
 * token delta, every chunk carrying the message's own id and otid and only its new text
 * (letta/interfaces/openai_streaming_interface.py: `AssistantMessage(id=self.letta_message_id,
 * content=message_delta.content, otid=Message.generate_otid_from_id(...), run_id, step_id)`).
 * Whether the model streams tokens at all is the server's choice
 * (streaming_service.py `_is_token_streaming_compatible`); the simulator's agents always do.
 */
import { sleep } from './http';
import type { LettaMessage } from './types';

/** A word with the spaces before it: joined back in order they give the text unchanged. */
export function splitTokens(text: string): string[] {
	return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** One assistant message as the chunks Letta streams for it (others are one chunk). */
export function tokenChunks(message: LettaMessage): LettaMessage[] {
	if (message.message_type !== 'assistant_message' || typeof message.content !== 'string')
		return [message];
	const tokens = splitTokens(message.content);
	if (tokens.length < 2) return [message];
	return tokens.map((token) => ({ ...message, content: token }));
}

/** Writes the messages, an assistant message token by token with `tokenDelayMs` before each. */
export async function writeStreamed(
	messages: LettaMessage[],
	options: { streamTokens: boolean; tokenDelayMs: number },
	write: (message: LettaMessage) => void,
): Promise<void> {
	for (const message of messages) {
		const chunks = options.streamTokens ? tokenChunks(message) : [message];
		for (const chunk of chunks) {
			if (chunks.length > 1 && options.tokenDelayMs > 0) await sleep(options.tokenDelayMs);
			write(chunk);
		}
	}
}
