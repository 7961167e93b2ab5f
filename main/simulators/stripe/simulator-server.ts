import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PINNED_STRIPE_API_VERSION } from '../../core/stripe/objects.js';
import type { FaultController } from './faults.js';
import type { LiveStripeEmulation } from './live-stripe-emulation.js';
import { FormDecodingError, decodeForm } from './form-decoding.js';
import { IdempotencyCache, requestFingerprint } from './idempotency.js';
import type { RestrictedKeys } from './restricted-keys.js';
import { isListPath, isMetadataPath } from './resources.js';
import type { StripeApiHandlers } from './stripe-api-handlers.js';
import { StripeErrorResponse, invalidRequest, resourceMissing } from './stripe-error-response.js';

/**
 * The simulator's HTTP front: a node:http server on loopback that applies injected faults,
 * checks the bearer key, routes to the API handlers and keeps a request log. Never echoes
 * the API key, not even in a 401.
 */

export interface RequestLogEntry {
  requestId: string;
  method: string;
  /** Path with object ids replaced by `:id`, e.g. `GET /v1/charges/:id`. */
  route: string;
  query: string;
  status: number | 'dropped';
}

const MAX_LOG_ENTRIES = 10_000;
const ACCEPTED_KEY_PREFIXES = ['sk_test_', 'rk_test_'];

interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

function errorReply(error: StripeErrorResponse): Reply {
  return { status: error.status, body: error.toJson() };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function routeOf(method: string, path: string): string {
  const segments = path.split('/');
  if (segments.length > 3) segments[3] = ':id';
  return `${method} ${segments.join('/')}`;
}

export class SimulatorServer {
  readonly requestLog: RequestLogEntry[] = [];
  readonly requestCounts = new Map<string, number>();
  private readonly server: Server;
  private readonly idempotency = new IdempotencyCache();
  private requestSequence = 0;

  constructor(
    private readonly handlers: StripeApiHandlers,
    private readonly faults: FaultController,
    private readonly restrictedKeys: RestrictedKeys,
    private readonly live: LiveStripeEmulation | null = null,
  ) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.send(response, 'req_internal', { status: 500, body: new StripeErrorResponse(500, 'api_error', message).toJson() });
      });
    });
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private log(entry: RequestLogEntry): void {
    this.requestCounts.set(entry.route, (this.requestCounts.get(entry.route) ?? 0) + 1);
    this.requestLog.push(entry);
    if (this.requestLog.length > MAX_LOG_ENTRIES) this.requestLog.splice(0, this.requestLog.length - MAX_LOG_ENTRIES);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.requestSequence += 1;
    const requestId = `req_sim${String(this.requestSequence).padStart(10, '0')}`;
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const entry: RequestLogEntry = { requestId, method, route: routeOf(method, url.pathname), query: url.search, status: 0 };
    const overLimit = this.live !== null && !this.live.admit(entry.route, performance.now());
    const fault = overLimit ? 'rate_limit' : this.faults.requestFault(url.pathname);
    if (this.faults.responseDelayMs > 0) await delay(this.faults.responseDelayMs);
    if (this.live !== null && !overLimit) await delay(this.live.options.latencyMs);
    if (fault === 'drop_connection') {
      entry.status = 'dropped';
      this.log(entry);
      request.socket.destroy();
      return;
    }
    const body = method === 'POST' ? await readBody(request) : '';
    const stuck = method === 'GET' && url.pathname.split('/').length === 3 && this.faults.cursorStuck(url.pathname);
    if (stuck) url.searchParams.delete('starting_after');
    const reply = this.hostile(this.reply(fault, request, method, url, body, requestId), method, url.pathname, stuck);
    entry.status = reply.status;
    this.log(entry);
    const trickleMs = reply.status === 200 ? this.faults.trickleMs(url.pathname) : 0;
    if (trickleMs > 0) await this.trickle(response, requestId, reply, trickleMs);
    else this.send(response, requestId, reply);
  }

  /** Applies the hostile faults that rewrite a successful answer (see faults.ts). */
  private hostile(reply: Reply, method: string, path: string, stuck: boolean): Reply {
    if (reply.status !== 200 || method !== 'GET') return reply;
    const malformed = this.faults.malformedBody(path);
    if (malformed !== null) return { ...reply, body: malformed };
    if (!stuck && !this.faults.corruptsObjects) return reply;
    const parsed = JSON.parse(reply.body) as Record<string, unknown>;
    if (parsed['object'] === 'list' && Array.isArray(parsed['data'])) {
      parsed['data'] = (parsed['data'] as Record<string, unknown>[]).map((item) => this.faults.serve(item));
      if (stuck) parsed['has_more'] = true;
      return { ...reply, body: JSON.stringify(parsed) };
    }
    return { ...reply, body: JSON.stringify(this.faults.serve(parsed)) };
  }

  /** Sends the headers, then the body one byte at a time; stops when the client gives up. */
  private async trickle(response: ServerResponse, requestId: string, reply: Reply, byteEveryMs: number): Promise<void> {
    response.writeHead(reply.status, { 'Content-Type': 'application/json', 'Request-Id': requestId, 'Stripe-Version': PINNED_STRIPE_API_VERSION });
    const bytes = Buffer.from(reply.body);
    for (let index = 0; index < bytes.length && !response.destroyed && !response.socket?.destroyed; index++) {
      response.write(bytes.subarray(index, index + 1));
      await delay(byteEveryMs);
    }
    response.end();
  }

  private reply(
    fault: 'rate_limit' | 'server_error' | null,
    request: IncomingMessage,
    method: string,
    url: URL,
    body: string,
    requestId: string,
  ): Reply {
    if (fault === 'rate_limit') {
      return errorReply(
        new StripeErrorResponse(
          429,
          'invalid_request_error',
          'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
          undefined,
          'rate_limit',
        ),
      );
    }
    if (fault === 'server_error') {
      return errorReply(new StripeErrorResponse(500, 'api_error', 'An unknown error occurred while processing the request.'));
    }
    const authError = this.checkAuth(request.headers.authorization);
    if (authError) return errorReply(authError);
    const refusal = this.restrictedKeys.refusal(
      request.headers.authorization?.slice('Bearer '.length) ?? '',
      method,
      url.pathname.split('/')[2],
      [...url.searchParams].filter(([name]) => /^expand\[\d*\]$/.test(name)).map(([, path]) => path),
    );
    if (refusal) return errorReply(refusal);
    try {
      return this.route(request, method, url, body, requestId);
    } catch (error) {
      if (error instanceof StripeErrorResponse) return errorReply(error);
      if (error instanceof FormDecodingError) return errorReply(invalidRequest(error.message, error.param));
      throw error;
    }
  }

  private checkAuth(authorization: string | undefined): StripeErrorResponse | null {
    if (!authorization) {
      return new StripeErrorResponse(
        401,
        'invalid_request_error',
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      );
    }
    const key = authorization.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : '';
    if (ACCEPTED_KEY_PREFIXES.some((prefix) => key.startsWith(prefix) && key.length > prefix.length)) return null;
    return new StripeErrorResponse(401, 'invalid_request_error', 'Invalid API Key provided.');
  }

  private route(request: IncomingMessage, method: string, url: URL, body: string, requestId: string): Reply {
    const segments = url.pathname.split('/').filter((segment) => segment !== '');
    const [version, resource, id, extra] = segments;
    if (method === 'GET' && version === 'v1' && resource === 'invoices' && id !== undefined && extra === 'lines' && segments.length === 4) {
      return { status: 200, body: this.handlers.invoiceLines(id, decodeForm(url.search.slice(1))) };
    }
    if (version === 'v1' && extra === undefined && resource !== undefined) {
      if (method === 'GET' && resource === 'account' && id === undefined) {
        return { status: 200, body: this.handlers.account() };
      }
      if (method === 'GET' && resource === 'balance' && id === undefined) {
        return { status: 200, body: this.handlers.balance() };
      }
      if (method === 'GET' && isListPath(resource)) {
        const params = decodeForm(url.search.slice(1));
        const json = id === undefined ? this.handlers.list(resource, params) : this.handlers.retrieve(resource, id, params);
        return { status: 200, body: json };
      }
      if (method === 'POST' && id !== undefined && isMetadataPath(resource)) {
        const writeFault = this.faults.writeFault(url.pathname, id);
        if (writeFault === 'deleted') return errorReply(resourceMissing(resource.replace(/s$/, ''), id));
        if (writeFault === 'lock_timeout') {
          return errorReply(
            new StripeErrorResponse(409, 'invalid_request_error', 'This object cannot be accessed right now because another API request or Stripe process is currently accessing it.', undefined, 'lock_timeout'),
          );
        }
        const idempotencyKey = request.headers['idempotency-key'];
        const key = typeof idempotencyKey === 'string' && idempotencyKey !== '' ? idempotencyKey : null;
        const run = (): Reply => ({
          status: 200,
          body: this.handlers.updateMetadata(resource, id, decodeForm(body), { requestId, idempotencyKey: key }),
        });
        if (key === null) return run();
        return this.idempotent(key, requestFingerprint(method, url.pathname, body), run);
      }
    }
    return errorReply(
      new StripeErrorResponse(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${url.pathname}).`),
    );
  }

  private idempotent(key: string, fingerprint: string, run: () => Reply): Reply {
    const previous = this.idempotency.lookup(key, fingerprint);
    if (previous.kind === 'replay') {
      return { ...previous.response, headers: { 'Idempotent-Replayed': 'true' } };
    }
    if (previous.kind === 'mismatch') {
      return errorReply(
        new StripeErrorResponse(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        ),
      );
    }
    const reply = run();
    this.idempotency.save(key, fingerprint, { status: reply.status, body: reply.body });
    return reply;
  }

  private send(response: ServerResponse, requestId: string, reply: Reply): void {
    response.writeHead(reply.status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(reply.body),
      'Request-Id': requestId,
      'Stripe-Version': PINNED_STRIPE_API_VERSION,
      ...reply.headers,
    });
    response.end(reply.body);
  }
}
