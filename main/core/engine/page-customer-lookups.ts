import type { Mapping } from '../mapping/mapping.js';
import { SageWriteError, type CustomerQuery, type SageCustomerMatch, type SageTarget } from '../ports/sage-target.js';
import type { AnySyncedObject, StripeCustomer } from '../stripe/objects.js';

/**
 * The Sage customers a plan-pass page's Stripe customers resolve to (customer-resolution.ts),
 * asked of Sage in one batch per kind of key when the page starts instead of one round trip per
 * customer: first the CustIDs their metadata names, then the e-mails of those it did not find.
 * A query not asked ahead (a rule that changed the customer's mapping, a batch that failed) is
 * asked alone, so each answer is still the single look-up's, as of the page's start rather than
 * of its customer's turn (planning writes nothing to Sage; the write pass beside it only creates
 * customers planned earlier).
 */
export class PageCustomerLookups {
  private readonly byCustId = new Map<string, SageCustomerMatch | null>();
  private readonly byEmail = new Map<string, SageCustomerMatch | null>();

  constructor(private readonly sage: SageTarget) {}

  /** Forgets the previous page and asks Sage for this page's customers, as resolveCustomer would with `mapping`. */
  async startPage(objects: readonly AnySyncedObject[], mapping: Mapping): Promise<void> {
    this.byCustId.clear();
    this.byEmail.clear();
    const customers = objects.filter((object): object is StripeCustomer => object.object === 'customer');
    const custIds = distinct(customers.map((customer) => customer.metadata?.[mapping.customers.metadataKey]?.trim() || null));
    if (!(await this.ask(custIds.map((custId) => ({ custId })), custIds, this.byCustId))) return;
    if (!mapping.customers.matchByEmail) return;
    const unmatched = customers.filter((customer) => {
      const custId = customer.metadata?.[mapping.customers.metadataKey]?.trim();
      return !custId || this.byCustId.get(custId) === null;
    });
    // Only text: resolveCustomer refuses any other e-mail before asking Sage.
    const emails = distinct(unmatched.map((customer) => (typeof customer.email === 'string' && customer.email ? customer.email : null)));
    await this.ask(emails.map((email) => ({ email })), emails, this.byEmail);
  }

  /** The page's answer when it was asked ahead, else Sage's. */
  async findCustomer(query: CustomerQuery): Promise<SageCustomerMatch | null> {
    const known = query.custId ? this.byCustId.get(query.custId) : query.email ? this.byEmail.get(query.email) : undefined;
    return known !== undefined ? known : this.sage.findCustomer(query);
  }

  /** False when Sage could not answer: each customer then asks alone and gets its own outcome (an error of its own, a wait). */
  private async ask(queries: CustomerQuery[], keys: readonly string[], answers: Map<string, SageCustomerMatch | null>): Promise<boolean> {
    if (queries.length === 0) return true;
    let found: (SageCustomerMatch | null)[];
    try {
      found = await this.sage.findCustomers(queries);
    } catch (error) {
      if (error instanceof SageWriteError) return false;
      throw error;
    }
    keys.forEach((key, index) => {
      const answer = found[index];
      if (answer !== undefined) answers.set(key, answer);
    });
    return true;
  }
}

function distinct(keys: readonly (string | null)[]): string[] {
  return [...new Set(keys.filter((key): key is string => key !== null))];
}
