/**
 * Where the engine may send the Stripe key. The window can change `stripe.apiBase`, so a
 * compromised renderer could otherwise point the stored live key at its own server: a live key
 * goes only to Stripe's API over https, and a loopback address (the simulator, a local mock) is
 * allowed only while the key is a test key (or none is stored yet).
 */

export const STRIPE_API_BASE = 'https://api.stripe.com';

export type StripeKeyMode = 'live' | 'test';

/** Stripe's key prefixes: sk_live_/rk_live_ move real money, sk_test_/rk_test_ never do. */
export const stripeKeyModeOf = (key: string): StripeKeyMode => (/^(sk|rk)_live_/.test(key.trim()) ? 'live' : 'test');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const isStripeApi = (url: URL): boolean =>
  url.protocol === 'https:' && url.host === 'api.stripe.com' && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;

/** Null when the engine may send a key of this mode to `apiBase`, else the reason it may not. */
export function stripeApiBaseRefusal(apiBase: string, keyMode: StripeKeyMode | null): string | null {
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    return `"${apiBase.slice(0, 120)}" is not a URL; the Stripe API is ${STRIPE_API_BASE}`;
  }
  if (url.username || url.password) return `the Stripe API address may not carry a user name or password; use ${STRIPE_API_BASE}`;
  if (isStripeApi(url)) return null;
  const loopback = (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
  if (!loopback) return `the Stripe key is sent only to ${STRIPE_API_BASE} (or a simulator on this computer with a test key), not to ${url.origin}`;
  if (keyMode === 'live') return `a live Stripe key is sent only to ${STRIPE_API_BASE}, not to ${url.origin}`;
  return null;
}
