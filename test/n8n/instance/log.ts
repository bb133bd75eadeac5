/** Reading what n8n prints: with N8N_LOG_FORMAT=json each log line is one JSON object. */

export interface N8nLogLine {
	level?: string;
	message: string;
	metadata?: Record<string, unknown>;
	raw: string;
}

/** Parses one line of n8n output. */
export function parseLogLine(raw: string): N8nLogLine {
	const trimmed = raw.trim();
	if (trimmed.startsWith('{')) {
		try {
			const parsed = JSON.parse(trimmed) as Record<string, unknown>;
			if (typeof parsed.message === 'string') {
				const { level, message, metadata, ...rest } = parsed;
				return {
					level: typeof level === 'string' ? level : undefined,
					message,
					metadata:
						metadata && typeof metadata === 'object'
							? (metadata as Record<string, unknown>)
							: (rest as Record<string, unknown>),
					raw,
				};
			}
		} catch {
			// not a log object
		}
	}
	return { message: raw, raw };
}

/** Every non-empty line of a command's output, parsed. */
export function parseLogOutput(output: string): N8nLogLine[] {
	return output.split('\n').filter(Boolean).map(parseLogLine);
}
