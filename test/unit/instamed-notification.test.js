// The InstaMed node's Notification steps with a stand-in n8n context: what they answer through
// sendResponse, which items count as "not stored", and what they pass on.
const { InstaMed } = require('../../nodes/InstaMed/InstaMed.node.ts');
const { instaMedContext } = require('./instamed-fakes');
const {
	itemFailure,
	upstreamFailures,
} = require('../../nodes/InstaMed/actions/notification/failures.ts');
const {
	reasonText,
	refusalStatus,
} = require('../../nodes/InstaMed/actions/notification/answers.ts');

const notificationContext = ({
	operation,
	parameters = {},
	parents = ['InstaMed Trigger', 'Store'],
	...rest
}) =>
	instaMedContext({
		parameters: { resource: 'notification', operation, ...parameters },
		parents,
		...rest,
	});

const run = (context) => new InstaMed().execute.call(context);
const stored = [{ json: { success: true } }];

describe('Confirm Stored', () => {
	test('answers 200 with the mark and no body, and passes items on paired', async () => {
		const { context, sent } = notificationContext({ operation: 'confirmStored', items: stored });
		const output = await run(context);
		expect(sent).toEqual([
			{
				statusCode: 200,
				headers: { 'x-instamed-answer': 'confirmed', 'x-instamed-execution': '4711' },
				body: '',
			},
		]);
		expect(output).toEqual([[{ json: { success: true }, pairedItem: { item: 0 } }]]);
	});

	test.each([
		[
			'Continue On Fail item',
			{ json: { error: 'Connection terminated unexpectedly' } },
			'Connection terminated',
		],
		[
			'Postgres error output item',
			{
				json: {
					eventKey: 'k',
					message: 'relation "x" does not exist',
					error: { message: 'relation "x" does not exist' },
				},
			},
			'relation "x"',
		],
		[
			'item with an error object',
			{ json: {}, error: { message: 'insert failed' } },
			'insert failed',
		],
	])('refuses a %s with 500 and fails', async (_name, item, reason) => {
		const { context, sent } = notificationContext({ operation: 'confirmStored', items: [item] });
		await expect(run(context)).rejects.toThrow(/^Not confirmed: /);
		expect(sent).toHaveLength(1);
		expect(sent[0].statusCode).toBe(500);
		expect(sent[0].body).toContain(reason);
	});

	// n8n's rule (handleNodeErrorOutput): json.error must be truthy. A stored row with a column
	// named error holding false, '' or 0 is a stored row, so InstaMed gets 200.
	test.each([false, '', 0, null])(
		'confirms a stored row whose error column holds %p',
		async (value) => {
			const row = { json: { id: 7, eventKey: 'k', error: value } };
			const { context, sent } = notificationContext({ operation: 'confirmStored', items: [row] });
			const output = await run(context);
			expect(sent).toHaveLength(1);
			expect(sent[0]).toMatchObject({
				statusCode: 200,
				headers: { 'x-instamed-answer': 'confirmed' },
			});
			expect(output).toEqual([[{ ...row, pairedItem: { item: 0 } }]]);
		},
	);

	test.each([true, 'declined', 1, { code: 'x' }])(
		"still refuses a row whose error column holds %p (truthy: an error item by n8n's rule)",
		async (value) => {
			const { context, sent } = notificationContext({
				operation: 'confirmStored',
				items: [{ json: { id: 7, error: value } }],
			});
			await expect(run(context)).rejects.toThrow(/^Not confirmed: /);
			expect(sent[0].statusCode).toBe(500);
		},
	);

	test('refuses when a step before it failed on Continue On Fail and passed its input on', async () => {
		const { context, sent } = notificationContext({
			operation: 'confirmStored',
			items: [{ json: { eventKey: 'k', fields: {} } }],
			runData: {
				'InstaMed Trigger': [{}],
				Store: [{ error: { message: 'Table instamed_events not found' } }],
			},
		});
		await expect(run(context)).rejects.toThrow(
			'Not confirmed: Store: Table instamed_events not found',
		);
		expect(sent[0]).toMatchObject({
			statusCode: 500,
			body: 'Not stored: Store: Table instamed_events not found',
		});
	});
});

describe('Refuse', () => {
	test('answers its status with the reason as body and reason header, then fails the run', async () => {
		const { context, sent } = notificationContext({
			operation: 'refuse',
			items: [{ json: { message: 'x' } }],
			parameters: { statusCode: 503, reason: 'database unreachable\nretry' },
		});
		await expect(run(context)).rejects.toThrow(
			'Not stored, InstaMed answered 503: database unreachable\nretry',
		);
		expect(sent).toEqual([
			{
				statusCode: 503,
				headers: {
					'x-instamed-answer': 'refused',
					'x-instamed-execution': '4711',
					'x-instamed-reason': 'database unreachable retry',
					'content-type': 'text/plain; charset=utf-8',
				},
				body: 'database unreachable retry',
			},
		]);
	});

	test('a status that is not 4xx/5xx: 500 saying so, and the step fails', async () => {
		const { context, sent } = notificationContext({
			operation: 'refuse',
			items: stored,
			parameters: { statusCode: 200, reason: 'x' },
		});
		await expect(run(context)).rejects.toThrow(/Status Code must be 400 to 599, not 200/);
		expect(sent[0].statusCode).toBe(500);
	});
});

test('helpers: error item shapes, upstream failures, status and reason values', () => {
	expect(itemFailure({ json: { success: true } })).toBeUndefined();
	expect(itemFailure({ json: { error: null, amount: '1.00' } })).toBeUndefined();
	expect(itemFailure({ json: { error: { code: '42P01' }, message: 'gone' } })).toBe('gone');
	expect(upstreamFailures(['A', 'B'], { A: [{}], B: [{}, { error: {} }] })).toEqual(['B: failed']);
	expect([399, 400, 503, 599, 600, '503', 5.5, 'x'].map(refusalStatus)).toEqual([
		undefined,
		400,
		503,
		599,
		undefined,
		503,
		undefined,
		undefined,
	]);
	expect([undefined, '', '  ', { message: 'm' }, 42, 'text'].map(reasonText)).toEqual([
		'Not stored',
		'Not stored',
		'Not stored',
		'm',
		'42',
		'text',
	]);
});

// The trigger recognises Confirm Stored by the Notification resource's own identity: a step made
// from what the node's description offers is recognised, so renaming one breaks this test.
test("the trigger's wiring check recognises a Confirm Stored step as the node describes it", () => {
	const { isConfirmStored } = require('../../nodes/InstaMedTrigger/wiring/workflowWiring.ts');
	const { description } = new InstaMed();
	const options = (name) =>
		description.properties
			.filter((property) => property.name === name)
			.flatMap((property) => property.options.map((option) => option.value));
	const resource = options('resource').find((value) => value !== 'transaction');
	const [confirm, refuseValue] = description.properties
		.find(
			(property) =>
				property.name === 'operation' && property.displayOptions.show.resource[0] === resource,
		)
		.options.map((option) => option.value);
	const step = (parameters) => ({
		name: 'step',
		type: `n8n-nodes-instamed.${description.name}`,
		disabled: false,
		parameters,
	});
	expect(isConfirmStored(step({ resource, operation: confirm }))).toBe(true);
	expect(isConfirmStored(step({ resource }))).toBe(true); // the operation's default
	expect(isConfirmStored({ ...step({ resource }), type: `CUSTOM.${description.name}` })).toBe(true);
	expect(isConfirmStored(step({ resource, operation: refuseValue }))).toBe(false);
	expect(isConfirmStored(step({ resource: 'transaction', operation: 'refund' }))).toBe(false);
	expect(isConfirmStored({ ...step({ resource, operation: confirm }), type: 'other.node' })).toBe(
		false,
	);
});
