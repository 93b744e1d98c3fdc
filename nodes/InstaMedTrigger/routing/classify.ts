import type { EventId } from '../events';
import { lookupField, type Message } from '../format/message';
import { BUILT_IN_RULES, type Condition, type Rule } from './rules';

const normalise = (value: string): string => value.trim().toLowerCase();

/** Whether a condition holds for a field's normalised value; undefined when the field is absent or null. */
type Test = (actual: string | undefined) => boolean;

/** Rules with their condition lists normalised once, and the distinct field names they read. */
interface CompiledRules {
	fieldNames: string[];
	rules: Array<{ event: EventId; tests: Array<{ field: number; test: Test }> }>;
}

// An absent field is "none of" any list, and satisfies no other condition.
function compileCondition(condition: Condition): Test {
	if (condition === '*') return (actual) => actual !== undefined && actual !== '';
	if (Array.isArray(condition)) {
		const values = new Set(condition.map(normalise));
		return (actual) => actual !== undefined && values.has(actual);
	}
	if ('contains' in condition) {
		const part = normalise(condition.contains);
		return (actual) => actual !== undefined && actual.includes(part);
	}
	const values = new Set(condition.notIn.map(normalise));
	return (actual) => actual === undefined || !values.has(actual);
}

function compileRules(rules: Rule[]): CompiledRules {
	const fieldNames: string[] = [];
	const fieldIndex = (name: string) => {
		if (!fieldNames.includes(name)) fieldNames.push(name);
		return fieldNames.indexOf(name);
	};
	return {
		fieldNames,
		rules: rules.map(({ event, when }) => ({
			event,
			tests: Object.entries(when).map(([name, condition]) => ({
				field: fieldIndex(name),
				test: compileCondition(condition),
			})),
		})),
	};
}

// The built-in rules compiled once; custom rules are compiled with each request that parsed them.
const compiledBuiltInRules = compileRules(BUILT_IN_RULES);

function compiledRules(rules: Rule[]): CompiledRules {
	return rules === BUILT_IN_RULES ? compiledBuiltInRules : compileRules(rules);
}

/** The event of the first rule whose conditions all hold, else 'unrecognized'. */
export function classify(message: Message, rules: Rule[]): EventId {
	const compiled = compiledRules(rules);
	// Each field read and normalised once, however many rules test it.
	const actual = compiled.fieldNames.map((name) => {
		const value = lookupField(message, name);
		return value === null || value === undefined ? undefined : normalise(value);
	});
	const match = compiled.rules.find((rule) =>
		rule.tests.every(({ field, test }) => test(actual[field])),
	);
	return match?.event ?? 'unrecognized';
}
