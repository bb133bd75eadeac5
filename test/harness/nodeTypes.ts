import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

import { name as packageName } from '../../package.json';

type AnyNodeType = INodeType | IVersionedNodeType;

/** A node class (`LettaSendAgentMessage`) or an instance of one. */
export type NodeTypeSource = AnyNodeType | (new () => AnyNodeType);

function instantiate(source: NodeTypeSource): AnyNodeType {
	return typeof source === 'function' ? new source() : source;
}

/**
 * The type a workflow JSON uses for a node of this package, e.g.
 * `n8n-nodes-letta.lettaSendAgentMessage`: n8n prefixes community nodes with the package name.
 */
export function nodeTypeName(source: NodeTypeSource): string {
	return `${packageName}.${instantiate(source).description.name}`;
}

/** `INodeTypes` over the node classes a test hands in (n8n's loader reads them from disk). */
export class NodeTypesRegistry implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

	constructor(sources: NodeTypeSource[]) {
		for (const source of sources) {
			const nodeType = instantiate(source);
			this.types.set(`${packageName}.${nodeType.description.name}`, nodeType);
		}
	}

	getByName(nodeType: string): AnyNodeType {
		const found = this.types.get(nodeType);
		if (found === undefined) {
			throw new UnexpectedError(
				`Unknown node type "${nodeType}"; known: ${[...this.types.keys()].join(', ')}`,
			);
		}
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		const known: IDataObject = {};
		for (const name of this.types.keys()) known[name] = { className: name, sourcePath: '' };
		return known;
	}
}
