const instaMedDateTime =
	/^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s*([AaPp][Mm]))?$/;

function hourOfDay(hour: number, meridiem: string | undefined): number | undefined {
	if (meridiem === undefined) return hour <= 23 ? hour : undefined;
	if (hour < 1 || hour > 12) return undefined;
	return (hour % 12) + (meridiem.toUpperCase() === 'PM' ? 12 : 0);
}

/**
 * ISO 8601 from InstaMed's 'MM/DD/YYYY hh:mm:ss AM' (no zone given; UTC is assumed), or null when
 * the text is not such a date and time.
 */
export function parseInstaMedDateTime(value: string | null | undefined): string | null {
	return parseText((value ?? '').trim());
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whether the date exists: 02/30 does not, nor 02/29 outside a leap year, nor month 13. */
function isDate(year: number, month: number, day: number): boolean {
	if (month < 1 || month > 12 || day < 1) return false;
	return day <= (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]);
}

const twoDigits = (value: number): string => (value < 10 ? `0${value}` : String(value));

function parseText(text: string): string | null {
	const match = instaMedDateTime.exec(text);
	if (match === null) return null;
	const [, month, day, year, hour, minute, second, meridiem] = match;
	const hours = hourOfDay(Number(hour), meridiem);
	if (hours === undefined || Number(minute) > 59 || Number(second) > 59) return null;
	// Years 00-99 mean 1900-1999, as Date.UTC reads them (earlier versions used it).
	const fullYear = Number(year) <= 99 ? 1900 + Number(year) : Number(year);
	if (!isDate(fullYear, Number(month), Number(day))) return null;
	// Written as Date's toISOString would, which cost more than all the parsing.
	const date = `${String(fullYear).padStart(4, '0')}-${twoDigits(Number(month))}-${twoDigits(Number(day))}`;
	return `${date}T${twoDigits(hours)}:${minute}:${second}.000Z`;
}
