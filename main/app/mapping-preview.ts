import type { MappingPreview, PlanLineView } from '../../preload/contract.js';
import { previewChanges, type PreviewLine } from '../core/engine/preview.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { Ledger } from '../core/ports/ledger.js';

/**
 * What saving an edited mapping would change, for the mapping editor: every document not yet
 * in Sage is planned again with the edited mapping (the same re-planning as `s5sync preview
 * --changes`), so accounts, granularity, time zone, product rules and the sales-order flow all
 * show. Written documents never change.
 */

/** Enough to show; the window summarises the rest by account move and count. */
const LISTED_CHANGES = 200;

/** Every account-valued setting under `path`, as setting path → account number. */
export function accountLeaves(value: unknown, path: string, into: Map<string, string>): void {
  if (typeof value === 'string') into.set(path, value);
  else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) accountLeaves(child, `${path}.${key}`, into);
}

const lineView = (line: PreviewLine): PlanLineView => ({ acctNo: line.acctNo, debit: line.debit || null, credit: line.credit || null, comment: line.comment });

export function previewMappingChanges(ledger: Ledger, edited: Mapping): Pick<MappingPreview, 'changes' | 'total'> {
  const changes = previewChanges(ledger, edited);
  return {
    total: changes.length,
    changes: changes.slice(0, LISTED_CHANGES).map((change) => ({
      docKey: change.docKey,
      stripeObjectId: change.stripeObjectId,
      before: change.before.map(lineView),
      after: change.after && change.after.map(lineView),
      note: change.note,
    })),
  };
}
