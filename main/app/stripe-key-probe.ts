import type { StripeKeyProbeView } from '../../preload/contract.js';
import { LIST_SPECS } from '../core/engine/list-specs.js';
import { StripeAuthError, StripeRateLimitError, StripeTransientError, type StripeApi, type StripeListPath } from '../core/ports/stripe-api.js';

/**
 * The wizard's Stripe key test: what kind of key it is (test or live, secret or restricted),
 * which account it opens, and, for a restricted key, which of the resources the sync reads it
 * may not read. Stripe has no endpoint that lists a key's permissions: a restricted key without
 * one is refused with HTTP 403 on that endpoint only ("does not have the required permissions
 * for this endpoint … Having the 'rak_charge_read' permission would allow this request to
 * continue", https://docs.stripe.com/keys/restricted-api-keys), so every endpoint the engine
 * reads is asked for one object.
 */

/** Every read the engine makes, with the row of the Dashboard's restricted-key form that allows it. */
export const STRIPE_READS: readonly { endpoint: string; resource: string; path: StripeListPath | 'balance' }[] = [
  { endpoint: 'GET /v1/events', resource: 'Events', path: 'events' },
  { endpoint: 'GET /v1/balance_transactions', resource: 'Balance transaction sources', path: 'balance_transactions' },
  { endpoint: 'GET /v1/balance', resource: 'Balance', path: 'balance' },
  { endpoint: 'GET /v1/charges', resource: 'Charges', path: 'charges' },
  { endpoint: 'GET /v1/refunds', resource: 'Refunds', path: 'refunds' },
  { endpoint: 'GET /v1/disputes', resource: 'Disputes', path: 'disputes' },
  { endpoint: 'GET /v1/payouts', resource: 'Payouts', path: 'payouts' },
  { endpoint: 'GET /v1/customers', resource: 'Customers', path: 'customers' },
  { endpoint: 'GET /v1/invoices', resource: 'Invoices', path: 'invoices' },
  { endpoint: 'GET /v1/invoice_payments', resource: 'Invoices (invoice payments)', path: 'invoice_payments' },
  { endpoint: 'GET /v1/credit_notes', resource: 'Credit notes', path: 'credit_notes' },
  { endpoint: 'GET /v1/products', resource: 'Products', path: 'products' },
];

/**
 * Each list is asked with the expansions the engine sends (list-specs.ts), so a permission an
 * expansion needs shows here rather than in the first sync: charges come with their
 * PaymentIntent, which a key without Read on PaymentIntents may not expand.
 */
const expansionsOf = (path: StripeListPath): string[] => Object.values(LIST_SPECS).find((spec) => spec.path === path)?.expand ?? [];

/** The Dashboard's row for a permission an expansion needs, named in Stripe's 403. */
const EXPANDED_RESOURCES: Record<string, string> = { rak_payment_intent_read: 'PaymentIntents' };

const KEY_SHAPE = /^(sk|rk)_(test|live)_[A-Za-z0-9]+$/;
const WRITE_BACK_NOTE =
  'Writing the Sage document number back to Stripe needs Write on Customers, Charges, Invoices, Payouts and Refunds; it is not tested here because testing it would change a Stripe record.';

type ProbeResult = Omit<StripeKeyProbeView, 'saved'>;

const failed = (title: string, detail: string, fix: string, known: Partial<ProbeResult> = {}): ProbeResult => ({
  passed: false,
  mode: null,
  restricted: false,
  accountName: null,
  missingPermissions: [],
  warnings: [],
  ...known,
  problem: { title, detail, fix },
});

/** The `rak_…` (or newer `('…')`) permission name in Stripe's 403 message, when it names one. */
export function permissionNamed(message: string): string | null {
  return /Having the '([a-z_]+)' permission/.exec(message)?.[1] ?? /\('([a-z_]+)'\) permissions?/.exec(message)?.[1] ?? null;
}

/** A key of the wrong kind is refused before anything is sent to Stripe. */
function keyShapeProblem(key: string): ProbeResult | null {
  if (KEY_SHAPE.test(key)) return null;
  if (/^pk_(test|live)_/.test(key)) {
    return failed('This is a publishable key', 'A publishable key (pk_…) can only be used in a web page; it cannot read payments.', 'In the Stripe Dashboard, open Developers → API keys and create a restricted key (rk_…).');
  }
  if (/^whsec_/.test(key)) {
    return failed('This is a webhook signing secret', 'A webhook secret (whsec_…) cannot read Stripe.', 'In the Stripe Dashboard, open Developers → API keys and create a restricted key (rk_…).');
  }
  return failed(
    'This is not a Stripe API key',
    'Stripe keys start with rk_live_, rk_test_, sk_live_ or sk_test_ followed by letters and digits, with no spaces.',
    'Copy the key again from the Stripe Dashboard (Developers → API keys), using its copy button.',
  );
}

function unreachable(error: unknown): ProbeResult | null {
  if (error instanceof StripeTransientError) {
    return failed('Cannot reach Stripe', error.message, 'Check that this PC is online and that a firewall or proxy lets it reach api.stripe.com over HTTPS, then test again.');
  }
  if (error instanceof StripeRateLimitError) {
    return failed('Stripe asked us to slow down', error.message, 'Wait a minute and test again.');
  }
  return null;
}

export async function probeStripeKey(key: string, stripe: Pick<StripeApi, 'account' | 'list' | 'balance'>): Promise<ProbeResult> {
  const shape = keyShapeProblem(key);
  if (shape) return shape;
  const mode = key.includes('_live_') ? 'live' : 'test';
  const restricted = key.startsWith('rk_');
  const known = { mode, restricted } as const;
  let accountName: string | null = null;
  try {
    const account = await stripe.account();
    accountName = account.displayName ?? account.id;
  } catch (error) {
    const offline = unreachable(error);
    if (offline) return { ...offline, ...known };
    if (error instanceof StripeAuthError && error.status === 401) {
      return failed('Stripe does not accept this key', 'Stripe answered that the key is not valid: it may have been deleted, rolled or mistyped.', 'Create a new restricted key in the Stripe Dashboard (Developers → API keys) and paste it here.', known);
    }
    // A restricted key may not read the account itself (a 403); the reads below still tell whether it works.
    if (!(error instanceof StripeAuthError)) throw error;
  }
  const missingPermissions: StripeKeyProbeView['missingPermissions'] = [];
  for (const read of STRIPE_READS) {
    try {
      if (read.path === 'balance') await stripe.balance();
      else await stripe.list(read.path, { limit: 1, expand: expansionsOf(read.path) });
    } catch (error) {
      const offline = unreachable(error);
      if (offline) return { ...offline, ...known, accountName };
      if (!(error instanceof StripeAuthError)) throw error;
      if (error.status === 401) {
        return failed('Stripe does not accept this key', error.message, 'Create a new restricted key in the Stripe Dashboard and paste it here.', { ...known, accountName });
      }
      const permission = permissionNamed(error.message);
      missingPermissions.push({ resource: (permission && EXPANDED_RESOURCES[permission]) ?? read.resource, permission, endpoint: read.endpoint });
    }
  }
  const warnings = restricted ? [WRITE_BACK_NOTE] : ['This is a secret key with full access to your Stripe account; a restricted key (Read on the resources above, Write only where the Sage number is written back) is safer.'];
  if (missingPermissions.length > 0) {
    const names = missingPermissions.map((missing) => missing.resource).join(', ');
    return {
      ...failed(
        `The key may not read ${names}`,
        `This restricted key is missing Read permission on: ${names}. Without it the sync cannot see that Stripe activity.`,
        'In the Stripe Dashboard open Developers → API keys, edit the restricted key, set each resource listed to Read, save, and test again.',
        { ...known, accountName, missingPermissions },
      ),
      warnings,
    };
  }
  return { passed: true, ...known, accountName, missingPermissions, warnings, problem: null };
}
