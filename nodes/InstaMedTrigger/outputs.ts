import type { INodeExecutionData } from 'n8n-workflow';

import { EVENTS, type EventId } from './events';

/**
 * One output per selected event in catalogue order, then Unrecognized. n8n evaluates `outputs` as
 * an expression in the editor, so this function is inlined there as source text: it may use
 * nothing but its arguments.
 */
export function configuredOutputs(
	parameters: { events?: string[] },
	catalogue: ReadonlyArray<{ id: string; name: string }>,
) {
	const selected = parameters.events ?? catalogue.map((event) => event.id);
	return catalogue
		.filter((event) => event.id === 'unrecognized' || selected.includes(event.id))
		.map((event) => ({ type: 'main', displayName: event.name }));
}

export const outputsExpression: `={{${string}}}` = `={{(${configuredOutputs})($parameter, ${JSON.stringify(
	EVENTS.map(({ id, name }) => ({ id, name })),
)})}}`;

/** The output an event leaves by: its index among the outputs the editor shows, and its name. */
export function outputOf(
	event: EventId,
	selectedEvents: string[],
): { index: number; name: string } {
	const name = EVENTS.find((candidate) => candidate.id === event)?.name ?? event;
	const index = configuredOutputs({ events: selectedEvents }, EVENTS).findIndex(
		(output) => output.displayName === name,
	);
	return { index, name };
}

/** One array per output (the same outputs the editor shows), the item on its event's output. */
export function routeToOutput(
	item: INodeExecutionData,
	event: EventId,
	selectedEvents: string[],
): INodeExecutionData[][] {
	const { index } = outputOf(event, selectedEvents);
	return configuredOutputs({ events: selectedEvents }, EVENTS).map((_, output) =>
		output === index ? [item] : [],
	);
}
