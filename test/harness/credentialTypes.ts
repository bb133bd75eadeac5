import type { ICredentialType, ICredentialTypes, INodeProperties } from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

import { name as packageName } from '../../package.json';

/** A credential class (`LettaCommunityApi`) or an instance of one. */
export type CredentialTypeSource = ICredentialType | (new () => ICredentialType);

export function instantiateCredentialType(source: CredentialTypeSource): ICredentialType {
	return typeof source === 'function' ? new source() : source;
}

/** `ICredentialTypes` over the credential classes a test hands in. */
export class CredentialTypesRegistry implements ICredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor(sources: CredentialTypeSource[]) {
		for (const source of sources) {
			const credentialType = instantiateCredentialType(source);
			this.types.set(credentialType.name, credentialType);
		}
	}

	recognizes(credentialType: string): boolean {
		return this.types.has(credentialType);
	}

	getByName(credentialType: string): ICredentialType {
		const found = this.types.get(credentialType);
		if (found === undefined) {
			throw new UnexpectedError(
				`Unknown credential type "${credentialType}": pass its class in credentialTypes`,
			);
		}
		return found;
	}

	/** Fully qualified node types, as n8n's loader exposes them. */
	getSupportedNodes(type: string): string[] {
		return (this.getByName(type).supportedNodes ?? []).map((name) => `${packageName}.${name}`);
	}

	getParentTypes(typeName: string): string[] {
		if (!this.recognizes(typeName)) return [];
		const parents = this.getByName(typeName).extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	/** The type's properties merged over those of the types it extends, as n8n shows them. */
	getProperties(typeName: string): INodeProperties[] {
		const credentialType = this.getByName(typeName);
		if (credentialType.extends === undefined) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}
