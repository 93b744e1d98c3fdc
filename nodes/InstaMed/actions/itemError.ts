import {
	NodeError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

/** An item that failed with something to show: on Continue On Fail its error item carries it. */
export class FailedWithOutput extends NodeOperationError {
	constructor(
		node: INode,
		message: string,
		readonly output: IDataObject,
		options: { itemIndex: number; description: string },
	) {
		super(node, message, options);
	}
}

/** With Continue On Fail an error item; otherwise the error, as an n8n error tied to the item. */
export function failedItem(
	node: INode,
	continueOnFail: boolean,
	error: Error,
	itemIndex: number,
): INodeExecutionData {
	if (!continueOnFail) {
		throw error instanceof NodeError ? error : new NodeOperationError(node, error, { itemIndex });
	}
	const output = error instanceof FailedWithOutput ? error.output : {};
	return { json: { error: error.message, ...output }, pairedItem: { item: itemIndex } };
}
