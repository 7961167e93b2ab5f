import type { Mapping } from '../mapping/mapping.js';
import { SageWriteError, type CustomerQuery, type SageCustomerMatch, type SageTarget } from '../ports/sage-target.js';
import type { AnySyncedObject, StripeCustomer } from '../stripe/objects.js';

/**
 * The Sage customers a plan-pass page's Stripe customers resolve to (customer-resolution.ts),
 * asked of Sage in one batch per kind of key instead of one round trip per customer: at the
 * page's first look-up by CustID, the CustIDs all its customers' metadata names; at its first
 * look-up by e-mail, the e-mails of all those the CustIDs did not find. A page whose customers
 * need no look-up (updates of customers we created, customers a rule skips) asks nothing, so a
 * run that needs nothing from Sage still never opens it (sage-when-needed.ts). A query not asked
 * ahead (a rule that changed the customer's mapping, a batch Sage refused) is asked alone, so
 * each answer is the single look-up's, as of the batch rather than of its customer's turn
 * (planning writes nothing to Sage, and no write pass runs during a plan pass: early customers
 * are planned whole before they are written, sync-engine.ts).
 */
export class PageCustomerLookups {
  private customers: StripeCustomer[] = [];
  private mapping: Mapping | null = null;
  private byCustId: Map<string, SageCustomerMatch | null> | null = null;
  private byEmail: Map<string, SageCustomerMatch | null> | null = null;

  constructor(private readonly sage: SageTarget) {}

  /** Forgets the previous page; this page's customers are looked up as resolveCustomer would with `mapping`. */
  startPage(objects: readonly AnySyncedObject[], mapping: Mapping): void {
    this.customers = objects.filter((object): object is StripeCustomer => object.object === 'customer');
    this.mapping = mapping;
    this.byCustId = null;
    this.byEmail = null;
  }

  /** The page's answer when it holds one, else Sage's. */
  async findCustomer(query: CustomerQuery): Promise<SageCustomerMatch | null> {
    const known = query.custId ? (await this.custIdAnswers()).get(query.custId) : query.email ? (await this.emailAnswers()).get(query.email) : undefined;
    return known !== undefined ? known : this.sage.findCustomer(query);
  }

  /** Only text: a customer whose metadata value is anything else gets its own error from resolveCustomer, not the whole page. */
  private metadataCustId(customer: StripeCustomer): string | null {
    const value: unknown = customer.metadata?.[this.mapping!.customers.metadataKey];
    return typeof value === 'string' ? value.trim() || null : null;
  }

  private async custIdAnswers(): Promise<Map<string, SageCustomerMatch | null>> {
    this.byCustId ??= await this.ask(distinct(this.customers.map((customer) => this.metadataCustId(customer))), (custId) => ({ custId }));
    return this.byCustId;
  }

  private async emailAnswers(): Promise<Map<string, SageCustomerMatch | null>> {
    if (this.byEmail) return this.byEmail;
    const byCustId = await this.custIdAnswers();
    const unmatched = this.customers.filter((customer) => {
      const custId = this.metadataCustId(customer);
      return custId === null || byCustId.get(custId) === null;
    });
    // Only text: resolveCustomer refuses any other e-mail before asking Sage.
    const emails = this.mapping!.customers.matchByEmail ? unmatched.map((customer) => (typeof customer.email === 'string' && customer.email ? customer.email : null)) : [];
    this.byEmail = await this.ask(distinct(emails), (email) => ({ email }));
    return this.byEmail;
  }

  /** Empty when Sage could not answer: each customer then asks alone and gets its own outcome (an error of its own, a wait). */
  private async ask(keys: readonly string[], query: (key: string) => CustomerQuery): Promise<Map<string, SageCustomerMatch | null>> {
    const answers = new Map<string, SageCustomerMatch | null>();
    if (keys.length === 0) return answers;
    let found: (SageCustomerMatch | null)[];
    try {
      found = await this.sage.findCustomers(keys.map(query));
    } catch (error) {
      if (error instanceof SageWriteError) return answers;
      throw error;
    }
    keys.forEach((key, index) => {
      const answer = found[index];
      if (answer !== undefined) answers.set(key, answer);
    });
    return answers;
  }
}

function distinct(keys: readonly (string | null)[]): string[] {
  return [...new Set(keys.filter((key): key is string => key !== null))];
}
