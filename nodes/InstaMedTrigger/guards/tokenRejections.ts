import { WebhookRejection } from '../rejection';

const REALM = 'realm="InstaMed"';

/** 401 for a request without credentials: RFC 6750 section 3.1 sends no error code then. */
export function tokenRequired(): WebhookRejection {
	return new WebhookRejection(401, 'Authorization required', {
		'WWW-Authenticate': `Bearer ${REALM}`,
	});
}

/** 401 with the RFC 6750 challenge; `problem` is a short fixed phrase, never token content. */
export function invalidToken(problem: string): WebhookRejection {
	return new WebhookRejection(401, `Invalid token: ${problem}`, {
		'WWW-Authenticate': `Bearer ${REALM}, error="invalid_token", error_description="${problem}"`,
	});
}

/** 503 so InstaMed retries later: the token may be fine, we just cannot check it now. */
export function tokenValidationUnavailable(retryAfterSeconds = 10): WebhookRejection {
	return new WebhookRejection(503, 'Token validation unavailable', {
		'Retry-After': String(retryAfterSeconds),
	});
}

/** 503 when the identity service's call budget is spent (see serviceGate.ts): retry shortly. */
export function tokenValidationBusy(retryAfterSeconds: number): WebhookRejection {
	return new WebhookRejection(503, 'Token validation busy', {
		'Retry-After': String(retryAfterSeconds),
	});
}
