import { eventByKey, isEventKey, type EventKey } from '../events';

/**
 * A list of values: the field equals one of them. `'*'`: present and not empty. `contains`: holds
 * that text. `notIn`: absent or none of them. All comparisons trim and ignore case.
 */
export type Condition = string[] | '*' | { contains: string } | { notIn: string[] };

export interface Rule {
	trigger: EventKey;
	/** Field name to condition; every condition must hold. */
	when: Record<string, Condition>;
}

const knownStatusCodes = ['A', 'C', 'O', 'D', 'V', 'X', 'S', 'SE', 'RI', 'CB'];

/** Inferred from the status codes InstaMed documents; first match wins. */
export const BUILT_IN_RULES: Rule[] = [
	{
		trigger: 'paymentPlanCreated',
		when: { PaymentPlanTransactionType: ['Create', 'Created', 'Add', 'New'] },
	},
	{ trigger: 'paymentPlanUpdated', when: { PaymentPlanTransactionType: '*' } },
	{ trigger: 'paymentDeclined', when: { CurrentTransactionStatusCode: ['D'] } },
	{ trigger: 'paymentVoided', when: { CurrentTransactionStatusCode: ['V', 'X'] } },
	{ trigger: 'paymentReturned', when: { CurrentTransactionStatusCode: ['RI'] } },
	{ trigger: 'paymentChargeback', when: { CurrentTransactionStatusCode: ['CB'] } },
	{ trigger: 'paymentSettlement', when: { CurrentTransactionStatusCode: ['S'] } },
	{ trigger: 'paymentError', when: { CurrentTransactionStatusCode: ['SE'] } },
	{ trigger: 'paymentRefunded', when: { TransactionAction: ['Refund'] } },
	{
		trigger: 'paymentApproved',
		when: { TransactionAction: ['Sale'], CurrentTransactionStatusCode: ['C', 'A', 'O'] },
	},
	{
		trigger: 'paymentError',
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

function ruleProblem(rule: unknown): string | undefined {
	if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
		return 'must be an object with "trigger" and "when"';
	}
	const extraKeys = Object.keys(rule).filter((key) => key !== 'trigger' && key !== 'when');
	if (extraKeys.length > 0) return `has unknown key "${extraKeys[0]}"`;
	const { trigger, when } = rule as Record<string, unknown>;
	if (!isEventKey(trigger)) return `has unknown trigger ${JSON.stringify(trigger)}`;
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
	return parsed as Rule[];
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
			return `${index + 1}. ${eventByKey(rule.trigger).name}: ${when}`;
		})
		.join('\n');
}
