import {
	ANSWER_HEADER,
	CONFIRMED,
	REASON_HEADER,
	REFUSED,
	toReasonPhrase,
} from '../../shared/instaMedAnswer';
import type { RespondMode } from './respondMode';

/**
 * Who decided an answer, as the guard leaves it in the ANSWER_HEADER of every response it lets
 * out. Confirm Stored and Refuse write their own marks (CONFIRMED, REFUSED); these are the
 * trigger's. A response without the header was written by n8n without the trigger ever running
 * (docs/n8n-internals.md lists when n8n does that).
 */
export const ANSWERED_BY = {
	/** The trigger refused the request before any run. */
	trigger: 'rejected',
	/** The trigger's own 200 for an event the workflow does not take: nothing to store. */
	notSelected: 'not-selected',
	/** The guard replaced a 2xx that nothing confirmed. */
	guard: 'not-confirmed',
	/** n8n's own answer, passed unchanged (When Last Node Finishes, n8n's 500s). */
	n8n: 'n8n',
} as const;

/** What the guard sees of an answer just before n8n sends it. */
export interface OutgoingAnswer {
	status: number;
	mark: string | undefined;
	reason: string | undefined;
	bodyBytes: number;
}

export type AnswerVerdict =
	| { pass: true; reasonPhrase?: string }
	| { pass: false; status: number; reason: string };

export const NOT_CONFIRMED =
	'Not stored: the workflow ended without a Confirm Stored step confirming storage';
export const ENDED_WITHOUT_DATA = 'Not stored: n8n ended the run without data from its last step';

/**
 * InstaMed treats a 2xx as "stored", so a 2xx passes only when it means that, or when the trigger
 * itself decided there is nothing to store (an event the workflow does not take):
 * - `whenConfirmed`: it carries Confirm Stored's mark. n8n itself answers 200 with an empty body
 *   when a run ends with no step having answered (docs/n8n-internals.md, "a run nobody answered").
 * - `whenLastNodeFinishes`: it has no body, as n8n sends for responseData 'noData' when the last
 *   step succeeded. n8n's other 200s carry a JSON message and mean the run has no result data, so
 *   nothing says the message was stored.
 * Non-2xx answers pass unchanged; a Refuse's reason becomes the reason phrase.
 */
export function judgeAnswer(mode: RespondMode, answer: OutgoingAnswer): AnswerVerdict {
	if (answer.status < 200 || answer.status >= 300) {
		return answer.mark === REFUSED && answer.reason
			? { pass: true, reasonPhrase: toReasonPhrase(answer.reason) }
			: { pass: true };
	}
	if (answer.mark === ANSWERED_BY.notSelected) return { pass: true };
	if (mode === 'whenConfirmed') {
		return answer.mark === CONFIRMED
			? { pass: true, reasonPhrase: 'OK' }
			: { pass: false, status: 500, reason: NOT_CONFIRMED };
	}
	return answer.bodyBytes === 0
		? { pass: true }
		: { pass: false, status: 500, reason: ENDED_WITHOUT_DATA };
}

/** The part of Node's ServerResponse the guard wraps. */
export interface GuardedResponse {
	statusCode: number;
	statusMessage: string;
	headersSent: boolean;
	getHeader(name: string): unknown;
	setHeader(name: string, value: string): unknown;
	removeHeader(name: string): void;
	end: (...args: unknown[]) => unknown;
	writeHead: (...args: unknown[]) => unknown;
}

/** Where the guard reports an answer it replaced (n8n's logger); never given patient data. */
export type ReplacedAnswerLog = (message: string) => void;

function bodyBytes(chunk: unknown): number {
	if (typeof chunk === 'string') return Buffer.byteLength(chunk);
	if (chunk instanceof Uint8Array) return chunk.byteLength;
	return 0;
}

function outgoingAnswer(res: GuardedResponse, status: number, chunk: unknown): OutgoingAnswer {
	const header = (name: string) => {
		const value = res.getHeader(name);
		return value === undefined ? undefined : String(value);
	};
	return {
		status,
		mark: header(ANSWER_HEADER),
		reason: header(REASON_HEADER),
		bodyBytes: bodyBytes(chunk),
	};
}

/**
 * Holds InstaMed's HTTP response to the rule above, from the trigger's first step on, so every
 * answer for this request passes it: the trigger's own refusals, the steps' answers and n8n's.
 * Every answer n8n writes ends in `res.end` (express's send and json call it) or, when streamed,
 * starts with `res.writeHead`: `end` can still replace a wrong 2xx whole; `writeHead` is the
 * backstop that turns it into a 500. Each answer leaves with ANSWER_HEADER naming who decided it.
 * Returns the same response object, now guarded.
 */
export function guardAnswer<Response extends GuardedResponse>(
	res: Response,
	mode: RespondMode,
	logReplaced: ReplacedAnswerLog = () => {},
): Response {
	const end = res.end.bind(res);
	const writeHead = res.writeHead.bind(res);
	const replace = (from: number, verdict: { status: number; reason: string }) => {
		logReplaced(
			`InstaMed Trigger answered ${verdict.status} instead of ${from}: ${verdict.reason}`,
		);
		res.setHeader(ANSWER_HEADER, ANSWERED_BY.guard);
		return toReasonPhrase(verdict.reason);
	};
	const markPassing = () => {
		if (res.getHeader(ANSWER_HEADER) === undefined) res.setHeader(ANSWER_HEADER, ANSWERED_BY.n8n);
	};

	res.end = (...args: unknown[]) => {
		if (res.headersSent) return end(...args);
		const chunk = typeof args[0] === 'function' ? undefined : args[0];
		const verdict = judgeAnswer(mode, outgoingAnswer(res, res.statusCode, chunk));
		res.removeHeader(REASON_HEADER);
		if (verdict.pass) {
			if (verdict.reasonPhrase) res.statusMessage = verdict.reasonPhrase;
			markPassing();
			return end(...args);
		}
		const phrase = replace(res.statusCode, verdict);
		res.statusCode = verdict.status;
		res.statusMessage = phrase;
		res.removeHeader('content-length');
		res.removeHeader('etag');
		res.setHeader('Content-Type', 'text/plain; charset=utf-8');
		res.setHeader('Cache-Control', 'no-store');
		return end(phrase);
	};

	res.writeHead = (...args: unknown[]) => {
		const [status, ...rest] = args as [number, ...unknown[]];
		const verdict = judgeAnswer(mode, outgoingAnswer(res, status, undefined));
		if (verdict.pass) {
			markPassing();
			return writeHead(status, ...rest);
		}
		return writeHead(verdict.status, replace(status, verdict));
	};
	return res;
}
