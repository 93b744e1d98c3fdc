import { eventById, isEventId, type EventId } from '../events';

/**
 * A list of values: the field equals one of them. `'*'`: present and not empty. `contains`: holds
 * that text. `notIn`: absent or none of them. All comparisons trim and ignore case.
 */
export type Condition = string[] | '*' | { contains: string } | { notIn: string[] };

export interface Rule {
	/** The event a matching message is (its output). */
	event: EventId;
	/** Field name to condition; every condition must hold. */
	when: Record<string, Condition>;
}

const knownStatusCodes = ['A', 'C', 'O', 'D', 'V', 'X', 'S', 'SE', 'RI', 'CB'];

/** Inferred from the status codes InstaMed documents; first match wins. */
export const BUILT_IN_RULES: Rule[] = [
	{
		event: 'paymentPlanCreated',
		when: { PaymentPlanTransactionType: ['Create', 'Created', 'Add', 'New'] },
	},
	{ event: 'paymentPlanUpdated', when: { PaymentPlanTransactionType: '*' } },
	{ event: 'paymentDeclined', when: { CurrentTransactionStatusCode: ['D'] } },
	{ event: 'paymentVoided', when: { CurrentTransactionStatusCode: ['V', 'X'] } },
	{ event: 'paymentReturned', when: { CurrentTransactionStatusCode: ['RI'] } },
	{ event: 'paymentChargeback', when: { CurrentTransactionStatusCode: ['CB'] } },
	{ event: 'paymentSettlement', when: { CurrentTransactionStatusCode: ['S'] } },
	{ event: 'paymentError', when: { CurrentTransactionStatusCode: ['SE'] } },
	{ event: 'paymentRefunded', when: { TransactionAction: ['Refund'] } },
	{
		event: 'paymentApproved',
		when: { TransactionAction: ['Sale'], CurrentTransactionStatusCode: ['C', 'A', 'O'] },
	},
	{
		event: 'paymentError',
		when: {
			CurrentTransactionStatusCode: { notIn: knownStatusCodes },
			CurrentTransactionStatusDescription: { contains: 'error' },
		},
	},
];

const isStringList = (value: unknown): value is string[] =>
	Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string');

function isCondition(value: unknown): value is Condition {
	if (value === '*' || isStringList(value)) return true;
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const keys = Object.keys(value);
	if (keys.length !== 1) return false;
	const operand = (value as Record<string, unknown>)[keys[0]];
	if (keys[0] === 'contains') return typeof operand === 'string' && operand.trim() !== '';
	return keys[0] === 'notIn' && isStringList(operand);
}

// Custom rules name their event under "event"; "trigger" is what the first version called it
// (a rule's key, not InstaMed's trigger name) and stays accepted so saved workflows keep working.
const EVENT_KEYS = ['event', 'trigger'];

function ruleProblem(rule: unknown): string | undefined {
	if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
		return 'must be an object with "event" and "when"';
	}
	const keys = Object.keys(rule);
	const extraKeys = keys.filter((key) => !EVENT_KEYS.includes(key) && key !== 'when');
	if (extraKeys.length > 0) return `has unknown key "${extraKeys[0]}"`;
	const eventKeys = keys.filter((key) => EVENT_KEYS.includes(key));
	if (eventKeys.length !== 1) return 'must name its event once, as "event"';
	const event = (rule as Record<string, unknown>)[eventKeys[0]];
	const { when } = rule as Record<string, unknown>;
	if (!isEventId(event)) return `has unknown event ${JSON.stringify(event)}`;
	if (typeof when !== 'object' || when === null || Array.isArray(when)) {
		return '"when" must be an object of field conditions';
	}
	const badField = Object.keys(when).find(
		(field) => !isCondition((when as Record<string, unknown>)[field]),
	);
	if (badField !== undefined) {
		return `has an invalid condition for "${badField}" (use a list of values, "*", {"contains": "text"} or {"notIn": [...]})`;
	}
	return undefined;
}

function toRule(rule: Record<string, unknown>): Rule {
	return { event: (rule.event ?? rule.trigger) as EventId, when: rule.when as Rule['when'] };
}

function parseRulesJson(json: string): { parsed: unknown } | { syntaxError: string } {
	try {
		return { parsed: JSON.parse(json) };
	} catch (error) {
		return { syntaxError: error.message };
	}
}

/** The user's rules JSON, or an Error saying what to fix (a node misconfiguration, not a bad message). */
export function parseRules(json: string): Rule[] {
	const result = parseRulesJson(json);
	if ('syntaxError' in result) {
		throw new Error(`Routing rules are not valid JSON: ${result.syntaxError}`);
	}
	const { parsed } = result;
	if (!Array.isArray(parsed)) throw new Error('Routing rules must be a JSON array of rules');
	parsed.forEach((rule, index) => {
		const problem = ruleProblem(rule);
		if (problem !== undefined) throw new Error(`Routing rule ${index + 1} ${problem}`);
	});
	return parsed.map(toRule);
}

const orList = (values: string[]): string =>
	values.length === 1
		? values[0]
		: `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;

function describeCondition(field: string, condition: Condition): string {
	if (condition === '*') return `${field} is present`;
	if (Array.isArray(condition)) return `${field} is ${orList(condition)}`;
	if ('contains' in condition) return `${field} contains "${condition.contains}"`;
	return `${field} is not ${orList(condition.notIn)}`;
}

/** One line per rule, e.g. "3. Payment Declined: CurrentTransactionStatusCode is D". */
export function describeRules(rules: Rule[]): string {
	return rules
		.map((rule, index) => {
			const conditions = Object.entries(rule.when).map(([field, condition]) =>
				describeCondition(field, condition),
			);
			const when = conditions.length > 0 ? conditions.join(' and ') : 'any message';
			return `${index + 1}. ${eventById(rule.event).name}: ${when}`;
		})
		.join('\n');
}
