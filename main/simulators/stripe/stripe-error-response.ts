/**
 * Stripe's error JSON, `{ error: { type, message, param?, code? } }`, with the HTTP status
 * it travels with. Thrown by request handlers and rendered by the server.
 */
export type StripeErrorType = 'invalid_request_error' | 'api_error' | 'idempotency_error' | 'rate_limit_error';

export class StripeErrorResponse extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly param?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StripeErrorResponse';
  }

  toJson(): string {
    const error: Record<string, string> = { type: this.type, message: this.message };
    if (this.param !== undefined) error.param = this.param;
    if (this.code !== undefined) error.code = this.code;
    return JSON.stringify({ error });
  }
}

export function invalidRequest(message: string, param?: string, code?: string): StripeErrorResponse {
  return new StripeErrorResponse(400, 'invalid_request_error', message, param, code);
}

export function resourceMissing(kindLabel: string, id: string, param?: string): StripeErrorResponse {
  const status = param === undefined ? 404 : 400;
  return new StripeErrorResponse(status, 'invalid_request_error', `No such ${kindLabel}: '${id}'`, param ?? 'id', 'resource_missing');
}
