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
 * n8n 2.40 evaluates a description field written as an expression (`={{$parameter["path"]}}`) in
 * a V8 isolate on every request, several milliseconds each. n8n-workflow 2.x offers
 * `webhookDescriptionFields` with `fromParameter` / `fromFunction`: the same template for the
 * editor plus a plain resolver n8n calls instead, when the node's parameters hold no expression
 * (n8n-workflow `webhook-description-fields.js`, `resolveWebhookDescriptionField`; used by
 * n8n-core `webhook-helper-functions.js`, n8n `webhooks/webhook.service.js` and
 * `webhooks/webhook-execution-context.js`, as installed in ~/.cache/n8n-nodes-instamed by the
 * harness). n8n still acquires an isolate for the webhook phase of every trigger other than its
 * own Webhook node (`webhookPhaseNeedsIsolate` in n8n's `webhooks/live-webhooks.js`), and still
 * evaluates a version 1 node's `options.binaryData` there (`parseRequestBody` in
 * `webhooks/webhook-helpers.js`); the resolvers remove the rest.
 *
 * An older n8n-workflow has no such helpers: the same fields are then plain expressions.
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
