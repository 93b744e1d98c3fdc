import type { INodeParameters } from 'n8n-workflow';

/**
 * The Notification steps' identity, one home: their node type, resource and operation values,
 * and the header their answers carry besides the shared answer marks (shared/instaMedAnswer.ts).
 * The InstaMed Trigger's wiring check recognises a Confirm Stored step by isConfirmStoredStep,
 * so a rename here changes both together.
 */

/** The InstaMed node's name (its description's `name`). */
export const INSTAMED_NODE_NAME = 'instaMed';
/** Node type names end in this whatever the package prefix (n8n-nodes-instamed. or CUSTOM.). */
export const INSTAMED_NODE_TYPE_SUFFIX = `.${INSTAMED_NODE_NAME}`;
export const NOTIFICATION_RESOURCE = 'notification';
export const CONFIRM_STORED_OPERATION = 'confirmStored';
export const REFUSE_OPERATION = 'refuse';
export type NotificationOperation = typeof CONFIRM_STORED_OPERATION | typeof REFUSE_OPERATION;

/** Whether a workflow step is an InstaMed › Confirm Stored step (operation left at its default included). */
export function isConfirmStoredStep(step: { type: string; parameters?: INodeParameters }): boolean {
	const parameters = step.parameters ?? {};
	return (
		step.type.endsWith(INSTAMED_NODE_TYPE_SUFFIX) &&
		parameters.resource === NOTIFICATION_RESOURCE &&
		(parameters.operation ?? CONFIRM_STORED_OPERATION) === CONFIRM_STORED_OPERATION
	);
}

/** n8n's execution id, so an answer InstaMed logged can be found among n8n's executions. */
export const EXECUTION_HEADER = 'x-instamed-execution';
