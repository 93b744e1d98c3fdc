import { WebhookRejection } from '../rejection';
import { canonicalFieldName, fieldKind } from './fieldCatalogue';

/** One notification as InstaMed sent it: field name to value, flat. */
export type Fields = Record<string, string | null>;

/** A field as a parser read it, in the order of the body. */
export type FieldEntry = readonly [name: string, value: string | null];

/**
 * Bounds on a body's shape, far above any InstaMed notification (some 80 fields, names under 40
 * characters): beyond them a body is refused before its cost can grow.
 */
export const FIELD_LIMITS = { fields: 1000, nameLength: 256, attributes: 64 } as const;

/**
 * How a reason names a field: its catalogue spelling when the name is a known InstaMed field,
 * else its position in the body. A name outside the catalogue is text from the body, which may
 * hold data (a value pasted into a tag), so it never reaches a reason or the log.
 */
export function describeField(name: string, position: number): string {
	return fieldKind(name) === undefined
		? `Field ${position}`
		: `Field '${canonicalFieldName(name)}'`;
}

export function tooManyFields(): WebhookRejection {
	return new WebhookRejection(400, `Body has more than ${FIELD_LIMITS.fields} fields`);
}

// Names that would reach Object.prototype if a consumer ever assigned them naively.
const forbiddenNames = new Set(['__proto__', 'constructor', 'prototype']);

// String.prototype.isWellFormed (ES2024, in every Node n8n 2 runs on) is not in the es2022 lib.
export const isWellFormed = (text: string): boolean =>
	(text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Text a database can store: Postgres text and jsonb refuse U+0000, and a lone surrogate is not
 * Unicode, so a message holding either would fail its insert on every retry.
 */
export function refuseUnstorable(text: string, what: () => string): void {
	if (text.includes('\u0000')) {
		throw new WebhookRejection(400, `${what()} contains a NUL character`);
	}
	if (!isWellFormed(text)) {
		throw new WebhookRejection(400, `${what()} contains a lone surrogate (not Unicode text)`);
	}
}

/** refuseUnstorable for a field's value, naming the field only when refusing. */
export function refuseUnstorableValue(value: string, name: string, position: number): void {
	if (value.includes('\u0000') || !isWellFormed(value)) {
		refuseUnstorable(value, () => describeField(name, position));
	}
}

/** 400 for a prototype name, an overlong name, or one holding NUL or a lone surrogate. */
export function refuseBadName(name: string, position: number): void {
	if (forbiddenNames.has(name)) {
		throw new WebhookRejection(400, `Field ${position} has a name that is not allowed`);
	}
	if (name.length > FIELD_LIMITS.nameLength) {
		throw new WebhookRejection(
			400,
			`Field ${position} has a name longer than ${FIELD_LIMITS.nameLength} characters`,
		);
	}
	if (name.includes('\u0000') || !isWellFormed(name)) {
		refuseUnstorable(name, () => `Field ${position}'s name`);
	}
}
