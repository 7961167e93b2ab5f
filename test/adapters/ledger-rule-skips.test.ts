import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { recordRuleSkips } from '../../main/core/engine/rule-skips.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import { charge, mapping } from '../core/fixtures/stripe.js';

/**
 * A document a business rule skipped is the plan's own decision: a new mapping version plans
 * it again (the rule removed, it is written), while a document a user skipped stays skipped.
 */

let dir: string;
let ledger: SqliteLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-rule-skips-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const invoiceJournal = (skippedByRule?: string): JournalDocument => ({
  type: 'journal',
  key: 'in_1:paid',
  postDate: '2026-03-10',
  stripeObjectId: 'in_1',
  description: 'Stripe invoice paid',
  lines: [
    { acctNo: '1200-00', amount: '9.700', comment: 'due', traceId: 'in_1' },
    { acctNo: '4000-00', amount: '-9.700', comment: 'line', traceId: 'il_1' },
  ],
  ...(skippedByRule ? { skippedByRule, rules: [{ rule: skippedByRule, changes: ['skipped'] }] } : {}),
});

const stateOf = (key: string) => ledger.documents.documentsForObject('in_1').find((stored) => stored.docKey === key)?.state;

describe('documents skipped by a rule', () => {
  it('are recorded as skipped with the rule name, then planned again when a new mapping drops the rule', () => {
    ledger.objects.upsertObjects([{ ...charge({ id: 'in_1' }) }]);
    const first = ledger.mappings.saveMapping(mapping());
    const skipped = invoiceJournal('Test product');
    ledger.documents.savePlan('in_1', [skipped], first, 'planned');
    recordRuleSkips(ledger.documents, [skipped]);
    expect(stateOf('in_1:paid')).toBe('skipped');
    expect(ledger.documents.documentsForObject('in_1')[0]!.skipReason).toBe('skipped by rule "Test product"');

    const second = ledger.mappings.saveMapping({ ...mapping(), journalId: 'GJ2' });
    ledger.objects.markPlanned(['in_1']);
    expect(ledger.documents.replanForMappingVersion(second)).toBe(1);
    ledger.documents.savePlan('in_1', [invoiceJournal()], second, 'planned');
    expect(stateOf('in_1:paid')).toBe('planned');
  });

  it('a user-skipped document stays skipped whatever the new plan says', () => {
    const first = ledger.mappings.saveMapping(mapping());
    ledger.documents.savePlan('in_1', [invoiceJournal()], first, 'planned');
    ledger.documents.skipDocuments(['in_1:paid'], 'keyed by hand');
    ledger.documents.savePlan('in_1', [{ ...invoiceJournal(), description: 'changed' }], first + 1, 'planned');
    expect(stateOf('in_1:paid')).toBe('skipped');
  });
});
