/**
 * Server-sent events, parsed from text as it arrives (the WHATWG event-stream format): lines
 * `field: value`, an event ends at a blank line, `data` lines are joined by `\n`, comment
 * lines (`:`) are ignored. Pure, so it is tested without HTTP.
 */

export interface SseEvent {
	/** The `event:` field; undefined for the default `message` event. */
	event?: string;
	data: string;
}

export class SseParser {
	private buffer = '';
	private data: string[] = [];
	private event: string | undefined;

	/** Feeds the next piece of text; returns the events it completed. */
	push(text: string): SseEvent[] {
		this.buffer += text;
		const events: SseEvent[] = [];
		for (;;) {
			const match = /\r\n|\r|\n/.exec(this.buffer);
			// A lone `\r` at the end may be the first half of `\r\n`: wait for more.
			if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1)) break;
			const line = this.buffer.slice(0, match.index);
			this.buffer = this.buffer.slice(match.index + match[0].length);
			const event = this.line(line);
			if (event) events.push(event);
		}
		return events;
	}

	/** An event left without its closing blank line when the stream ended, if any. */
	end(): SseEvent[] {
		const rest = this.buffer ? this.push('\n') : [];
		const last = this.line('');
		return last ? [...rest, last] : rest;
	}

	private line(line: string): SseEvent | undefined {
		if (line === '') {
			if (this.data.length === 0) {
				this.event = undefined;
				return undefined;
			}
			const event: SseEvent = { data: this.data.join('\n') };
			if (this.event !== undefined) event.event = this.event;
			this.data = [];
			this.event = undefined;
			return event;
		}
		if (line.startsWith(':')) return undefined;
		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		let value = colon < 0 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'data') this.data.push(value);
		else if (field === 'event') this.event = value;
		return undefined;
	}
}
