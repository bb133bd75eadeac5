/** `GET /v1/health/`: Letta's liveness probe (health.py check_health), open without a key. */
import type { Router } from './router';

/** The paths Letta's CheckPasswordMiddleware lets through unauthenticated (those the simulator serves). */
export const HEALTH_PATHS = new Set(['/v1/health/']);

/** The Letta version the simulator stands in for (the source it was checked against). */
export const SIMULATED_LETTA_VERSION = '0.16.8';

export function registerHealthRoutes(router: Router): void {
	router.add('GET', '/v1/health/', () => ({
		body: { version: SIMULATED_LETTA_VERSION, status: 'ok' },
	}));
}
