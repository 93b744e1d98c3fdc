const instaMedDateTime =
	/^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s*([AaPp][Mm]))?$/;

function hourOfDay(hour: number, meridiem: string | undefined): number | undefined {
	if (meridiem === undefined) return hour <= 23 ? hour : undefined;
	if (hour < 1 || hour > 12) return undefined;
	return (hour % 12) + (meridiem.toUpperCase() === 'PM' ? 12 : 0);
}

// The item and its event key both read a message's ResponseDateTime: the last answer is kept.
let lastText: string | undefined;
let lastAnswer: string | null = null;

/**
 * ISO 8601 from InstaMed's 'MM/DD/YYYY hh:mm:ss AM' (no zone given; UTC is assumed), or null when
 * the text is not such a date and time.
 */
export function parseInstaMedDateTime(value: string | null | undefined): string | null {
	const text = (value ?? '').trim();
	if (text !== lastText) {
		lastAnswer = parseText(text);
		lastText = text;
	}
	return lastAnswer;
}

function parseText(text: string): string | null {
	const match = instaMedDateTime.exec(text);
	if (match === null) return null;
	const [, month, day, year, hour, minute, second, meridiem] = match;
	const hours = hourOfDay(Number(hour), meridiem);
	if (hours === undefined || Number(minute) > 59 || Number(second) > 59) return null;
	const date = new Date(
		Date.UTC(Number(year), Number(month) - 1, Number(day), hours, Number(minute), Number(second)),
	);
	// Date.UTC rolls 02/30 over into March; a rolled date is not the one InstaMed meant.
	if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return null;
	return date.toISOString();
}
