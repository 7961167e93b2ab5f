import { describe, expect, it } from 'vitest';
import { afterEarlierArForm } from '../../main/core/engine/ar-form-change.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { PlanningError } from '../../main/core/posting/planning-error.js';
import type { Ledger, StoredDocument } from '../../main/core/ports/ledger.js';
import type { JournalDocument, JournalLine } from '../../main/core/sage/documents.js';

/**
 * The rest of a sale whose fee journal Sage holds under the sale's key (issue #21, AR invoices
 * turned off after a permanent failure), for what the end-to-end test cannot stage: a held fee
 * that is not the charge's fee. Amounts worked by hand: 42.00 sale, fee 1.52, net 40.48.
 */

const line = (acctNo: string, amount: string): JournalLine => ({ acctNo, amount, comment: 'ch_1', traceId: 'txn_1' });
const journal = (lines: JournalLine[]): JournalDocument => ({ type: 'journal', key: 'ch_1:txn_1', postDate: '2026-03-10', stripeObjectId: 'ch_1', description: 'Stripe charge ch_1', lines });
const written = (document: JournalDocument): StoredDocument => ({
  docKey: document.key,
  sortKey: '',
  stripeObjectId: 'ch_1',
  type: 'journal',
  state: 'written',
  document,
  mappingVersion: 1,
  attempts: 1,
  errorClass: null,
  errorCode: null,
  lastError: null,
  nextAttemptAt: null,
  skipReason: null,
  acceptReason: null,
  ref: null,
  updatedAt: '2026-03-10T00:00:00Z',
});
const ledgerHolding = (held: JournalDocument) => ({
  documents: { getDocument: (key: string) => (key === held.key ? written(held) : null), documentsTracing: () => [] },
});

describe('the rest of a sale beside its written fee journal', () => {
  const plan = journal([line('1050-00', '40.480'), line('4000-00', '-42.000'), line('6155-00', '1.520')]);

  it('keeps the held fee on its own account when the mapping names another: clearing +gross, revenue −gross', () => {
    const held = journal([line('6150-00', '1.520'), line('1050-00', '-1.520')]);
    const { documents } = afterEarlierArForm(ledgerHolding(held) as unknown as Pick<Ledger, 'documents'>, plan.key, [plan], DEFAULT_MAPPING);
    expect(documents).toMatchObject([{ key: 'ch_1:txn_1:sale', lines: [{ acctNo: '1050-00', amount: '42.000' }, { acctNo: '4000-00', amount: '-42.000' }] }]);
  });

  it('still reads the held journal as the fee journal when the clearing account was renamed since: its one credit is the charge fee', () => {
    const held = journal([line('6150-00', '1.520'), line('1010-00', '-1.520')]);
    const { documents } = afterEarlierArForm(ledgerHolding(held) as unknown as Pick<Ledger, 'documents'>, plan.key, [plan], DEFAULT_MAPPING);
    expect(documents).toMatchObject([{ key: 'ch_1:txn_1:sale', lines: [{ acctNo: '1050-00', amount: '42.000' }, { acctNo: '4000-00', amount: '-42.000' }] }]);
  });

  it('leaves a GL journal already written under the key as the sale itself', () => {
    const held = journal([line('1050-00', '40.480'), line('6150-00', '1.520'), line('4000-00', '-42.000')]);
    const { documents } = afterEarlierArForm(ledgerHolding(held) as unknown as Pick<Ledger, 'documents'>, plan.key, [plan], DEFAULT_MAPPING);
    expect(documents).toEqual([plan]);
  });

  it('is a record error at planning, naming both fees, when the held fee is not the charge fee', () => {
    const held = journal([line('6150-00', '1.600'), line('1050-00', '-1.600')]);
    let error: unknown = null;
    try {
      afterEarlierArForm(ledgerHolding(held) as unknown as Pick<Ledger, 'documents'>, plan.key, [plan], DEFAULT_MAPPING);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(PlanningError);
    expect(error).toMatchObject({ message: expect.stringContaining('holds fees of 1.600, but the charge\'s fees are 1.520') });
  });
});
