import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArConfirmationFile } from '../../main/adapters/ar/ar-confirmation-file.js';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { arPaymentsView, decideArPayment } from '../../main/app/ar-payments-view.js';

/** The window's AR confirm list: the user answers only for payments waiting, with an invoice the sync offered. */
describe('AR payments view', () => {
  function setup() {
    const dir = mkdtempSync(join(tmpdir(), 's5sync-ar-view-'));
    const config = parseConfig({ dataDir: '.', sage: { kind: 'sandbox', path: './sage.sqlite' } }, dir);
    const file = new ArConfirmationFile(config.dataDir);
    file.ask({
      paymentId: 'ch_1',
      custId: 'ADA',
      amount: '60.000',
      reason: 'ch_1 (60.000) equals the open balance of 2 Sage invoices of customer ADA',
      candidates: [{ tranId: '0000005004-IN', custId: 'ADA', openBalance: '60.000' }, { tranId: '0000005005-IN', custId: 'ADA', openBalance: '60.000' }],
    });
    return { config, file };
  }

  it('lists the waiting payments with the reason AR payments are off', () => {
    const { config } = setup();
    const view = arPaymentsView(config);
    expect(view).toMatchObject({ available: false, active: false, pending: [{ paymentId: 'ch_1', candidates: [{ tranId: '0000005004-IN' }, { tranId: '0000005005-IN' }] }] });
    expect(view.reason).toMatch(/no cash receipt was captured/);
  });

  it('records a decision for an offered invoice and takes the payment off the list', () => {
    const { config, file } = setup();
    expect(decideArPayment(config, 'ch_1', { kind: 'apply', tranId: '0000005005-IN' }).pending).toEqual([]);
    expect(file.decision('ch_1')).toEqual({ kind: 'apply', tranId: '0000005005-IN' });
  });

  it('refuses an invoice that was not offered, and a payment that is not waiting', () => {
    const { config, file } = setup();
    expect(() => decideArPayment(config, 'ch_1', { kind: 'apply', tranId: '0000009999-IN' })).toThrow(/not one of the invoices offered/);
    expect(() => decideArPayment(config, 'ch_2', { kind: 'gl' })).toThrow(/not waiting/);
    expect(file.decision('ch_1')).toBeNull();
  });
});
