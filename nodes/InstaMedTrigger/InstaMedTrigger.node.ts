import {
	NodeOperationError,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { ANSWERED_BY, guardAnswer } from './answer/answerGuard';
import { toRespondMode } from './answer/respondMode';
import { ANSWER_HEADER } from '../shared/instaMedAnswer';
import { triggerProperties } from './description';
import { parseBody } from './format/parseBody';
import { checkRequiredFields } from './format/requiredFields';
import { checkCaller } from './guards/checkCaller';
import { credentialTests } from './credentialTest/credentialTests';
import { authenticateRequest } from './guards/authenticateRequest';
import { BearerTokenValidator } from './guards/bearerToken';
import { buildItem } from './item/buildItem';
import { outputOf, outputsExpression, routeToOutput } from './outputs';
import { rejectionFor, sendPlainAnswer, unexpectedErrorOrigin } from './rejection';
import { readRequestBody, type TriggerRequest } from './requestBody';
import { classify } from './routing/classify';
import { readTriggerParameters } from './settings';
import { instaMedWebhook } from './webhookDescription';
import { checkWiring } from './wiring/checkWiring';
import { n8nTooOld, NEEDS_NEWER_N8N } from './n8n/minimumN8n';
import { refuseUnwiredPublish } from './wiring/refuseUnwiredPublish';
import { readWiring, type WiringSource } from './wiring/workflowWiring';

const SAMPLE_HELP =
	'<b>While building</b>: InstaMed cannot be pointed at the Test URL, so click Execute step (the trigger then listens on the Test URL) and post a sample there yourself, with the Basic username and password if you chose Basic:<br /><code>curl -u USER:PASSWORD -H \'Content-Type: application/json\' --data-binary \'{"PaymentTransactionID":"T1","TransactionAction":"Sale","TransactionType":"CreditCard","CurrentTransactionStatusCode":"C","Amount":"1.00"}\' TEST_URL</code><br />or every event in every format with the sample sender of the n8n-nodes-instamed repository: <code>npm run send -- --trigger all --format json --url TEST_URL --user USER --password PASSWORD</code>.<br /><br /><b>In production</b>: publish the workflow; InstaMed\'s notifications to the Production URL then show in the <a data-key="executions">executions list</a>.';

// The process's one token validator, the package's only module state: its caches and per-service
// call budgets must outlive each request (and n8n may make a node instance per workflow).
const bearerTokenValidator = new BearerTokenValidator();

export class InstaMedTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'InstaMed Trigger',
		name: 'instaMedTrigger',
		icon: { light: 'file:instamed.svg', dark: 'file:instamed.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["path"]}}',
		description:
			'Receives InstaMed payment and payment plan notifications (JSON, XML or NVP), one output per event',
		defaults: { name: 'InstaMed Trigger' },
		// InstaMed posts only to the URL its team configured, so the test URL gets a sample from you.
		triggerPanel: {
			header: 'Send a sample InstaMed notification to the Test URL',
			executionsHelp: {
				inactive: SAMPLE_HELP,
				active: SAMPLE_HELP,
			},
			activationHint:
				'Publish the workflow and give InstaMed the Production URL: its notifications then run the workflow without this button.',
		},
		inputs: [],
		outputs: outputsExpression,
		credentials: [
			{
				name: 'instaMedBasicApi',
				required: true,
				testedBy: 'instaMedBasicApiTest',
				displayOptions: { show: { authentication: ['instaMedBasicApi'] } },
			},
			{
				name: 'instaMedOAuth2Api',
				required: true,
				testedBy: 'instaMedOAuth2ApiTest',
				displayOptions: { show: { authentication: ['instaMedOAuth2Api'] } },
			},
			{
				name: 'instaMedProxySecretApi',
				required: true,
				testedBy: 'instaMedProxySecretApiTest',
				displayOptions: {
					show: { clientCertificate: ['proxyHeaders'], requireProxySecret: [true] },
				},
			},
		],
		webhooks: [instaMedWebhook()],
		properties: triggerProperties,
	};

	methods = { credentialTest: credentialTests };

	// InstaMed's webhook URL is set by its implementation team; there is nothing to register remotely.
	// n8n asks checkExists on every publish (and start-up), where a workflow that could not store
	// a selected event is refused.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (n8nTooOld(this)) throw new NodeOperationError(this.getNode(), NEEDS_NEWER_N8N);
				refuseUnwiredPublish(this);
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// First, before anything can answer: every response to this request passes the guard.
		const res = guardAnswer(
			this.getResponseObject(),
			toRespondMode(this.getNodeParameter('respond', 'whenConfirmed')),
			(message) => this.logger.warn(message),
		);
		if (n8nTooOld(this)) {
			sendPlainAnswer(res, 500, NEEDS_NEWER_N8N, { [ANSWER_HEADER]: ANSWERED_BY.trigger });
			return { noWebhookResponse: true };
		}
		const req = this.getRequestObject() as TriggerRequest;
		try {
			const settings = readTriggerParameters(this);
			await checkCaller(this, req, settings);
			await authenticateRequest(
				this,
				req.headers,
				settings.authentication,
				bearerTokenValidator,
			);

			const body = await readRequestBody(req, settings.maxBodyBytes);
			const contentType = req.headers['content-type'];
			const message = parseBody(
				typeof contentType === 'string' ? contentType : undefined,
				body,
				settings.format,
			);
			checkRequiredFields(message, settings.requiredFields);
			const event = classify(message, settings.rules);
			if (event !== 'unrecognized' && !settings.events.includes(event)) {
				sendPlainAnswer(res, 200, 'OK: event not selected in this workflow', {
					[ANSWER_HEADER]: ANSWERED_BY.notSelected,
				});
				return { noWebhookResponse: true };
			}
			// A test run from the editor may stop at the trigger to show the item; its answer is
			// still guarded.
			if (this.getMode() !== 'manual') {
				const trigger = this.getNode().name;
				const wiring = readWiring(this as unknown as WiringSource, trigger);
				checkWiring(wiring, trigger, outputOf(event, settings.events), settings.respond);
			}

			const item = buildItem({ message, event, body, req, options: settings });
			return { workflowData: routeToOutput({ json: item }, event, settings.events) };
		} catch (error) {
			// Never throw from here: n8n would answer 500 and record an execution for a refused call.
			const rejection = rejectionFor(error);
			this.logger.warn(
				`InstaMed Trigger refused a request: ${rejection.status} ${rejection.reason}`,
				unexpectedErrorOrigin(error),
			);
			sendPlainAnswer(res, rejection.status, rejection.reason, {
				...rejection.headers,
				[ANSWER_HEADER]: ANSWERED_BY.trigger,
			});
			return { noWebhookResponse: true };
		}
	}
}
