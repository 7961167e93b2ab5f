/**
 * The AR part of the crash campaign (issue #21): the same Sage site on the reference and the
 * crashed side, proved for AR cash receipts the way a partner proves it (a receipt keyed by
 * hand, `s5sync capture cash-receipt`, `check`, `check --rehearse`), Sage invoices posted for
 * three customers the sync wrote, and on every simulated day the same Stripe payments carrying
 * those invoice numbers on both simulators: by metadata, in the description, by exact open
 * balance, partial, on account, one the user must confirm (decided a day later) and a refund.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { ArConfirmationFile } from '../../main/adapters/ar/ar-confirmation-file.js';
import { main } from '../../main/cli/s5sync.js';
import type { StripeCharge } from '../../main/core/stripe/objects.js';
import type { StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { keyCashReceiptByHand, postInvoiceInSage } from '../adapters/sage-hand-keyed-ar.js';
import { keyArInvoiceByHand } from '../adapters/sage-hand-keyed-ar-invoice.js';
import type { Workspace } from './harness.js';

/** AR invoices for Stripe sales are asked for from the start, and take effect once the site proved its invoice (after day 0: its on-account payment stays on account). */
export const AR_PAYMENTS_ON = { mapping: { arPayments: { enabled: true, metadataKey: 'sage_invoice', unmatched: 'on-account', invoicesForStripeSales: true } } };

export interface ArSide {
  simulator: StripeSimulator;
  workspace: Workspace;
}

interface Payer {
  stripeId: string;
  custId: string;
}

/** Sage invoices the site posted before the campaign's payments, per payer (0, 1, 2); amounts in dollars. */
const INVOICES = [
  [7001, '125.00', 0],
  [7002, '200.00', 0],
  [7003, '80.00', 1],
  [7004, '60.00', 1],
  [7005, '60.00', 1],
  [7006, '900.00', 2],
] as const;

/** The golden receipt's and invoice's batch numbers: far from the numbers the sync's own batches get. */
const GOLDEN_BATCH_NO = 9000;
const GOLDEN_INVOICE_BATCH_NO = 9001;

export class ArCrashSite {
  private payers: Payer[] = [];
  /** Per side, the charges by round and role, to refund and decide later. */
  private readonly charges = new Map<string, StripeCharge>();
  /** Per payment role: amount in cents and the Sage invoice number it pays, or null (on account). */
  private readonly expectations: { role: string; amount: number; applyTo: number | null; invoiced: boolean }[] = [];
  rounds = 0;

  constructor(private readonly sides: { reference: ArSide; crashed: ArSide }) {}

  /**
   * Called when both sides have synced the same history and no worker runs: the first time it
   * proves the site and posts the invoices; every time it adds a day's AR payments to both
   * simulators (call after they moved on).
   */
  async prove(): Promise<void> {
    const customers = (side: ArSide): Payer[] => {
      const db = new Database(side.workspace.sandboxPath, { readonly: true });
      try {
        return db
          .prepare(
            `SELECT x.StripeObjectID AS stripeId, c.CustID AS custId FROM tciStripeXref_STRIPE x
             JOIN tarCustomer c ON x.SageTable = 'tarCustomer' AND c.CustKey = x.SageKey ORDER BY x.StripeObjectID LIMIT 3`,
          )
          .all() as Payer[];
      } finally {
        db.close();
      }
    };
    this.payers = customers(this.sides.reference);
    expect(this.payers).toHaveLength(3);
    expect(customers(this.sides.crashed)).toEqual(this.payers);
    for (const side of [this.sides.reference, this.sides.crashed]) await this.proveSide(side);
  }

  private async proveSide(side: ArSide): Promise<void> {
    const raw = new Database(side.workspace.sandboxPath);
    try {
      for (const [tranNo, amount, payer] of INVOICES) postInvoiceInSage(raw, this.payers[payer]!.custId, tranNo, amount);
      const golden = postInvoiceInSage(raw, this.payers[1]!.custId, 6999, '40.00');
      keyCashReceiptByHand(raw, this.payers[1]!.custId, golden, '40.00', GOLDEN_BATCH_NO);
    } finally {
      raw.close();
    }
    const cli = this.cliOf(side);
    await cli(['capture', 'cash-receipt', String(GOLDEN_BATCH_NO)]);
    expect(await cli(['check'])).toMatch(/PASS.*Cash receipt tables and columns/);
    expect(await cli(['check', '--rehearse'])).toMatch(/PASS.*AR cash receipt in a pending batch/);
  }

  /** `s5sync` against one side's sandbox, as the partner runs it; fails the test on a non-zero exit. */
  private cliOf(side: ArSide): (args: string[]) => Promise<string> {
    const configPath = join(side.workspace.dir, 'ar-config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        dataDir: side.workspace.dataDir,
        stripe: { apiBase: side.simulator.apiBase, apiKey: side.simulator.apiKey, requestsPerSecond: null },
        sage: { kind: 'sandbox', path: side.workspace.sandboxPath },
        ...side.workspace.config,
      }),
    );
    const cli = async (args: string[]): Promise<string> => {
      const lines: string[] = [];
      const code = await main([...args, '--config', configPath], (line) => lines.push(line));
      expect(code, lines.join('\n')).toBe(0);
      return lines.join('\n');
    };
    return cli;
  }

  /** One day's payments, the same on both simulators at the same simulated time. */
  payDay(): void {
    const round = this.rounds++;
    // From day 2 on the site has proved its AR invoice (decideWaiting): a payment naming no Sage invoice gets one.
    const owe = (role: string, amount: number, applyTo: number | null): void => {
      this.expectations.push({ role, amount, applyTo, invoiced: applyTo === null && round >= 2 });
    };
    if (round === 0) {
      owe('by-metadata', 12_500, 7001);
      owe('partial', 5_000, 7002);
      owe('by-balance', 8_000, 7003);
      owe('on-account', 3_333, null);
      owe('to-confirm', 6_000, 7005);
    } else if (round === 1) {
      owe('rest', 15_000, 7002);
      owe('tran-id', 10_000, 7006);
    } else {
      owe(`part-${round}`, 2_500 + round, 7006);
      owe(`deposit-${round}`, 1_000 + round, null);
    }
    for (const [name, side] of Object.entries(this.sides)) {
      const sim = side.simulator;
      const customer = (payer: number) => sim.object('customer', this.payers[payer]!.stripeId)!;
      const pay = (role: string, payer: number, amount: number, description: string | null, metadata: Record<string, string> = {}): void => {
        sim.advanceSeconds(60, { generate: false });
        this.charges.set(`${name}:${role}`, sim.referencedPayments.pay(sim.now(), { customer: customer(payer), amount, description, metadata }));
      };
      if (round === 0) {
        pay('by-metadata', 0, 12_500, 'Order 777', { sage_invoice: '7001' });
        pay('partial', 0, 5_000, 'Part payment of invoice 0000007002');
        pay('by-balance', 1, 8_000, 'Thank you');
        pay('on-account', 2, 3_333, 'Deposit');
        pay('to-confirm', 1, 6_000, null);
      } else if (round === 1) {
        sim.advanceSeconds(60, { generate: false });
        sim.referencedPayments.refund(sim.now(), this.charges.get(`${name}:by-metadata`)!, 12_500);
        pay('rest', 0, 15_000, 'Invoice 7002, the rest');
        pay('tran-id', 2, 10_000, 'Web shop', { sage_invoice: '0000007006-IN' });
      } else {
        pay(`part-${round}`, 2, 2_500 + round, `Installment on invoice 7006`);
        pay(`deposit-${round}`, 0, 1_000 + round, 'Prepayment');
      }
    }
  }

  /**
   * The receipts the payments of the days so far must have left in Sage, written down by hand
   * from payDay (the reference side's charges): amount in thousandths, the Sage invoice applied
   * to or null for on account; a sale the sync invoiced is applied to an invoice of its own
   * (numbered by the site's pattern). The one that waited is applied as the user decided on day 1.
   */
  expectedReceipts(): { TranCmnt: string; TranAmt: number; ApplyToTranID: unknown; PmtAmt: number | null }[] {
    return this.expectations
      .filter((expectation) => expectation.role !== 'to-confirm' || this.rounds >= 2)
      .map(({ role, amount, applyTo, invoiced }) => ({
        TranCmnt: `Stripe ${this.charges.get(`reference:${role}`)!.id}`,
        TranAmt: amount * 10,
        ApplyToTranID: invoiced ? expect.stringMatching(/^\d{10}-IN$/) : applyTo === null ? null : `${String(applyTo).padStart(10, '0')}-IN`,
        PmtAmt: invoiced ? amount * 10 : applyTo === null ? null : amount * 10,
      }))
      .sort((a, b) => (a.TranCmnt < b.TranCmnt ? -1 : 1));
  }

  /** The AR invoices the sync must have written for the scenario's sales that named no Sage invoice: by comment, amount in thousandths, payer. */
  expectedInvoices(): { TranCmnt: string; TranAmt: number; CustID: string }[] {
    return this.expectations
      .filter((expectation) => expectation.invoiced)
      .map(({ role, amount }) => ({ TranCmnt: `Stripe ${this.charges.get(`reference:${role}`)!.id}`, TranAmt: amount * 10, CustID: this.payers[0]!.custId }))
      .sort((a, b) => (a.TranCmnt < b.TranCmnt ? -1 : 1));
  }

  /**
   * Between runs on day 1: the user decides the payment that waited for them, and the partner
   * proves the site's AR invoice (keyed by hand, captured, checked, rehearsed), on both sides.
   */
  async decideWaiting(): Promise<void> {
    if (this.rounds !== 1) return;
    for (const [name, side] of Object.entries(this.sides)) {
      const waiting = this.charges.get(`${name}:to-confirm`)!;
      const confirmations = new ArConfirmationFile(side.workspace.dataDir);
      expect(confirmations.pending().map((request) => request.paymentId)).toEqual([waiting.id]);
      confirmations.decide(waiting.id, { kind: 'apply', tranId: '0000007005-IN' });
      await this.proveInvoiceSide(side);
    }
  }

  private async proveInvoiceSide(side: ArSide): Promise<void> {
    const raw = new Database(side.workspace.sandboxPath);
    try {
      keyArInvoiceByHand(raw, this.payers[1]!.custId, '250.00', '400000', GOLDEN_INVOICE_BATCH_NO);
    } finally {
      raw.close();
    }
    const cli = this.cliOf(side);
    await cli(['capture', 'ar-invoice', String(GOLDEN_INVOICE_BATCH_NO)]);
    expect(await cli(['check'])).toMatch(/PASS.*AR invoice tables and columns/);
    expect(await cli(['check', '--rehearse'])).toMatch(/PASS.*AR invoice for a Stripe sale in a pending batch/);
  }
}
