import type { ErrorBody, ErrorCode } from '@kindred/protocol';

/** An error with the server's stable code, so callers can react to the kind of failure. */
export class KindredError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly retryAfterMs?: number;

  constructor(code: ErrorCode, message: string, details: Partial<ErrorBody> = {}) {
    super(message);
    this.name = 'KindredError';
    this.code = code;
    if (details.field) this.field = details.field;
    if (details.retryAfterMs) this.retryAfterMs = details.retryAfterMs;
  }
}

export function toKindredError(error: unknown): KindredError {
  return error instanceof KindredError ? error : new KindredError('INTERNAL', String(error));
}
