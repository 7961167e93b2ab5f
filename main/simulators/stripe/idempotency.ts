/**
 * Stripe's idempotency layer for POSTs: the first response to a key is saved; the same key
 * with the same request replays it, with different parameters it is an error. Validation
 * errors (4xx) happen before this layer on Stripe, so only 2xx and 5xx results are saved.
 */
export interface SavedResponse {
  status: number;
  body: string;
}

interface SavedRequest {
  fingerprint: string;
  response: SavedResponse;
}

export type IdempotencyLookup = { kind: 'new' } | { kind: 'replay'; response: SavedResponse } | { kind: 'mismatch' };

/** Identifies a request by method, path and its parameters in a canonical order. */
export function requestFingerprint(method: string, path: string, body: string): string {
  const entries = [...new URLSearchParams(body)].map(([key, value]) => `${key}=${value}`).sort();
  return `${method} ${path} ${entries.join('&')}`;
}

export class IdempotencyCache {
  private readonly saved = new Map<string, SavedRequest>();

  lookup(key: string, fingerprint: string): IdempotencyLookup {
    const saved = this.saved.get(key);
    if (!saved) return { kind: 'new' };
    return saved.fingerprint === fingerprint ? { kind: 'replay', response: saved.response } : { kind: 'mismatch' };
  }

  save(key: string, fingerprint: string, response: SavedResponse): void {
    if (response.status >= 400 && response.status < 500) return;
    this.saved.set(key, { fingerprint, response });
  }
}
