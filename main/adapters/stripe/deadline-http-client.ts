import http from 'node:http';
import https from 'node:https';
import Stripe from 'stripe';

/**
 * The Stripe SDK's HTTP client over Node's own http/https, with one deadline for the whole
 * request: connecting, sending, the status line and every byte of the body. When it passes,
 * the request is destroyed and the SDK gets its timeout error (a StripeConnectionError, which
 * the port maps to a transient error the engine retries).
 *
 * Why not the SDK's clients: its Node client's timeout is an idle timeout (a server trickling a
 * byte every few seconds would hold a request, and the run, forever), and its fetch client loads
 * undici on the first request, which was the largest single cost of an idle `s5sync sync --once`
 * after the bundle itself (about 60 CPU-ms of a 0.45 s run; docs/performance.md, section 6).
 * Node's http and https are loaded by the SDK either way.
 *
 * Idle keep-alive sockets do not hold the process open: Node's agent unreferences a socket when
 * it returns to the pool, so a CLI run ends as soon as its work does.
 */

type RequestHeaders = Parameters<Stripe.HttpClient['makeRequest']>[4];

/** The SDK's Node client's cipher list, kept for connections to Stripe over TLS. */
const CIPHERS = 'DEFAULT:!aNULL:!eNULL:!LOW:!EXPORT:!SSLv2:!MD5';

/**
 * The SDK sends a request again by itself when its connection was closed (ECONNRESET, EPIPE),
 * even with its retries off. The engine paces and counts every request and retries with its own
 * backoff, as it did with the fetch client, whose errors carry no such code: one port call stays
 * one request, and the error goes on without the code (its message and cause kept).
 */
const withoutRetryCode = (error: NodeJS.ErrnoException): Error =>
  Stripe.HttpClient.CONNECTION_CLOSED_ERROR_CODES.includes(error.code ?? '') ? new Error(error.message, { cause: error }) : error;

export class DeadlineHttpClient extends Stripe.HttpClient {
  private readonly agents = new Map<'http' | 'https', http.Agent>();

  override getClientName(): string {
    return 'node';
  }

  override makeRequest(
    host: string,
    port: string,
    path: string,
    method: string,
    headers: RequestHeaders,
    requestData: string,
    protocol: string,
    timeout: number,
  ): Promise<Stripe.HttpClientResponse> {
    const insecure = protocol === 'http';
    return new Promise((resolve, reject) => {
      const request = (insecure ? http : https).request({
        host,
        port,
        path,
        method,
        headers: headers as http.OutgoingHttpHeaders,
        agent: this.agent(insecure ? 'http' : 'https'),
        ...(insecure ? {} : { ciphers: CIPHERS }),
      });
      let timedOut = false;
      const deadline = setTimeout(() => {
        timedOut = true;
        request.destroy(Stripe.HttpClient.makeTimeoutError());
      }, timeout);
      const settled = (): void => clearTimeout(deadline);
      request.on('response', (response) => {
        // 'close' comes after the last byte, or when the response is destroyed.
        response.once('close', settled);
        resolve(new DeadlineHttpClientResponse(response, () => timedOut));
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        settled();
        reject(withoutRetryCode(error));
      });
      request.end(requestData);
    });
  }

  private agent(protocol: 'http' | 'https'): http.Agent {
    let agent = this.agents.get(protocol);
    if (!agent) {
      agent = protocol === 'http' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true });
      this.agents.set(protocol, agent);
    }
    return agent;
  }
}

class DeadlineHttpClientResponse extends Stripe.HttpClientResponse {
  constructor(
    private readonly response: http.IncomingMessage,
    private readonly timedOut: () => boolean,
  ) {
    super(response.statusCode ?? 0, response.headers as ConstructorParameters<typeof Stripe.HttpClientResponse>[1]);
  }

  override getRawResponse(): http.IncomingMessage {
    return this.response;
  }

  override toStream(streamCompleteCallback: () => void): NodeJS.ReadableStream {
    this.response.once('end', () => streamCompleteCallback());
    return this.response;
  }

  override toJSON(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let body = '';
      const bodyError = (error: unknown): Error => Stripe.HttpClient.makeResponseBodyError(this.timedOut() ? Stripe.HttpClient.makeTimeoutError() : error);
      this.response.setEncoding('utf8');
      this.response.on('data', (chunk: string) => {
        body += chunk;
      });
      this.response.once('error', (error) => reject(bodyError(error)));
      // A connection cut (or destroyed at the deadline) before the body is whole does not always emit 'error'.
      this.response.once('close', () => {
        if (!this.response.complete) reject(bodyError(null));
      });
      this.response.once('end', () => {
        try {
          resolve(this._parseResponseBody(body));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  /** The SDK discards a response it will not read: free its connection now. */
  dispose(): void {
    this.response.destroy();
  }
}
