import type { EventKey } from '../events';
import { lookupField, type Fields } from '../format/fields';
import type { Condition, Rule } from './rules';

const normalise = (value: string): string => value.trim().toLowerCase();

function conditionHolds(value: string | null | undefined, condition: Condition): boolean {
	// An absent field is "none of" any list, and satisfies no other condition.
	if (value === null || value === undefined) {
		return typeof condition === 'object' && 'notIn' in condition;
	}
	const actual = normalise(value);
	if (condition === '*') return actual !== '';
	if (Array.isArray(condition)) return condition.some((item) => normalise(item) === actual);
	if ('contains' in condition) return actual.includes(normalise(condition.contains));
	return !condition.notIn.some((item) => normalise(item) === actual);
}

/** The trigger of the first rule whose conditions all hold, else 'unrecognized'. */
export function classify(fields: Fields, rules: Rule[]): EventKey {
	const match = rules.find((rule) =>
		Object.entries(rule.when).every(([field, condition]) =>
			conditionHolds(lookupField(fields, field), condition),
		),
	);
	return match?.trigger ?? 'unrecognized';
}
