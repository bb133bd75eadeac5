/**
 * Prism buffers every answer it proxies, so an SSE stream would reach the client in one
 * piece, after the run. For a request that will stream, the validator's front therefore
 * asks Prism to validate the request only (this header: the simulator answers such a
 * request at once with an empty stream and runs nothing), and on success sends the
 * request itself straight to the simulator and pipes the stream back as it comes.
 * Requests are still validated; SSE answers are not (Prism cannot check SSE bodies).
 */
export const VALIDATE_ONLY_HEADER = 'x-letta-sim-validate-only';

/** What the simulator answers a validate-only request with: a 200 SSE stream that ends at once. */
export const VALIDATE_ONLY_BODY = 'data: [DONE]\n\n';

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether Letta answers this request with an SSE stream: the two resume routes always, the
 * conversation messages endpoint unless `streaming: false`, the agent messages endpoint
 * only with `streaming: true`.
 */
export function answersWithStream(method: string, pathname: string, body: unknown): boolean {
	if (method !== 'POST') return false;
	if (/^\/v1\/runs\/[^/]+\/stream$/.test(pathname)) return true;
	if (/^\/v1\/conversations\/[^/]+\/stream$/.test(pathname)) return true;
	const streaming = isRecord(body) ? body.streaming : undefined;
	if (/^\/v1\/conversations\/[^/]+\/messages$/.test(pathname)) return streaming !== false;
	if (/^\/v1\/agents\/[^/]+\/messages$/.test(pathname)) return streaming === true;
	return false;
}
