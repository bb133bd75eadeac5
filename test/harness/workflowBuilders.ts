import type {
	IConnections,
	INode,
	INodeParameters,
	INodeType,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeTypeName, type NodeTypeSource } from './nodeTypes';

function latestVersion(instance: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in instance) return instance.currentVersion;
	const { version } = instance.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** A workflow node of one of our node classes, at its latest version unless given. */
export function workflowNode(
	source: NodeTypeSource,
	name: string,
	parameters: INodeParameters = {},
	settings: Partial<INode> = {},
): INode {
	const instance = typeof source === 'function' ? new source() : source;
	return {
		id: `node-${name}`,
		name,
		type: nodeTypeName(instance),
		typeVersion: latestVersion(instance),
		position: [0, 0],
		parameters,
		...settings,
	};
}

/**
 * Connections for a straight line of nodes. An entry `[name, outputIndex]` connects that
 * output of the node to the next node (e.g. a node's error output).
 */
export function chain(...steps: Array<string | [string, number]>): IConnections {
	const connections: IConnections = {};
	for (let index = 0; index < steps.length - 1; index++) {
		const [from, outputIndex] =
			typeof steps[index] === 'string'
				? [steps[index] as string, 0]
				: (steps[index] as [string, number]);
		const next = steps[index + 1];
		const to = typeof next === 'string' ? next : next[0];
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= outputIndex) main.push([]);
		(main[outputIndex] ??= []).push({ node: to, type: NodeConnectionTypes.Main, index: 0 });
	}
	return connections;
}
