/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tooling runs in plain Node, outside n8n */
import { createRequire } from 'node:module';
import * as path from 'node:path';

import type {
	INode,
	INodeIssues,
	INodeParameters,
	INodeProperties,
	INodePropertyCollection,
	INodeTypeDescription,
	NodeHelpers as NodeHelpersType,
} from 'n8n-workflow';

import type { WorkflowJson } from './instance/import';
import { n8nInstallDir } from './paths';

/**
 * Checks that every node of a workflow resolves in a real n8n the way the editor resolves it:
 * the node type and version exist (descriptions from the running server's
 * `GET /types/nodes.json`), n8n-workflow's own `NodeHelpers.getNodeParameters` keeps every
 * parameter the workflow gives (a misspelt name, or one its display options hide, is dropped
 * there and silently ignored at run time), `NodeHelpers.getNodeParametersIssues` finds nothing
 * (a required parameter missing), option values are among the options, and credentials are
 * of a type the node takes. A workflow that cannot reach its services (Slack) is checked this
 * far at least.
 *
 * n8n-workflow is loaded from the pinned n8n install (the copy n8n itself resolves), so the
 * rules are those of the n8n that runs the workflows, not of this package's devDependency.
 */

type NodeHelpers = typeof NodeHelpersType;

let cachedHelpers: NodeHelpers | undefined;

/** `NodeHelpers` of the n8n-workflow that the pinned n8n resolves. */
export function n8nNodeHelpers(): NodeHelpers {
	if (!cachedHelpers) {
		const requireFromN8n = createRequire(
			path.join(n8nInstallDir, 'node_modules', 'n8n', 'package.json'),
		);
		const workflow = requireFromN8n('n8n-workflow') as { NodeHelpers: NodeHelpers };
		cachedHelpers = workflow.NodeHelpers;
	}
	return cachedHelpers;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isExpression(value: unknown): boolean {
	return typeof value === 'string' && value.startsWith('=');
}

function versionsOf(description: INodeTypeDescription): number[] {
	return Array.isArray(description.version) ? description.version : [description.version];
}

/** Descriptions by type name, one per version (nodes.json lists versioned nodes per version). */
export function indexDescriptions(
	descriptions: INodeTypeDescription[],
): Map<string, INodeTypeDescription[]> {
	const byType = new Map<string, INodeTypeDescription[]>();
	for (const description of descriptions) {
		const list = byType.get(description.name) ?? [];
		list.push(description);
		byType.set(description.name, list);
	}
	return byType;
}

/** Keys given in `given` that `resolved` lacks, as dotted paths (objects and arrays walked). */
function droppedKeys(given: unknown, resolved: unknown, at: string): string[] {
	if (Array.isArray(given)) {
		if (!Array.isArray(resolved)) return [];
		return given.flatMap((element, index) =>
			droppedKeys(element, resolved[index], `${at}[${index}]`),
		);
	}
	if (!isRecord(given) || !isRecord(resolved)) return [];
	return Object.keys(given).flatMap((key) => {
		const where = at ? `${at}.${key}` : key;
		if (!(key in resolved)) return [where];
		return droppedKeys(given[key], resolved[key], where);
	});
}

function isCollectionGroup(option: unknown): option is INodePropertyCollection {
	return isRecord(option) && Array.isArray(option.values);
}

interface Resolution {
	helpers: NodeHelpers;
	node: INode;
	description: INodeTypeDescription;
	/** The node's resolved parameters (what `/name` display options refer to). */
	root: INodeParameters;
}

/**
 * Values of displayed options / multiOptions parameters that are not among their fixed
 * options (several properties can share a name, one per display condition: only the shown
 * one counts).
 */
function badOptionValues(
	properties: INodeProperties[],
	values: INodeParameters,
	at: string,
	context: Resolution,
): string[] {
	const problems: string[] = [];
	for (const property of properties) {
		if (!(property.name in values)) continue;
		if (
			!context.helpers.displayParameter(
				values,
				property,
				context.node,
				context.description,
				context.root,
			)
		)
			continue;
		const value = values[property.name];
		const where = at ? `${at}.${property.name}` : property.name;
		const dynamic =
			property.typeOptions?.loadOptionsMethod !== undefined ||
			property.typeOptions?.loadOptions !== undefined;
		if ((property.type === 'options' || property.type === 'multiOptions') && !dynamic) {
			const allowed = (property.options ?? []).map((option) =>
				isRecord(option) ? option.value : undefined,
			);
			const given = property.type === 'multiOptions' && Array.isArray(value) ? value : [value];
			for (const entry of given) {
				if (isExpression(entry)) continue;
				if (!allowed.includes(entry as never)) {
					problems.push(
						`${where}: ${JSON.stringify(entry)} is not one of its options (${allowed.map((v) => JSON.stringify(v)).join(', ')})`,
					);
				}
			}
		} else if (property.type === 'collection' && isRecord(value)) {
			problems.push(
				...badOptionValues(
					(property.options ?? []) as INodeProperties[],
					value as INodeParameters,
					where,
					context,
				),
			);
		} else if (property.type === 'fixedCollection' && isRecord(value)) {
			const groups = value as Record<string, unknown>;
			for (const group of property.options ?? []) {
				if (!isCollectionGroup(group) || !(group.name in groups)) continue;
				const entries = groups[group.name];
				const list = Array.isArray(entries) ? entries : [entries];
				list.forEach((entry, index) => {
					if (isRecord(entry)) {
						problems.push(
							...badOptionValues(
								group.values,
								entry as INodeParameters,
								Array.isArray(entries)
									? `${where}.${group.name}[${index}]`
									: `${where}.${group.name}`,
								context,
							),
						);
					}
				});
			}
		}
	}
	return problems;
}

function issuesText(issues: INodeIssues): string[] {
	const lines: string[] = [];
	for (const [parameter, messages] of Object.entries(issues.parameters ?? {})) {
		for (const message of messages) lines.push(`${parameter}: ${message}`);
	}
	for (const [credential, messages] of Object.entries(issues.credentials ?? {})) {
		for (const message of messages) lines.push(`credential ${credential}: ${message}`);
	}
	return lines;
}

/** What is wrong with one node of a workflow in this n8n (empty when it resolves). */
export function nodeParameterProblems(
	node: Record<string, unknown>,
	descriptions: Map<string, INodeTypeDescription[]>,
	helpers: NodeHelpers = n8nNodeHelpers(),
): string[] {
	const type = String(node.type);
	const typeVersion = Number(node.typeVersion ?? 1);
	const candidates = descriptions.get(type);
	if (!candidates) return [`unknown node type ${type}`];
	const description = candidates.find((entry) => versionsOf(entry).includes(typeVersion));
	if (!description) {
		return [
			`${type} has no version ${typeVersion} (n8n has ${candidates.flatMap(versionsOf).join(', ')})`,
		];
	}
	const given = (isRecord(node.parameters) ? node.parameters : {}) as INodeParameters;
	const asNode = {
		id: String(node.id ?? ''),
		name: String(node.name),
		type,
		typeVersion,
		position: [0, 0],
		parameters: given,
		disabled: node.disabled === true,
	} as INode;
	const resolved =
		helpers.getNodeParameters(description.properties, given, true, false, asNode, description) ??
		{};
	const problems = droppedKeys(given, resolved, '').map(
		(key) =>
			`parameter "${key}" is not a parameter of ${type} v${typeVersion} here (misspelt, or hidden by its display options): n8n drops it`,
	);
	const issues = helpers.getNodeParametersIssues(
		description.properties,
		{ ...asNode, parameters: resolved },
		description,
	);
	if (issues) problems.push(...issuesText(issues));
	problems.push(
		...badOptionValues(description.properties, resolved, '', {
			helpers,
			node: asNode,
			description,
			root: resolved,
		}),
	);
	const accepted = description.credentials ?? [];
	for (const credentialType of Object.keys(isRecord(node.credentials) ? node.credentials : {})) {
		const credential = accepted.find((entry) => entry.name === credentialType);
		if (!credential) {
			problems.push(
				`credential type ${credentialType} is not one ${type} takes (${accepted.map((entry) => entry.name).join(', ') || 'none'})`,
			);
		} else if (!helpers.displayParameter(resolved, credential, asNode, description, resolved)) {
			problems.push(
				`credential type ${credentialType} is not used with these parameters (its display options hide it: ${JSON.stringify(credential.displayOptions)})`,
			);
		}
	}
	return problems;
}

/** Problems of every node of a workflow, each prefixed with the node's name. */
export function workflowParameterProblems(
	workflow: WorkflowJson,
	descriptions: Map<string, INodeTypeDescription[]>,
	helpers: NodeHelpers = n8nNodeHelpers(),
): string[] {
	return workflow.nodes.flatMap((node) =>
		nodeParameterProblems(node, descriptions, helpers).map(
			(problem) => `node "${String(node.name)}": ${problem}`,
		),
	);
}
