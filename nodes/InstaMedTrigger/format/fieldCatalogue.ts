const numbered = (prefix: string, suffix = ''): string[] =>
	[1, 2, 3, 4, 5, 6].map((number) => `${prefix}${number}${suffix}`);

/**
 * InstaMed's notification fields as its JSON spells them, grouped by what they hold. Every rule
 * about a field's kind (card or bank data, money, date and time) reads its group here.
 */
export const FIELD_CATALOGUE = {
	transaction: [
		'PaymentTransactionID',
		'OriginalTransactionID',
		'TransactionAction',
		'TransactionType',
		'CurrentTransactionStatusCode',
		'CurrentTransactionStatusDescription',
		'OriginalTransactionStatusCode',
		'OriginalTransactionStatusDescription',
		'ResponseCode',
		'ResponseMessage',
		'AuthorizationCode',
		'AuthorizationText',
		'WorkflowStatus',
		'ReasonCode',
		'ReasonCodeDescription',
		'PaymentPlanID',
		'PaymentPlanTransactionType',
		'InstallmentSequenceNumber',
		'InstallmentCount',
		'SaveOnFileTransactionID',
		'SingleSignOnToken',
		'UserID',
		'IsPartiallyApproved',
	],
	/** Decimal amounts, compared as cents. */
	money: [
		'Amount',
		'RequestAmount',
		'PartialApprovalAmount',
		'TransactionServiceFee',
		'EstimatedAmount',
	],
	/** InstaMed's 'MM/DD/YYYY hh:mm:ss AM', compared as an instant. */
	dateTime: ['ResponseDateTime'],
	outlet: ['MerchantID', 'StoreID', 'TerminalID', 'Outlet', 'OutletDescription', 'Alias'],
	card: [
		'CardType',
		'CardLastFourDigits',
		'ExpDate',
		'CardHolderName',
		'CardHolderFirstName',
		'CardHolderLastName',
		'CardPresentStatus',
		'CardInputMode',
		'SaveCardOnFile',
	],
	bank: ['RoutingNumber', 'AccountNumberLastFourDigits', 'CheckNumber', 'CheckingAccountType'],
	patient: [
		'PatientID',
		'PatientMedicalRecordNumber',
		'PatientFirstName',
		'PatientLastName',
		'PatientMiddleName',
		'PatientBirthDate',
		'PatientServiceBeginDate',
		'PatientServiceEndDate',
		'PatientAddress1',
		'PatientAddress2',
		'PatientCity',
		'PatientState',
		'PatientZip',
		'PatientCountry',
		'PatientPhoneNumber',
	],
	additional: [
		...numbered('AdditionalCode'),
		...numbered('AdditionalCode', 'Description'),
		...numbered('AdditionalInfo'),
	],
} as const satisfies Record<string, readonly string[]>;

export type FieldKind = keyof typeof FIELD_CATALOGUE;

/** Every known field name; NVP names are matched to these ignoring case. */
export const canonicalFieldNames: readonly string[] = Object.values(FIELD_CATALOGUE).flat();

const canonicalByLowerName = new Map(canonicalFieldNames.map((name) => [name.toLowerCase(), name]));

/**
 * Every known name lower-cased, in code-unit order: the content hash lists fields in this order,
 * and a known name's place in it (its rank) saves sorting it among a message's names.
 */
export const sortedLowerNames: readonly string[] = canonicalFieldNames
	.map((name) => name.toLowerCase())
	.sort();

const rankByLowerName = new Map(sortedLowerNames.map((lowerName, rank) => [lowerName, rank]));

// InstaMed's spelling -> its rank. Most names of a message are spelled so, and finding them here
// costs less than lower-casing them again for every message.
const rankBySpelling = new Map(
	canonicalFieldNames.map((name) => [name, rankByLowerName.get(name.toLowerCase()) as number]),
);

const kindByLowerName = new Map(
	Object.entries(FIELD_CATALOGUE).flatMap(([kind, names]) =>
		names.map((name) => [name.toLowerCase(), kind as FieldKind] as const),
	),
);

/** InstaMed's spelling of a known field name; an unknown name is kept as sent. */
export function canonicalFieldName(name: string): string {
	return canonicalByLowerName.get(name.toLowerCase()) ?? name;
}

/** What a known field holds, matched ignoring case; undefined for a name not in the catalogue. */
export function fieldKind(name: string): FieldKind | undefined {
	return kindOfLowerName(name.toLowerCase());
}

/** fieldKind of a name already lower-cased. */
export function kindOfLowerName(lowerName: string): FieldKind | undefined {
	return kindByLowerName.get(lowerName);
}

/** The rank in sortedLowerNames of a known name spelled as InstaMed does, else undefined. */
export function rankOfSpelling(name: string): number | undefined {
	return rankBySpelling.get(name);
}

/** The rank in sortedLowerNames of a lower-cased known name, whatever its spelling; else undefined. */
export function rankOfLowerName(lowerName: string): number | undefined {
	return rankByLowerName.get(lowerName);
}
