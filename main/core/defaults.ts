/** Defaults the config file, the window's settings, the engine and the demo share: one home each. */

/** Stripe requests per second per endpoint when the config does not set a rate (Stripe's limits: https://docs.stripe.com/rate-limits). */
export const DEFAULT_STRIPE_REQUESTS_PER_SECOND = 20;

/** The Sage company ID when none is configured. */
export const DEFAULT_SAGE_COMPANY_ID = 'SOA';

/** Minutes between scheduled syncs when the user has not chosen a schedule. */
export const DEFAULT_POLL_INTERVAL_MINUTES = 5;
