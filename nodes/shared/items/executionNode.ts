import type { INode } from 'n8n-workflow';

/**
 * n8n's `getNode()` deep-copies the node (its parameters included) at every call, which over
 * many items costs more than the item's own work. The node does not change while it runs, so
 * per-item code reads one copy per execution context: read it, never change it.
 */
const nodeByContext = new WeakMap<object, INode>();

export function executionNode(context: { getNode(): INode }): INode {
	let node = nodeByContext.get(context);
	if (!node) {
		node = context.getNode();
		nodeByContext.set(context, node);
	}
	return node;
}

/**
 * n8n runs a node as an AI Agent's tool under the type it generates for `usableAsTool` nodes,
 * the node's own type with `Tool` appended (`lettaSendAgentMessageTool`); that holds both when
 * the engine runs the tool (AI Agent 3.x) and when a sub-node context calls it.
 */
export function runsAsTool(context: { getNode(): INode }): boolean {
	return executionNode(context).type.endsWith('Tool');
}
