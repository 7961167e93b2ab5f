import type { RejectedStripeObject } from '../ports/stripe-api.js';
import type { Ledger } from '../ports/ledger.js';
import { quoted } from '../text/quoted.js';
import type { EngineEvent } from './engine-events.js';

/**
 * An object Stripe sent in a shape the engine cannot read (no id, no `created`, an amount that
 * is not an integer) is parked as a data issue on that record, named by its id (or by a name
 * derived from its content when it has none): it shows in `s5sync errors`, nothing is booked
 * for it, and the rest of its page goes on. When Stripe later sends it readable, planning it
 * clears the issue.
 */
export function parkInvalidObjects(ledger: Ledger, emit: (event: EngineEvent) => void, rejected: readonly RejectedStripeObject[]): void {
  ledger.inTransaction(() => {
    for (const object of rejected) {
      ledger.objects.setObjectIssue({
        objectId: object.key,
        errorClass: 'data',
        message: `Stripe sent this object (GET /v1/${object.path}) in a shape Stripe Sync cannot read: ${object.reason}; nothing is booked for it until Stripe sends it complete`,
      });
    }
  });
  emit({
    type: 'warning',
    code: 'stripe-invalid-object',
    message: `${rejected.length} object(s) from Stripe could not be read and were parked (first: ${quoted(rejected[0]?.key ?? '')}); see s5sync errors`,
  });
}
