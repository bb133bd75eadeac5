import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	DEFAULT_TIMEOUT_SECONDS,
	MAX_TIMEOUT_SECONDS,
	MIN_TIMEOUT_SECONDS,
} from '../transport/request';
import { readItemParameter } from './itemParameter';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MIN_CONCURRENCY } from './scheduler';

/** Reading one item's parameters, with errors that name the item and say how to fix it. */

export const JSON_MESSAGES_EXAMPLE = '{"messages":[{"role":"user","content":"Hello"}]}';

export function itemInputError(
	context: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), `${message} [item ${itemIndex}]`, {
		itemIndex,
		description,
	});
}

/**
 * A JSON parameter as a value: n8n hands over an object when an expression produced one,
 * text otherwise. Empty text is `undefined`; text that is not JSON is an error naming the field.
 */
export function readJsonParameter(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
	example: string,
): unknown {
	const value = readItemParameter(context, name, itemIndex, '');
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw itemInputError(
			context,
			itemIndex,
			`"${label}" is not valid JSON`,
			`${(error as Error).message}. Give something like ${example}.`,
		);
	}
}

/**
 * A text parameter as the agent should read it: an object or list mapped into it is sent as
 * JSON (not "[object Object]"), a null or missing field as no text.
 */
export function readTextParameter(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
): string {
	const value = readItemParameter(context, name, itemIndex, '');
	if (value === null || value === undefined) return '';
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The "Text" parameter of a message: it must say something. */
export function readMessageText(context: IExecuteFunctions, itemIndex: number): string {
	const text = readTextParameter(context, itemIndex, 'text');
	if (!text.trim()) {
		throw itemInputError(
			context,
			itemIndex,
			'The message text is empty',
			'Fill in "Text", or map it from the input with an expression such as {{ $json.text }}.',
		);
	}
	return text;
}

/** A number option within its range: a number, or numeric text from an expression; else undefined. */
function numberInRange(
	value: unknown,
	min: number,
	max: number,
	whole: boolean,
): number | undefined {
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value)
				: Number.NaN;
	if (!Number.isFinite(number) || number < min || number > max) return undefined;
	if (whole && !Number.isInteger(number)) return undefined;
	return number;
}

function shown(value: unknown): string {
	return typeof value === 'string' ? `"${value}"` : String(value);
}

/**
 * A Timeout option in milliseconds; anything outside MIN..MAX_TIMEOUT_SECONDS (0, negative,
 * not a number) is an error naming the option, before anything is sent.
 */
export function readTimeoutMs(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label: string,
): number {
	const value = readItemParameter(context, name, itemIndex, DEFAULT_TIMEOUT_SECONDS);
	const seconds = numberInRange(value, MIN_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS, false);
	if (seconds === undefined) {
		throw itemInputError(
			context,
			itemIndex,
			`"${label}" must be a number of seconds from ${MIN_TIMEOUT_SECONDS} to ${MAX_TIMEOUT_SECONDS}, not ${shown(value)}`,
			`Give how long to wait for Letta's answer to one item, in seconds (default ${DEFAULT_TIMEOUT_SECONDS}). Nothing was sent.`,
		);
	}
	return seconds * 1000;
}

/** The Concurrency option (one value for the node); outside MIN..MAX_CONCURRENCY is an error. */
export function readConcurrency(context: IExecuteFunctions): number {
	const value = context.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY) as unknown;
	const concurrency = numberInRange(value, MIN_CONCURRENCY, MAX_CONCURRENCY, true);
	if (concurrency === undefined) {
		throw new NodeOperationError(
			context.getNode(),
			`"Concurrency" must be a whole number from ${MIN_CONCURRENCY} to ${MAX_CONCURRENCY}, not ${shown(value)}`,
			{
				description: `How many items are sent at once (default ${DEFAULT_CONCURRENCY}); items for the same agent and conversation always go one at a time. Nothing was sent.`,
			},
		);
	}
	return concurrency;
}
