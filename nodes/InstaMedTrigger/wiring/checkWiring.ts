import type { RespondMode } from '../answer/respondMode';
import { WebhookRejection } from '../rejection';
import { isConfirmStored, nodesReached, type Wiring } from './workflowWiring';

/**
 * Refuses, before any run, a message whose output leads nowhere that could store it: n8n would
 * answer such a run 200 with nothing stored. In `whenConfirmed` mode the output must also lead to
 * a Confirm Stored step, or InstaMed could never get its 200. Without wiring (an n8n that does not
 * tell) the answer guard still stops a 2xx that nothing confirmed.
 */
export function checkWiring(
	wiring: Wiring | null,
	trigger: string,
	output: { index: number; name: string },
	respond: RespondMode,
): void {
	if (wiring === null) return;
	const reached = nodesReached(trigger, output.index, wiring.edges, wiring.nodes);
	if (reached.length === 0) {
		throw new WebhookRejection(
			503,
			`Not stored: the trigger's ${output.name} output is not connected to any step`,
		);
	}
	if (respond === 'whenConfirmed' && !reached.some(isConfirmStored)) {
		throw new WebhookRejection(
			503,
			`Not stored: no InstaMed Confirm Stored step follows the trigger's ${output.name} output`,
		);
	}
}
