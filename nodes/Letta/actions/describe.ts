import type { INodeProperties } from 'n8n-workflow';

import { RESOURCES, type LettaResource } from './resources';

/**
 * The node's fields, built from the resource table: the Resource dropdown, one Operation
 * dropdown per resource, and each operation's own fields shown for it alone.
 */

const resourceField: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	default: 'memoryBlock',
	options: RESOURCES.map(({ name, value, description }) => ({ name, value, description })),
};

function operationField(resource: LettaResource): INodeProperties {
	const operations = Object.values(resource.operations).map((operation) => operation.description);
	// The lint rule cannot see a computed default: it is the first operation listed.
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource.value] } },
		default: operations[0].value,
		options: operations
			.map(({ name, value, action, description }) => ({ name, value, action, description }))
			.sort((a, b) => a.name.localeCompare(b.name)),
	};
}

function operationFields(resource: LettaResource): INodeProperties[] {
	return Object.values(resource.operations).flatMap(({ description: operation }) =>
		operation.properties.map((property) => ({
			...property,
			displayOptions: {
				...property.displayOptions,
				show: {
					...property.displayOptions?.show,
					resource: [resource.value],
					operation: [operation.value],
				},
			},
		})),
	);
}

export const lettaNodeProperties: INodeProperties[] = [
	resourceField,
	...RESOURCES.map(operationField),
	...RESOURCES.flatMap(operationFields),
];
