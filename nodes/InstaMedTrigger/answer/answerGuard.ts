import {
	ANSWER_HEADER,
	CONFIRMED,
	REASON_HEADER,
	REFUSED,
	toReasonPhrase,
} from '../../shared/instaMedAnswer';
import type { RespondMode } from './respondMode';

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
 * InstaMed treats a 2xx as "stored", so a 2xx passes only when it means that:
 * - `whenConfirmed`: it carries Confirm Stored's mark. n8n itself answers 200 with an empty body
 *   when a run ends with no step having answered (n8n 2.40.7, webhook-helpers.js executeWebhook:
 *   `responseMode === 'responseNode'` ... `responseCallback(null, { data: undefined, responseCode })`).
 * - `whenLastNodeFinishes`: it has no body, as n8n sends for responseData 'noData' when the last step
 *   succeeded. n8n's other 200s carry a JSON message and mean the run has no result data
 *   ("Workflow executed successfully but no data was returned" / "...the last node did not return
 *   any data", webhook-helpers.js), so nothing says the message was stored.
 * Non-2xx answers pass unchanged; a Refuse's reason becomes the reason phrase.
 */
export function judgeAnswer(mode: RespondMode, answer: OutgoingAnswer): AnswerVerdict {
	if (answer.status < 200 || answer.status >= 300) {
		return answer.mark === REFUSED && answer.reason
			? { pass: true, reasonPhrase: toReasonPhrase(answer.reason) }
			: { pass: true };
	}
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

type Chunk = string | Uint8Array | undefined;

function bodyBytes(chunk: unknown): number {
	if (typeof chunk === 'string') return Buffer.byteLength(chunk);
	if (chunk instanceof Uint8Array) return chunk.byteLength;
	return 0;
}

function readAnswer(res: GuardedResponse, status: number, chunk: unknown): OutgoingAnswer {
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
 * Holds InstaMed's HTTP response to the rule above. Every answer n8n writes for this request ends
 * in `res.end` (express's send and json call it) or, when streamed, starts with `res.writeHead`:
 * `end` can still replace a wrong 2xx whole; `writeHead` is the backstop that turns it into a 500.
 */
export function guardAnswer(res: GuardedResponse, mode: RespondMode): void {
	const end = res.end.bind(res);
	const writeHead = res.writeHead.bind(res);

	res.end = (...args: unknown[]) => {
		if (res.headersSent) return end(...args);
		const chunk = typeof args[0] === 'function' ? undefined : (args[0] as Chunk);
		const verdict = judgeAnswer(mode, readAnswer(res, res.statusCode, chunk));
		res.removeHeader(REASON_HEADER);
		if (verdict.pass) {
			if (verdict.reasonPhrase) res.statusMessage = verdict.reasonPhrase;
			return end(...args);
		}
		const phrase = toReasonPhrase(verdict.reason);
		res.statusCode = verdict.status;
		res.statusMessage = phrase;
		res.removeHeader(ANSWER_HEADER);
		res.removeHeader('content-length');
		res.removeHeader('etag');
		res.setHeader('Content-Type', 'text/plain; charset=utf-8');
		res.setHeader('Cache-Control', 'no-store');
		return end(phrase);
	};

	res.writeHead = (...args: unknown[]) => {
		const [status, ...rest] = args as [number, ...unknown[]];
		const verdict = judgeAnswer(mode, readAnswer(res, status, undefined));
		if (verdict.pass) return writeHead(status, ...rest);
		return writeHead(verdict.status, toReasonPhrase(verdict.reason));
	};
}
