import type { EventKey } from '../events';
import { lookupField, type Fields } from '../format/fields';
import type { Condition, Rule } from './rules';

const normalise = (value: string): string => value.trim().toLowerCase();

function conditionHolds(value: string | null | undefined, condition: Condition): boolean {
	const present = value !== null && value !== undefined && value.trim() !== '';
	if (condition === '*') return present;
	const actual = normalise(value ?? '');
	if (Array.isArray(condition)) {
		return (
			value !== null && value !== undefined && condition.some((item) => normalise(item) === actual)
		);
	}
	if ('contains' in condition) return present && actual.includes(normalise(condition.contains));
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
