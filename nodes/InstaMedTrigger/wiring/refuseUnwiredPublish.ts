import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';

import { toRespondMode } from '../answer/respondMode';
import { firstUnwiredEvent } from './checkWiring';
import { readWiring, type WiringSource } from './workflowWiring';

/**
 * Refuses to publish a workflow in which a selected event could not be stored (and, answering on
 * confirmation, confirmed), with the reason the trigger would answer that event's messages, so the
 * editor says it before InstaMed's first delivery does. Test listeners are not refused: a test
 * run may stop at the trigger to show the item.
 */
export function refuseUnwiredPublish(context: IHookFunctions): void {
	if (context.getMode() === 'manual') return;
	const trigger = context.getNode();
	const problem = firstUnwiredEvent(
		readWiring(context as unknown as WiringSource, trigger.name),
		trigger.name,
		context.getNodeParameter('events', []) as string[],
		toRespondMode(context.getNodeParameter('respond', 'whenConfirmed')),
	);
	if (problem === undefined) return;
	throw new NodeOperationError(trigger, problem, {
		description:
			"Connect each selected event's output to the step that stores the message, followed by an InstaMed › Confirm Stored step (or answer When Last Node Finishes), or unselect the event.",
	});
}
