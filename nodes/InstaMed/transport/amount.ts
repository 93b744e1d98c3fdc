const AMOUNT = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/**
 * A positive decimal with at most two places, as integer cents. Money is parsed from its text so
 * that no float ever carries it; a number input is read through its text, which rejects
 * float artefacts such as 0.30000000000000004.
 */
export function amountToCents(value: unknown): number {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	const match = AMOUNT.exec(text);
	const cents = match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : 0;
	if (cents === 0) {
		throw new Error(
			`Invalid amount "${String(value)}": use a positive amount with at most two decimal places, like 12.34`,
		);
	}
	return cents;
}

export function centsToAmount(cents: number): string {
	return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
