import {
	fromFunction,
	fromParameter,
	webhookDescriptionFields,
	type IWebhookDescription,
	type INodeParameters,
} from 'n8n-workflow';

/**
 * The trigger's one webhook. Its path and response mode come from the node's parameters.
 *
 * Written as expressions, n8n would evaluate both in its expression engine on every request;
 * n8n-workflow's `webhookDescriptionFields` gives n8n a plain resolver instead, and an older
 * n8n-workflow without it gets the same fields as plain expressions. See docs/n8n-internals.md
 * ("Webhook description fields resolved without the expression engine").
 */

/** The response mode for the trigger's `respond` parameter; self-contained (n8n inlines its source). */
const responseModeOf = (parameters: INodeParameters) =>
	parameters.respond === 'whenLastNodeFinishes' ? 'lastNode' : 'responseNode';

const LEGACY_FIELDS = {
	path: '={{$parameter["path"]}}',
	responseMode:
		'={{$parameter["respond"] === "whenLastNodeFinishes" ? "lastNode" : "responseNode"}}',
};

/** Whether this n8n-workflow resolves description fields without the expression engine. */
export function nativeFieldsAvailable(): boolean {
	return (
		typeof webhookDescriptionFields === 'function' &&
		typeof fromParameter === 'function' &&
		typeof fromFunction === 'function'
	);
}

function parameterFields(): Pick<IWebhookDescription, 'path' | 'responseMode'> {
	if (!nativeFieldsAvailable()) return LEGACY_FIELDS;
	return webhookDescriptionFields({
		path: fromParameter('path'),
		responseMode: fromFunction(responseModeOf),
	});
}

export function instaMedWebhook(): IWebhookDescription {
	return {
		name: 'default',
		httpMethod: 'POST',
		// By default a Confirm Stored step answers from inside the run (n8n's responseNode mode);
		// the answer guard keeps every other 2xx from reaching InstaMed. In lastNode mode the
		// answer has no body, so no patient data is echoed.
		responseData: 'noData',
		// The URL is handed to InstaMed's implementation team, so keep it short: /webhook/<path>.
		isFullPath: true,
		...parameterFields(),
	};
}
