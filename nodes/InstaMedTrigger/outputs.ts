import type { INodeExecutionData } from 'n8n-workflow';

import { EVENTS, type EventKey } from './events';
import { WebhookRejection } from './rejection';

/**
 * One output per selected event in catalogue order, then Unrecognized. n8n evaluates `outputs` as
 * an expression in the editor, so this function is inlined there as source text: it may use
 * nothing but its arguments.
 */
export function configuredOutputs(
	parameters: { events?: string[] },
	catalogue: ReadonlyArray<{ key: string; name: string }>,
) {
	const selected = parameters.events ?? catalogue.map((event) => event.key);
	return catalogue
		.filter((event) => event.key === 'unrecognized' || selected.includes(event.key))
		.map((event) => ({ type: 'main', displayName: event.name }));
}

export const outputsExpression: `={{${string}}}` = `={{(${configuredOutputs})($parameter, ${JSON.stringify(
	EVENTS.map(({ key, name }) => ({ key, name })),
)})}}`;

/** One array per output (the same outputs the editor shows), the item on its event's output. */
export function routeToOutput(
	item: INodeExecutionData,
	event: EventKey,
	selectedEvents: string[],
): INodeExecutionData[][] {
	const eventName = EVENTS.find((candidate) => candidate.key === event)?.name;
	return configuredOutputs({ events: selectedEvents }, EVENTS).map((output) =>
		output.displayName === eventName ? [item] : [],
	);
}

/**
 * In production a run that ends at the trigger answers 200 although nothing stored the message,
 * so a trigger with no step after it refuses instead and InstaMed retries.
 */
export function checkStepsConnected(mode: string, connectedSteps: number): void {
	if (mode !== 'manual' && connectedSteps === 0) {
		throw new WebhookRejection(503, 'Not stored: no workflow step is connected to the trigger');
	}
}
