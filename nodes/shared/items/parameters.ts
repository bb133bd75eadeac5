import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
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

/** The "Text" parameter of a message: it must say something. */
export function readMessageText(context: IExecuteFunctions, itemIndex: number): string {
	const text = String(context.getNodeParameter('text', itemIndex, ''));
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
