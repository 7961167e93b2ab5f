import { z } from 'zod';
import { isValidTimeZone } from '../time/business-date.js';
import { schemaProblems } from '../validation/schema-problems.js';
import { rulesSchema } from '../rules/rule-schema.js';
import { ruleAccounts, ruleProblems } from '../rules/rule-validation.js';

/**
 * The mapping: every business rule a bookkeeper may change without code. One versioned
 * document, validated as a whole so every problem is reported at once in plain words. The
 * version of the mapping that planned a document is stored with the document.
 */

const acctNo = z
  .string()
  .trim()
  .min(1, 'enter a GL account number')
  .max(100, 'a Sage GL account number has at most 100 characters');

const sageId = (label: string, max: number) =>
  z.string().trim().min(1, `enter ${label}`).max(max, `${label} has at most ${max} characters in Sage`);

/** Accounts added after mappings were first saved: a mapping saved earlier uses these (the default chart's). */
export const DEFAULT_RESERVE_ACCOUNT = '1060-00';
export const DEFAULT_SUSPENSE_ACCOUNT = '1990-00';
export const DEFAULT_PAYOUTS_IN_TRANSIT_ACCOUNT = '1020-00';

export const mappingSchema = z.strictObject({
  accounts: z.strictObject({
    /** Where Stripe money sits between a sale and its payout. Must not be the bank account. */
    clearing: acctNo,
    /** The bank account payouts arrive in. */
    bank: acctNo,
    /**
     * Payouts Stripe has taken from the balance that have not reached the bank yet: a payout
     * moves here from clearing when Stripe creates it and on to the bank on its arrival date
     * (back to clearing if it fails), so clearing equals Stripe's balance to the cent and this
     * account equals the payouts in transit. An asset; mappings saved before it existed use the
     * default chart's.
     */
    payoutsInTransit: acctNo.default(DEFAULT_PAYOUTS_IN_TRANSIT_ACCOUNT),
    /** Default revenue for charges and invoice lines without a more specific rule. */
    revenue: acctNo,
    /** Refunds (contra revenue). */
    refunds: acctNo,
    /** Sales tax collected on invoices. */
    salesTax: acctNo,
    /** Invoice receivable: invoices are booked here when paid through Stripe and cleared by the charge. */
    receivable: acctNo,
    /** Stripe fees by fee_details type; "default" catches types not listed. */
    fees: z.record(z.string(), acctNo).refine((fees) => 'default' in fees, 'fees needs a "default" account'),
    /** Chargebacks lost (dispute amount) and their reversal when won. */
    disputes: acctNo,
    /** Dispute fees Stripe charges. */
    disputeFees: acctNo,
    /** Account adjustments and anything else Stripe moves that is not a sale. */
    adjustments: acctNo,
    /**
     * Money Stripe holds back from the balance (reserve holds and releases, reserved funds):
     * still the company's, so an asset. Mappings saved before it existed use the default chart's.
     */
    reserve: acctNo.default(DEFAULT_RESERVE_ACCOUNT),
    /**
     * Balance transactions of a type this version has no rule for land here, each with a
     * warning on the record, so nothing is dropped or guessed (docs/posting-rules.md).
     */
    suspense: acctNo.default(DEFAULT_SUSPENSE_ACCOUNT),
    /**
     * The other side of the opening-balance journal at go-live (what Stripe held at the cutover,
     * engine/opening-balance.ts): by default suspense, for the bookkeeper to reclassify against
     * wherever the hand-keyed books held the Stripe money.
     */
    openingBalanceOffset: acctNo.default(DEFAULT_SUSPENSE_ACCOUNT),
    /** Customer balance / credit notes settled out of band. */
    customerCredits: acctNo,
    /** Invoices marked uncollectible. */
    badDebt: acctNo,
  }),
  /** Revenue account per Stripe product id (invoice lines); lines without a rule use accounts.revenue. */
  productRevenue: z.record(z.string(), acctNo),
  /** Sage item per Stripe product id, for sales orders. */
  productItems: z.record(z.string(), sageId('an item ID', 30)),
  customers: z.strictObject({
    /** Prefix of generated Sage CustIDs; with the id digits it fits varchar(12). */
    idPrefix: z.string().trim().regex(/^[A-Z0-9]{1,4}$/, 'use 1 to 4 capital letters or digits'),
    custClassId: sageId('a customer class ID', 12),
    /** Metadata key on the Stripe customer that holds its Sage CustID. */
    metadataKey: z.string().trim().min(1).max(40, 'Stripe metadata keys have at most 40 characters'),
    matchByEmail: z.boolean(),
    createMissing: z.boolean(),
    /**
     * Text longer than its Sage column: "fit" shortens and moves it with a note on the record,
     * "park" stops the customer with a data error instead (core/customers/fit-customer-text.ts).
     */
    longText: z.enum(['fit', 'park']).default('fit'),
  }),
  salesOrders: z.strictObject({
    enabled: z.boolean(),
    defaultItemId: sageId('a default item ID', 30),
    warehouseId: sageId('a warehouse ID', 6),
  }),
  /**
   * Stripe payments as AR cash receipts applied to Sage invoices (core/ar, docs/posting-rules.md
   * "AR payments"). Takes effect only on a site that captured, checked and rehearsed a cash
   * receipt (docs/sage-setup.md); mappings saved before it existed have it off.
   */
  arPayments: z
    .strictObject({
      enabled: z.boolean(),
      /** Stripe metadata key on the payment that holds the Sage invoice number. */
      metadataKey: z.string().trim().min(1).max(40, 'Stripe metadata keys have at most 40 characters'),
      /** A payment that matches no invoice, from a customer known in Sage: on account, or GL only as without AR. */
      unmatched: z.enum(['gl', 'on-account']),
      /**
       * An unmatched payment of a customer known in Sage becomes a pending AR invoice with the
       * payment applied (core/ar/ar-invoice-plan.ts, docs/posting-rules.md "AR invoices for Stripe
       * sales"), on a site that also proved its AR invoice; mappings saved before it have it off.
       */
      invoicesForStripeSales: z.boolean().default(false),
    })
    .default({ enabled: false, metadataKey: 'sage_invoice', unmatched: 'gl', invoicesForStripeSales: false }),
  /** IANA time zone of the company; Stripe times become local business dates in it. */
  timeZone: z.string().refine(isValidTimeZone, 'is not a time zone this computer knows (e.g. America/Chicago)'),
  /** One journal per Stripe transaction, or one summary journal per day and kind. */
  granularity: z.enum(['per-transaction', 'daily-summary']),
  /** Sage GL journal the entries go to. */
  journalId: sageId('a journal ID', 3),
  /** The company's home currency; Stripe settlement currency must match it. */
  homeCurrency: z.string().regex(/^[a-z]{3}$/, 'use a three-letter currency code in lower case'),
  /**
   * The business rules, in order (core/rules, docs/posting-rules.md "Rules"). Absent in
   * mappings saved before rules existed, which therefore keep their version.
   */
  rules: rulesSchema.optional(),
});

export type Mapping = z.infer<typeof mappingSchema>;

export interface MappingProblem {
  path: string;
  message: string;
}

export type MappingCheck = { ok: true; mapping: Mapping } | { ok: false; problems: MappingProblem[] };

export function validateMapping(input: unknown): MappingCheck {
  const parsed = mappingSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: schemaProblems(mappingSchema, input, parsed.error.issues, '(mapping)') };
  }
  const problems = crossFieldProblems(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, mapping: parsed.data };
}

/** Rules one field alone cannot express: the classic misconfiguration is clearing = bank. */
function crossFieldProblems(mapping: Mapping): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (mapping.accounts.clearing === mapping.accounts.bank) {
    problems.push({
      path: 'accounts.clearing',
      message: 'the Stripe clearing account must not be the bank account, or payouts would be counted twice',
    });
  }
  if (mapping.accounts.payoutsInTransit === mapping.accounts.clearing || mapping.accounts.payoutsInTransit === mapping.accounts.bank) {
    problems.push({
      path: 'accounts.payoutsInTransit',
      message: 'the payouts-in-transit account must be an account of its own (not the clearing or bank account), or a payout would cancel itself out when Stripe creates it',
    });
  }
  if (mapping.accounts.clearing === mapping.accounts.revenue) {
    problems.push({ path: 'accounts.clearing', message: 'the clearing account must not be the revenue account' });
  }
  problems.push(...ruleProblems(mapping.rules ?? [], mapping));
  return problems;
}

/** Every GL account number the mapping (and its rules) can book on, for the preflight check. */
export function mappedAccounts(mapping: Mapping): string[] {
  const accounts = new Set<string>([
    ...Object.entries(mapping.accounts).flatMap(([, value]) => (typeof value === 'string' ? [value] : Object.values(value))),
    ...Object.values(mapping.productRevenue),
    ...ruleAccounts(mapping),
  ]);
  return [...accounts].sort();
}
