import { createHash, timingSafeEqual } from 'crypto';

/**
 * Compares two secrets without leaking where they differ or how long they are: both are hashed
 * first, so timingSafeEqual always compares two 32-byte digests.
 */
export function equalInConstantTime(a: Buffer | string, b: Buffer | string): boolean {
	return timingSafeEqual(sha256(a), sha256(b));
}

function sha256(data: Buffer | string): Buffer {
	return createHash('sha256').update(data).digest();
}
