import type { INodeParameters, NodeTypeAndVersion } from 'n8n-workflow';

import { isConfirmStoredStep } from '../../InstaMed/actions/notification/identity';

/** A connection into `to`: from output `fromOutput` of node `from`. */
export interface Edge {
	from: string;
	fromOutput: number;
	to: string;
}

export interface WiredNode {
	name: string;
	type: string;
	disabled: boolean;
	parameters?: INodeParameters;
}

/**
 * The enabled nodes a message on output `output` of `trigger` reaches. A disabled node passes its
 * input on (n8n runs what follows it), so it is crossed but not counted.
 */
export function nodesReached(
	trigger: string,
	output: number,
	edges: Edge[],
	nodes: WiredNode[],
): WiredNode[] {
	const byName = new Map(nodes.map((node) => [node.name, node]));
	const seen = new Set<string>();
	let frontier = edges
		.filter((edge) => edge.from === trigger && edge.fromOutput === output)
		.map((edge) => edge.to);
	while (frontier.length > 0) {
		const next: string[] = [];
		for (const name of frontier) {
			if (seen.has(name) || name === trigger) continue;
			seen.add(name);
			next.push(...edges.filter((edge) => edge.from === name).map((edge) => edge.to));
		}
		frontier = next;
	}
	return [...seen]
		.map((name) => byName.get(name))
		.filter((node): node is WiredNode => node !== undefined && !node.disabled);
}

/** Whether `node` is an InstaMed › Confirm Stored step: the Notification resource's own definition. */
export const isConfirmStored = (node: WiredNode): boolean => isConfirmStoredStep(node);

/** The part of n8n's webhook context the wiring is read from. */
export interface WiringSource {
	getChildNodes(
		nodeName: string,
		options?: { includeNodeParameters?: boolean },
	): NodeTypeAndVersion[];
	/**
	 * n8n-core's NodeExecutionContext.getConnections(destination, type): the connections into a
	 * node, each with the source node and output index (docs/n8n-internals.md, "The workflow's
	 * wiring, from a node's context"). It is not in n8n-workflow's interfaces, so it is optional.
	 */
	getConnections?: (
		destination: { name: string },
		type: 'main',
	) => Array<Array<{ node: string; index: number }> | null>;
}

export interface Wiring {
	edges: Edge[];
	nodes: WiredNode[];
}

/** Every node after the trigger and every connection into them; null where n8n cannot tell. */
export function readWiring(source: WiringSource, trigger: string): Wiring | null {
	if (typeof source.getConnections !== 'function') return null;
	const nodes = source.getChildNodes(trigger, { includeNodeParameters: true });
	const edges: Edge[] = [];
	for (const node of nodes) {
		for (const input of source.getConnections({ name: node.name }, 'main')) {
			for (const connection of input ?? []) {
				edges.push({ from: connection.node, fromOutput: connection.index, to: node.name });
			}
		}
	}
	return { edges, nodes };
}
