import type { ProfileLabelName } from '../../preload/contract.js';
import type { ProfileKind } from './profile-registry.js';
import type { StripeKeyMode } from './stripe-api-base.js';

/**
 * Which Stripe key a profile may use, by what its Sage company is marked.
 *
 * A live key in a profile marked test is refused, everywhere a key can enter (the wizard,
 * Settings, `s5sync secrets set`, the start of a run): real payments would be booked into a
 * practice company, and the sync would write that company's document numbers back into the
 * live Stripe account's metadata, where the live profile reads them. A finance user expects a
 * test company never to see real money, so this is a stop, not a warning.
 *
 * A test key in a profile marked live is allowed (trying the live company's mapping on test
 * payments before the real key arrives is a normal step) but never silently: the profile bar on
 * every screen, the tray tooltip and `s5sync profiles list` say "Live, test key".
 */

export function profileKeyRefusal(profile: { name: string; kind: ProfileKind | null }, keyMode: StripeKeyMode | null): string | null {
  if (profile.kind !== 'test' || keyMode !== 'live') return null;
  return `"${profile.name}" is a test profile (its Sage company is marked test): a live Stripe key is never used in it, so real payments never reach a test company. Use a test key (sk_test_ or rk_test_) here, or enter the live key in a live profile`;
}

/** How the window and CLI label the pair: what the company is and which key it is using. */
export function profileLabel(profile: { kind: ProfileKind | null }, demo: boolean, keyMode: StripeKeyMode | null): ProfileLabelName {
  if (demo) return 'demo';
  const kind = profile.kind ?? keyMode ?? 'live';
  if (kind === 'test') return 'test';
  return keyMode === 'test' ? 'live-test-key' : 'live';
}
