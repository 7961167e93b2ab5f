/**
 * Main lists Stripe records it could not plan (no Sage document exists yet) under the key
 * `object:<Stripe id>` (main/app/planning-problems.ts): they can be retried, which plans them
 * again, but there is nothing to skip.
 */
export const PLANNING_KEY_PREFIX = 'object:';
