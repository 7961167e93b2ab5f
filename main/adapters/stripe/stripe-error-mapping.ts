import Stripe from 'stripe';
import {
  StripeAuthError,
  StripeRateLimitError,
  StripeRequestError,
  StripeTransientError,
} from '../../core/ports/stripe-api.js';

/**
 * Translates the SDK's errors into the port's four error classes, which is all the engine
 * needs to decide between backing off, retrying, stopping for a new key, or failing one
 * record. Messages are scrubbed of anything that looks like an API key.
 */

const API_KEY_PATTERN = /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9_]+/g;

export function redactApiKeys(message: string, apiKey: string): string {
  const withoutConfiguredKey = apiKey === '' ? message : message.split(apiKey).join('[redacted API key]');
  return withoutConfiguredKey.replace(API_KEY_PATTERN, '[redacted API key]');
}

export function toPortError(error: unknown, apiKey: string): Error {
  const rawMessage = error instanceof Error ? error.message : String(error);
  const message = redactApiKeys(rawMessage, apiKey);
  if (!(error instanceof Stripe.errors.StripeError)) return new StripeTransientError(`Could not reach Stripe: ${message}`);
  const status = error.statusCode;
  if (error instanceof Stripe.errors.StripeConnectionError || status === undefined) {
    return new StripeTransientError(`Could not reach Stripe: ${message}`);
  }
  if (status === 429) return new StripeRateLimitError(`Stripe rate limit reached (HTTP 429): ${message}`);
  // 409: another request holds the object (lock_timeout) or the same idempotency key is in flight; it clears.
  if (status === 409) return new StripeTransientError(`Stripe is busy with this object (HTTP 409): ${message}`);
  if (status >= 500) return new StripeTransientError(`Stripe server error (HTTP ${status}): ${message}`);
  if (status === 401 || status === 403) return new StripeAuthError(`Stripe refused the API key (HTTP ${status}): ${message}`, status);
  return new StripeRequestError(`Stripe rejected the request (HTTP ${status}): ${message}`, status);
}
