/**
 * `/__sim/long-runs`: the long-run switches of a tenant (Long Worker's work time, Redis or
 * not, callback delivery, the run-creation window) and its callback attempts.
 */
import type { SimulatorContext } from './context';
import { HttpError, isRecord } from './http';
import type { LongRunSettings } from './longRuns';
import type { Router } from './router';

const DELIVERIES: ReadonlyArray<LongRunSettings['callbackDelivery']> = ['deliver', 'drop', 'delay'];

function badRequest(detail: string): HttpError {
	return new HttpError(400, { detail: `BAD_REQUEST: ${detail}` });
}

function applySettings(settings: LongRunSettings, body: unknown): void {
	if (!isRecord(body)) throw badRequest('control body must be a JSON object');
	for (const name of ['workMs', 'callbackDelayMs', 'runCreationDelayMs'] as const) {
		const value = body[name];
		if (value === undefined) continue;
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
			throw badRequest(`${name} must be a non-negative number`);
		settings[name] = value;
	}
	if (body.redis !== undefined) {
		if (typeof body.redis !== 'boolean') throw badRequest('redis must be a boolean');
		settings.redis = body.redis;
	}
	if (body.callbackDelivery !== undefined) {
		const delivery = DELIVERIES.find((candidate) => candidate === body.callbackDelivery);
		if (!delivery) throw badRequest(`callbackDelivery must be one of ${DELIVERIES.join(', ')}`);
		settings.callbackDelivery = delivery;
	}
}

export function registerLongRunControlRoutes(router: Router, ctx: SimulatorContext): void {
	router.add('GET', '/__sim/long-runs', () => ({ body: ctx.longRuns.settings }));
	router.add('POST', '/__sim/long-runs', (rc) => {
		const next = { ...ctx.longRuns.settings };
		applySettings(next, rc.body ?? {});
		ctx.longRuns.settings = next;
		return { body: next };
	});
	router.add('GET', '/__sim/long-runs/callbacks', () => ({ body: ctx.longRuns.callbacks }));
}
