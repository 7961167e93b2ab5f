import { z } from 'zod';

/**
 * The business rules (docs/posting-rules.md, "Rules"): an ordered list kept in the mapping, so
 * every saved change is a new mapping version and re-plans the documents not yet written. Each
 * rule has conditions on the Stripe data of an object (all must hold) and actions on the
 * documents planned for it. Every object here is strict: a misspelt key is refused by name.
 */

/**
 * Where a metadata condition or a segment look-up reads: the object itself or a related one.
 * `payment_intent` is the charge's PaymentIntent (a refund's and a dispute's too: their
 * charge's); `product` the product of an invoice line, read line by line (rule-lines.ts).
 */
export const METADATA_SOURCES = ['object', 'charge', 'payment_intent', 'customer', 'invoice', 'product'] as const;
export type MetadataSource = (typeof METADATA_SOURCES)[number];

/** The object kinds rules see. Payouts are not among them: a payout is the bank's, not a sale's. */
export const RULE_OBJECT_KINDS = ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'customer', 'balance_transaction'] as const;
export type RuleObjectKind = (typeof RULE_OBJECT_KINDS)[number];

/**
 * Mapped accounts a rule may change. The clearing and bank accounts are not among them: the
 * payout tie-out and the balance proof count one clearing account, and the bank is a payout's.
 */
export const RULE_ACCOUNT_ROLES = [
  'revenue',
  'refunds',
  'receivable',
  'salesTax',
  'fees',
  'disputes',
  'disputeFees',
  'adjustments',
  'reserve',
  'suspense',
  'customerCredits',
  'badDebt',
] as const;
export type RuleAccountRole = (typeof RULE_ACCOUNT_ROLES)[number];

const text = (label: string, max: number) => z.string().trim().min(1, `enter ${label}`).max(max, `${label} has at most ${max} characters`);
const acctNo = text('a GL account number', 100);
const metadataKey = z.string().trim().min(1, 'enter a metadata key').max(40, 'Stripe metadata keys have at most 40 characters');
const decimal = z.string().trim().regex(/^\d{1,12}(\.\d{1,3})?$/, 'write an amount such as 100 or 99.95');
const listOf = (label: string) => z.array(text(label, 100)).min(1, `name at least one ${label}`);

export const conditionSchema = z.discriminatedUnion('field', [
  z.strictObject({ field: z.literal('objectKind'), in: z.array(z.enum(RULE_OBJECT_KINDS)).min(1, 'name at least one kind of object') }),
  z.strictObject({ field: z.literal('balanceTransactionType'), in: listOf('balance transaction type') }),
  z.strictObject({ field: z.literal('reportingCategory'), in: listOf('reporting category') }),
  z.strictObject({
    field: z.literal('metadata'),
    on: z.enum(METADATA_SOURCES),
    key: metadataKey,
    op: z.enum(['equals', 'contains', 'exists']),
    /** Required for equals and contains. */
    value: z.string().max(500, 'Stripe metadata values have at most 500 characters').optional(),
  }),
  z.strictObject({ field: z.literal('product'), in: listOf('Stripe product id') }),
  z.strictObject({ field: z.literal('price'), in: listOf('Stripe price id') }),
  z.strictObject({ field: z.literal('paymentMethodType'), in: listOf('payment method type') }),
  z.strictObject({ field: z.literal('cardBrand'), in: listOf('card brand') }),
  z.strictObject({ field: z.literal('presentmentCurrency'), in: z.array(z.string().trim().regex(/^[a-zA-Z]{3}$/, 'use three-letter currency codes')).min(1, 'name at least one currency') }),
  z.strictObject({ field: z.literal('customerCountry'), in: z.array(z.string().trim().regex(/^[a-zA-Z]{2}$/, 'use two-letter country codes (ISO 3166)')).min(1, 'name at least one country') }),
  /** The object's amount in its own (presentment) currency, in major units: at least `atLeast`, below `below`. */
  z.strictObject({ field: z.literal('amount'), atLeast: decimal.optional(), below: decimal.optional() }),
  /** `contains`: case-insensitive text; `pattern`: the whole description, `*` any text and `?` one character. */
  z.strictObject({ field: z.literal('description'), op: z.enum(['contains', 'pattern']), value: text('the text', 200) }),
  z.strictObject({ field: z.literal('livemode'), equals: z.boolean() }),
]);

export const actionSchema = z.discriminatedUnion('action', [
  /** Every line the mapping would book on `role` (for fees: of `feeType`, or of every type) goes to `account`. */
  z.strictObject({ action: z.literal('account'), role: z.enum(RULE_ACCOUNT_ROLES), feeType: text('a fee type', 60).optional(), account: acctNo }),
  /**
   * Replaces segment number `segment` (1 is the first, segments are separated by "-") of the
   * accounts of `roles` with the value the lookup table gives for a metadata value, else `default`.
   */
  z.strictObject({
    action: z.literal('segment'),
    roles: z.array(z.enum(RULE_ACCOUNT_ROLES)).min(1, 'name at least one account'),
    segment: z.number().int().min(1, 'segments are counted from 1').max(10, 'an account has at most 10 segments'),
    from: z.strictObject({ on: z.enum(METADATA_SOURCES), key: metadataKey }),
    values: z.record(z.string(), text('a segment value', 15)),
    default: text('a default segment value', 15),
  }),
  /** New Sage customers get this class and/or CustID prefix. */
  z.strictObject({
    action: z.literal('customer'),
    custClassId: text('a customer class ID', 12).optional(),
    idPrefix: z.string().trim().regex(/^[A-Z0-9]{1,4}$/, 'use 1 to 4 capital letters or digits').optional(),
  }),
  /** Sales order lines get this item and/or warehouse. */
  z.strictObject({ action: z.literal('salesOrder'), itemId: text('an item ID', 30).optional(), warehouseId: text('a warehouse ID', 6).optional() }),
  /**
   * Books nothing of the object: a journal through clearing keeps only its clearing line,
   * against `account` (the mapping's suspense account when absent), so clearing still equals
   * Stripe's balance; every other document is recorded as skipped by the rule.
   */
  z.strictObject({ action: z.literal('skip'), account: acctNo.optional() }),
  /** Put in front of every journal line comment (Sage PostCmnt holds 50 characters). */
  z.strictObject({ action: z.literal('comment'), text: text('the comment', 40) }),
]);

export const ruleSchema = z.strictObject({
  name: text('a rule name', 60),
  enabled: z.boolean().default(true),
  when: z.array(conditionSchema),
  then: z.array(actionSchema).min(1, 'give the rule at least one action'),
});

export const rulesSchema = z.array(ruleSchema);

export type RuleCondition = z.infer<typeof conditionSchema>;
export type RuleAction = z.infer<typeof actionSchema>;
export type Rule = z.infer<typeof ruleSchema>;
