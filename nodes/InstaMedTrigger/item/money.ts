/**
 * Integer cents from a decimal amount string ('50.00' -> 5000, '-10.5' -> -1050), computed on the
 * digits so no float rounding can creep in. null for anything that is not a plain amount with at
 * most two decimals, or too large to be exact.
 */
export function toCents(amount: string | null | undefined): number | null {
	const match = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/.exec((amount ?? '').trim());
	if (match === null) return null;
	const [, sign, units, fraction = ''] = match;
	const cents = Number(units + fraction.padEnd(2, '0'));
	if (!Number.isSafeInteger(cents)) return null;
	return sign === '-' && cents !== 0 ? -cents : cents;
}
