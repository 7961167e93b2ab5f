import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { listErrorGroups } from '../../main/app/error-groups.js';
import { refuseFoundJournal } from '../../main/core/sage/found-journal.js';
import { mapping } from '../core/fixtures/stripe.js';
import { twoLineJournal } from '../support/two-line-journal.js';

/**
 * The Errors view's card for a journal refused because Sage's cross-reference already holds its
 * key as another journal (core/sage/found-journal.ts): explained and offered "Accept Sage's
 * journal" by the error's code, whatever words its message quotes. The refusal for a deleted
 * batch says "a user may have deleted the batch", which the inactive-account rule matches by its
 * words.
 */

const DELETED_BATCH =
  "Journal ch_1:txn_1: Sage's cross-reference (tciStripeXref_STRIPE) already holds this key as journal 4 in GL batch key 12 (no longer in tciBatchLog), but Sage holds none of its lines, pending (tglJournalDetl) or posted (tglTransaction under that batch and journal number): a user may have deleted the batch.";
const INACTIVE = 'Journal ch_2:txn_2: account 4000-00 is inactive (tglAccount.Status)';

let dir: string;
let ledger: SqliteLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-error-groups-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  const version = ledger.mappings.saveMapping(mapping());
  ledger.documents.savePlan('ch_1', [twoLineJournal('ch_1:txn_1', 'txn_1')], version, 'planned');
  ledger.documents.savePlan('ch_2', [twoLineJournal('ch_2:txn_2', 'txn_2')], version, 'planned');
  ledger.documents.markFailed('ch_1:txn_1', { errorClass: 'data', errorCode: 'found-journal-refused', message: DELETED_BATCH, nextAttemptAt: null, dead: false });
  ledger.documents.markFailed('ch_2:txn_2', { errorClass: 'data', message: INACTIVE, nextAttemptAt: null, dead: false });
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("Errors view: a journal Sage's cross-reference already holds", () => {
  it("is explained as that, with Accept Sage's journal as the fix once posted, and offered Accept; another error is neither", () => {
    const groups = listErrorGroups(ledger);
    const refused = groups.find((group) => group.cause === DELETED_BATCH)!;
    expect(refused.explanation).toMatch(/^Sage already holds a journal under this document's key \(tciStripeXref_STRIPE\)/);
    expect(refused.fix).toContain("enter the difference in Sage as a journal entry of its own, then Accept Sage's journal with that as the reason");
    expect(refused.items.map((item) => [item.docKey, item.sageJournalAcceptable])).toEqual([['ch_1:txn_1', true]]);
    const inactive = groups.find((group) => group.cause === INACTIVE)!;
    expect(inactive.explanation).toMatch(/^A GL account in the mapping is inactive/);
    expect(inactive.items.map((item) => [item.docKey, item.sageJournalAcceptable])).toEqual([['ch_2:txn_2', false]]);
  });

  it("a journal Sage holds unposted in an open batch (the writer's own refusal): explained as correct it in Sage and retry, never offered Accept", () => {
    ledger.documents.savePlan('ch_3', [twoLineJournal('ch_3:txn_3', 'txn_3')], 1, 'planned');
    const refused = refuseFoundJournal(twoLineJournal('ch_3:txn_3', 'txn_3'), {
      ref: { docKey: 'ch_3:txn_3', sageTable: 'tglJournalHdr', sageKey: 7003, sageNumber: '43', batchKey: 9003 },
      lines: [
        { acctNo: '105000', amount: '12.500', comment: 'net', tranDate: '2026-03-10', postDate: null },
        { acctNo: '400000', amount: '-12.500', comment: 'sale', tranDate: '2026-03-10', postDate: null },
      ],
      posted: false,
      batch: { batchNo: 12, status: 1, postStatus: 0 },
    })!;
    ledger.documents.markFailed('ch_3:txn_3', { errorClass: refused.errorClass, errorCode: refused.code, message: refused.message, nextAttemptAt: null, dead: false });
    const open = listErrorGroups(ledger).find((group) => group.cause === refused.message)!;
    expect(open.explanation).toMatch(/^Sage already holds a journal under this document's key \(tciStripeXref_STRIPE\), unposted in an open batch/);
    expect(open.fix).toMatch(/^Correct that journal in Sage .* then retry/);
    expect(open.fix).not.toMatch(/Accept/);
    expect(open.items.map((item) => [item.docKey, item.sageJournalAcceptable])).toEqual([['ch_3:txn_3', false]]);
  });
});
