import {
	NodeError,
	NodeOperationError,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { databaseGuard, noGuard } from './guard';
import { RepeatRefused, performOperation, type Operation, type OperationInput } from './operation';
import { connectApiError, describeAlreadySent, describeOutcome } from './output';
import { amountToCents } from './transport/amount';
import { sendToConnect } from './transport/send';
import type { ConnectAccount, HttpResponse, Transport } from './transport/types';

export const CREDENTIAL_NAME = 'instaMedConnectApi';

export async function connectAccount(ctx: IExecuteFunctions): Promise<ConnectAccount> {
	const credentials = await ctx.getCredentials(CREDENTIAL_NAME);
	const text = (name: string) => String(credentials[name] ?? '');
	return {
		baseUrl: text('baseUrl'),
		apiKey: text('apiKey'),
		apiSecret: text('apiSecret'),
		merchantId: text('merchantId'),
		storeId: text('storeId'),
		terminalId: text('terminalId'),
		accountId: text('accountId'),
		password: text('password'),
	};
}

export function readOperationInput(ctx: IExecuteFunctions, itemIndex: number): OperationInput {
	const operation = ctx.getNodeParameter('operation', itemIndex) as Operation;
	const transactionId = String(ctx.getNodeParameter('transactionId', itemIndex, '')).trim();
	if (!transactionId) {
		throw new NodeOperationError(ctx.getNode(), 'Transaction ID is empty', {
			itemIndex,
			description:
				'Map the InstaMed transaction ID of the payment, such as {{ $json.transactionId }}',
		});
	}
	const amountCents =
		operation === 'void' ? null : amountToCents(ctx.getNodeParameter('amount', itemIndex));
	return { operation, transactionId, amountCents };
}

/** One input item: guard, send, and the output item (or the error InstaMed's answer calls for). */
export async function processItem(
	ctx: IExecuteFunctions,
	account: ConnectAccount,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const input = readOperationInput(ctx, itemIndex);
	const transport = ctx.getNodeParameter('options.transport', itemIndex, 'rest') as Transport;
	const guard = ctx.getNodeParameter('refuseRepeats', itemIndex, true)
		? databaseGuard(ctx.helpers)
		: noGuard;
	const http = async (options: IHttpRequestOptions) =>
		(await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_NAME,
			options,
		)) as HttpResponse;
	const repeatIsDone =
		ctx.getNodeParameter('options.onRepeat', itemIndex, 'fail') === 'alreadySent';
	const pairedItem = { item: itemIndex };
	const attempts = await performOperation(
		async (request) => await sendToConnect(http, transport, account, request),
		guard,
		input,
	).catch((error: Error) => {
		if (repeatIsDone && error instanceof RepeatRefused) return error;
		throw error;
	});
	if (attempts instanceof RepeatRefused)
		return { json: describeAlreadySent(input, attempts), pairedItem };
	const last = attempts[attempts.length - 1];
	if (last.answer.failure) {
		throw connectApiError(ctx.getNode(), last.answer.failure, last.request.action, itemIndex);
	}
	const outcome = describeOutcome(input, attempts, last.answer.result);
	if (outcome.approved) return { json: outcome.json, pairedItem };
	if (ctx.continueOnFail())
		return { json: { error: outcome.message, ...outcome.json }, pairedItem };
	throw new NodeOperationError(ctx.getNode(), outcome.message, {
		itemIndex,
		description: outcome.description,
	});
}

/** With Continue On Fail an error item; otherwise the error, as an n8n error tied to the item. */
export function failedItem(
	ctx: IExecuteFunctions,
	error: Error,
	itemIndex: number,
): INodeExecutionData {
	if (!ctx.continueOnFail()) {
		throw error instanceof NodeError
			? error
			: new NodeOperationError(ctx.getNode(), error, { itemIndex });
	}
	return { json: { error: error.message }, pairedItem: { item: itemIndex } };
}
