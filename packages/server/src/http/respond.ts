import type { ServerResponse } from 'node:http';
import type { ErrorBody, ErrorCode } from '@kindred/protocol';
import type { ServiceError } from '../errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, field?: string): void {
  sendJson(res, status, { error: field ? { code, message, field } : { code, message } });
}

function sendBody(res: ServerResponse, status: number, body: ErrorBody): void {
  const headers: Record<string, string> = body.retryAfterMs === undefined ? {} : { 'Retry-After': String(Math.ceil(body.retryAfterMs / 1000)) };
  sendJson(res, status, { error: body }, headers);
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  NOT_SIGNED_IN: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  NOT_AUTHORISED: 403,
  MEMBERS_ONLY: 403,
  GUESTS_NOT_ALLOWED: 403,
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  UNKNOWN_SITE: 404,
  EDIT_WINDOW_CLOSED: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export function sendServiceError(res: ServerResponse, error: ServiceError): void {
  sendBody(res, STATUS_BY_CODE[error.code] ?? 500, error.toBody());
}
