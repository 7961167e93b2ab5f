import type { BusinessDate } from '../time/business-date.js';

/**
 * The Sage 500 documents a posting plan asks for. Plans are data: the writer executes them
 * and nothing else decides what is written. Amounts are canonical decimal(15,3) text
 * ("-12.340", see money/sage-amount.ts) in the company's home currency, so a plan survives
 * a JSON round trip through the ledger exactly.
 */

/** A business rule that fired for a document and what it changed there (core/rules). */
export interface RuleEffect {
  rule: string;
  /** In words, e.g. "set revenue to 4000-20 (was 4000-00)"; empty when it changed nothing on this document. */
  changes: string[];
}

/** What the business rules did to a document; absent when no rule fired. */
export interface RuleTrail {
  rules?: RuleEffect[];
  /** The rule that skips the document: it is recorded as skipped by that rule and never written. */
  skippedByRule?: string;
}

export interface JournalLine {
  /** GL account number as the mapping names it (Sage strips the mask). */
  acctNo: string;
  /** Signed home-currency amount: debit positive, credit negative. */
  amount: string;
  /** Goes to tglJournalDetl.PostCmnt (varchar(50)). */
  comment: string;
  /** The Stripe balance transaction (or object) this amount comes from. */
  traceId: string;
}

export interface JournalDocument extends RuleTrail {
  type: 'journal';
  /** Deterministic, unique per document; also the cross-reference key in Sage. */
  key: string;
  postDate: BusinessDate;
  /** Stripe object the journal is for (goes to the xref row). */
  stripeObjectId: string;
  /** For people (preview, activity, reports); Sage's journal header has no description column. */
  description: string;
  lines: JournalLine[];
  /**
   * Present when Sage gets this money as an AR cash receipt in a pending AR batch instead of a
   * GL journal entry (docs/posting-rules.md "AR payments"). `lines` then say what Sage books when
   * a user posts the receipt (the clearing account debited with the gross), so payout tie-outs
   * and the balance proof count it like any journal; they are not written as journal lines.
   */
  arReceipt?: ArCashReceipt;
  /**
   * Present on a Stripe invoice's journal when the Stripe invoice collected a Sage invoice (its
   * custom fields, number, description or metadata name it; docs/posting-rules.md "AR
   * payments"): the journal is recorded as skipped, never written (the Sage invoice booked the
   * revenue), and the charge that paid it becomes an AR cash receipt to this target.
   */
  arCollection?: ArCollection;
  /**
   * Present when a Stripe-only sale becomes a pending AR invoice in Sage (docs/posting-rules.md
   * "AR invoices for Stripe sales"). `lines` say what Sage books when a user posts it (the
   * receivable debited, revenue credited as the GL journal would have), traced like the sale's
   * journal; they are not written as journal lines.
   */
  arInvoice?: ArInvoice;
  /**
   * Present on a Stripe invoice's journal when a charge that paid it booked the sale itself, in
   * GL or as an AR cash receipt (engine/sale-in-charge.ts): recorded as skipped with `note`, never
   * written; or, with `restOfSale`, written as the part of the invoice its charges did not book
   * (a customer balance, pre-payment credit notes, another charge). `chargeIds` lists every charge
   * whose GL journal booked part of the sale (absent: `chargeId` alone).
   */
  saleInCharge?: { chargeId: string; note: string; chargeIds?: string[]; restOfSale?: true };
  /**
   * Present on a payout's journal of creation that Sage's cross-reference already held, with none
   * of its lines pending or posted where the sync could read them (engine/one-step-payouts.ts):
   * recorded as written with its planned lines, and its arrival is parked with `note` when it
   * comes to be written, even runs later, until the user retries it.
   */
  unreadInSage?: { note: string };
}

/** A pending AR invoice for a Stripe sale that no Sage invoice covers; its payment is an AR cash receipt applied to it. */
export interface ArInvoice {
  /** The buyer in Sage (tarCustomer.CustID). */
  custId: string;
  /** Gross amount, home currency, canonical decimal(15,3) text: the invoice total. */
  amount: string;
  /** One invoice line per revenue credit of the sale's journal: the account it credits, the amount (positive), a description. */
  lines: { acctNo: string; amount: string; description: string }[];
  /** Goes to the invoice's TranCmnt where the site's invoice has that column. */
  comment: string;
}

/** Where the payment of a Stripe invoice that collected a Sage invoice goes in Sage AR. */
export interface ArCollection {
  custId: string;
  /** The Sage invoice, or null: on account (the user's decision). */
  applyTo: { invcKey: number; tranId: string } | null;
  partial: boolean;
  matchedBy: string;
}

/** An AR cash receipt from a Stripe payment, applied to a Sage invoice or left on account. */
export interface ArCashReceipt {
  /** The paying Sage customer (tarCustomer.CustID). */
  custId: string;
  /** Gross amount, home currency, canonical decimal(15,3) text. */
  amount: string;
  /** The receipt's cash account: the Stripe clearing account, so payouts clear it as before. */
  cashAcctNo: string;
  /** Goes to the receipt's TranCmnt (varchar(50)) where the site's receipt has that column. */
  comment: string;
  /** The Sage invoice it pays, or null: on account. A partial payment leaves the rest of the invoice open. */
  applyTo: { invcKey: number; tranId: string; amount: string } | null;
  /**
   * Instead of `applyTo`: the AR invoice this sync wrote for the same sale (its document key); the
   * writer finds its InvcKey in the cross-reference. Absent on every other receipt.
   */
  applyToOwnInvoice?: { docKey: string; amount: string };
  /** How the invoice was found, for people (core/ar/payment-match.ts). */
  matchedBy: string;
  /**
   * The Stripe invoice this receipt is the payment of, when its charge was planned as that
   * invoice's payment (the Stripe invoice collected a Sage invoice, or is an AR invoice of its own:
   * engine/ar-invoice-step.ts). Absent on a receipt planned
   * before any invoice payment named its charge: that receipt holds a sale of its own in Sage AR.
   */
  stripeInvoice?: string;
}

export interface CustomerDocument extends RuleTrail {
  type: 'customer';
  /**
   * Insert a new Sage customer (StgCustomer Action 1), or update the primary name, address and
   * contact of one this sync created (Action 2). Absent means insert: documents planned before
   * updates existed are stored without it.
   */
  action?: 'insert' | 'update';
  /** An update's base: the key of the written customer document whose Sage fields it changes. */
  basedOn?: string;
  key: string;
  stripeObjectId: string;
  /** Sage CustID, varchar(12); deterministic from the Stripe id. */
  custId: string;
  custName: string;
  custClassId: string;
  addrLines: string[];
  city: string | null;
  stateId: string | null;
  postalCode: string | null;
  countryId: string | null;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  /** What was shortened or moved to fit Sage's columns (core/customers/fit-customer-text.ts); absent when nothing was. */
  notes?: string[];
}

export interface SalesOrderLine {
  itemId: string;
  description: string;
  /** decimal(16,8) text. */
  quantity: string;
  unitPrice: string;
  extAmount: string;
}

export interface SalesOrderDocument extends RuleTrail {
  type: 'sales_order';
  key: string;
  stripeObjectId: string;
  custId: string;
  tranDate: BusinessDate;
  /** Goes to TranCmnt (varchar(50)). */
  comment: string;
  /** A business rule's warehouse for the order's lines; absent means the mapping's (the writer's default). */
  warehouseId?: string;
  lines: SalesOrderLine[];
}

export type SageDocument = JournalDocument | CustomerDocument | SalesOrderDocument;

export type SageDocumentType = SageDocument['type'];

/** A journal the GL journal writer writes (a pending GL journal in Sage): not an AR invoice or AR cash receipt, which have writers of their own. */
export function isGlJournal(doc: SageDocument): doc is JournalDocument {
  return doc.type === 'journal' && !doc.arReceipt && !doc.arInvoice;
}

/** Where a written document lives in Sage, as recorded in the cross-reference table. */
export interface SageRef {
  docKey: string;
  sageTable: string;
  sageKey: number;
  /** Human-facing number: batch/journal number, CustID or sales order TranNo. */
  sageNumber: string;
  batchKey: number | null;
}
