import type { Mapping } from '../mapping/mapping.js';
import type { DocumentState } from '../engine/engine-events.js';
import { PlanningError } from '../posting/planning-error.js';
import type { CustomerDocument } from '../sage/documents.js';
import type { StripeCustomer } from '../stripe/objects.js';
import { customerDocument } from './customer-plan.js';
import { NO_UNICODE_FIELDS } from './code-page-text.js';
import { fnv1a64 } from './text-digest.js';

/**
 * Keeps a Sage customer this sync created in step with Stripe through Sage's own API
 * (StgCustomer with Action = 2). Each update names the written document it changes
 * (`basedOn`), so the written documents form a chain from the insert to what Sage holds now,
 * and its key is a digest of that base and the new fields: a retry after a crash plans the
 * same key (idempotent), while a second change, or a change back to earlier values, gets a
 * new one. Changes Sage does not hold (metadata, our own CustID write-back) plan nothing.
 */

export interface CustomerDocumentState {
  document: CustomerDocument;
  state: DocumentState;
}

/** The written customer document whose fields Sage holds now, or null when the insert is not written. */
export function currentSageCustomer(documents: readonly CustomerDocumentState[]): CustomerDocument | null {
  const written = documents.filter((stored) => stored.state === 'written').map((stored) => stored.document);
  let current = written.find((document) => document.action !== 'update') ?? null;
  while (current) {
    const base: CustomerDocument = current;
    const next = written.find((document) => document.action === 'update' && document.basedOn === base.key);
    if (!next) return current;
    current = next;
  }
  return null;
}

/**
 * The update that brings `current` (what Sage holds) to the Stripe customer, or nothing when
 * no field Sage holds changed. The class is not re-applied: it stays as the customer was created.
 */
export function planCustomerUpdate(
  customer: StripeCustomer,
  current: CustomerDocument,
  mapping: Mapping,
  unicodeFields: ReadonlySet<string> = NO_UNICODE_FIELDS,
): CustomerDocument[] {
  if (customer.deleted) return [];
  const wanted = customerDocument(customer, current.custId, mapping, unicodeFields);
  if (changedFields(current, wanted).length === 0) return [];
  const fields = {
    custId: current.custId,
    custName: wanted.custName,
    custClassId: current.custClassId,
    addrLines: wanted.addrLines,
    city: wanted.city,
    stateId: wanted.stateId,
    postalCode: wanted.postalCode,
    countryId: wanted.countryId,
    contactName: wanted.contactName,
    email: wanted.email,
    phone: wanted.phone,
  };
  const digest = fnv1a64(JSON.stringify([current.key, fields])).toString(36);
  return [
    {
      type: 'customer',
      action: 'update',
      basedOn: current.key,
      key: `${customer.id}:customer-update:${digest}`,
      stripeObjectId: customer.id,
      ...fields,
      ...(wanted.notes ? { notes: wanted.notes } : {}),
    },
  ];
}

/** Names of the Sage-held field groups that differ, e.g. ['email', 'address']. */
export function changedFields(before: CustomerDocument, after: CustomerDocument): string[] {
  return CUSTOMER_FIELDS.filter((field) => field.values(before) !== field.values(after)).map((field) => field.label);
}

const CUSTOMER_FIELDS: readonly { label: string; values(document: CustomerDocument): string }[] = [
  { label: 'name', values: (document) => JSON.stringify([document.custName, document.contactName]) },
  { label: 'email', values: (document) => JSON.stringify([document.email]) },
  { label: 'phone', values: (document) => JSON.stringify([document.phone]) },
  {
    label: 'address',
    values: (document) => JSON.stringify([document.addrLines, document.city, document.stateId, document.postalCode, document.countryId]),
  },
];

/** An update still being written (interrupted run): the next one must be based on its outcome. */
export function assertNoUpdateInFlight(customerId: string, documents: readonly CustomerDocumentState[]): void {
  const writing = documents.find((stored) => stored.state === 'writing' && stored.document.action === 'update');
  if (writing) {
    throw new PlanningError('waiting', `the Sage update ${writing.document.key} of customer ${customerId} is still being written; the next change follows once it is settled`);
  }
}
