/**
 * Amounts are parsed from their text into integer cents, computed on the digits, so that no float
 * ever carries money.
 */
const DECIMAL_AMOUNT = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Integer cents from an amount InstaMed sent ('50.00' -> 5000, '-10.5' -> -1050). null for
 * anything that is not a plain amount with at most two decimals, or too large to be exact.
 */
export function toCents(amount: string | null | undefined): number | null {
	const match = DECIMAL_AMOUNT.exec((amount ?? '').trim());
	if (match === null) return null;
	const [, sign, units, fraction = ''] = match;
	const cents = Number(units + fraction.padEnd(2, '0'));
	if (!Number.isSafeInteger(cents)) return null;
	return sign === '-' && cents !== 0 ? -cents : cents;
}

// InstaMed Connect takes at most nine digits before the point, and no sign.
const PAYMENT_UNITS = /^\d{1,9}(?:\.|$)/;

/**
 * An amount to send to InstaMed Connect: positive, at most two places, as integer cents. A number
 * input is read through its text, which rejects float artefacts such as 0.30000000000000004.
 */
export function paymentAmountToCents(value: unknown): number {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	const cents = PAYMENT_UNITS.test(text) ? toCents(text) : null;
	if (cents === null || cents === 0) {
		throw new Error(
			`Invalid amount "${String(value)}": use a positive amount with at most two decimal places, like 12.34`,
		);
	}
	return cents;
}

/** Cents as InstaMed's decimal text: 12345 -> '123.45'. */
export function centsToAmount(cents: number): string {
	return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
