import type { RespondMode } from '../answer/respondMode';
import { EVENTS } from '../events';
import { outputOf } from '../outputs';
import { WebhookRejection } from '../rejection';
import { isConfirmStored, nodesReached, type Wiring } from './workflowWiring';

/**
 * Why a message leaving by `output` could not be stored, or undefined: n8n would answer such a run
 * 200 with nothing stored. In `whenConfirmed` mode the output must also lead to a Confirm Stored
 * step, or InstaMed could never get its 200. Without wiring (an n8n that does not tell) the answer
 * guard still stops a 2xx that nothing confirmed.
 */
export function wiringProblem(
	wiring: Wiring | null,
	trigger: string,
	output: { index: number; name: string },
	respond: RespondMode,
): string | undefined {
	if (wiring === null) return undefined;
	const reached = nodesReached(trigger, output.index, wiring.edges, wiring.nodes);
	if (reached.length === 0) {
		return `Not stored: the trigger's ${output.name} output is not connected to any step`;
	}
	if (respond === 'whenConfirmed' && !reached.some(isConfirmStored)) {
		return `Not stored: no InstaMed Confirm Stored step follows the trigger's ${output.name} output`;
	}
	return undefined;
}

/** Refuses (503, before any run) a message whose output leads nowhere that could store it. */
export function checkWiring(
	wiring: Wiring | null,
	trigger: string,
	output: { index: number; name: string },
	respond: RespondMode,
): void {
	const problem = wiringProblem(wiring, trigger, output, respond);
	if (problem !== undefined) throw new WebhookRejection(503, problem);
}

/**
 * The wiring problem of the first selected event, for publishing. Unrecognized is left to the
 * answer: a workflow need not expect messages no rule matches.
 */
export function firstUnwiredEvent(
	wiring: Wiring | null,
	trigger: string,
	selectedEvents: string[],
	respond: RespondMode,
): string | undefined {
	for (const event of EVENTS) {
		if (!selectedEvents.includes(event.id)) continue;
		const problem = wiringProblem(wiring, trigger, outputOf(event.id, selectedEvents), respond);
		if (problem !== undefined) return problem;
	}
	return undefined;
}
