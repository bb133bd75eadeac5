/** Letta's error text: `detail` (a string, or a validation list on 422) or `{errorCode, message}`. */
export function errorDetail(body: unknown): string {
	if (typeof body === 'string') return body;
	if (!body || typeof body !== 'object') return '';
	const { detail, message, errorCode } = body as Record<string, unknown>;
	if (typeof detail === 'string') return detail;
	if (Array.isArray(detail)) {
		return detail
			.map((entry) => {
				const { loc, msg } = (entry ?? {}) as { loc?: unknown[]; msg?: string };
				return Array.isArray(loc) ? `${loc.join('.')}: ${msg ?? ''}` : String(msg ?? '');
			})
			.join('; ');
	}
	if (typeof message === 'string') return errorCode ? `${String(errorCode)}: ${message}` : message;
	return JSON.stringify(body);
}

/** The low-level code of a failure with no HTTP answer (`ECONNREFUSED`, `ETIMEDOUT`, ...). */
export function errorCode(error: unknown): string | undefined {
	const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
	if (typeof code === 'string') return code;
	return typeof cause?.code === 'string' ? cause.code : undefined;
}
