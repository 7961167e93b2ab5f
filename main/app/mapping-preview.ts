import type { MappingPreview } from '../../preload/contract.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { Ledger } from '../core/ports/ledger.js';
import type { SageDocument } from '../core/sage/documents.js';
import { toPlannedDocumentView } from './plan-view.js';

/**
 * What saving a mapping would change: documents not yet written are re-planned with the new
 * mapping on the next run, so their journal lines move from each changed account to its new
 * account. Written documents never change.
 */

/** Enough to count every waiting document at a normal site; the window summarises them. */
const PREVIEW_LIMIT = 1_000;

/** Every account-valued setting under `path`, as setting path → account number. */
export function accountLeaves(value: unknown, path: string, into: Map<string, string>): void {
  if (typeof value === 'string') into.set(path, value);
  else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) accountLeaves(child, `${path}.${key}`, into);
}

/** Old account → new account, for every account-valued setting that changed. */
export function accountMoves(before: Mapping, after: Mapping): Map<string, string> {
  const oldLeaves = new Map<string, string>();
  const newLeaves = new Map<string, string>();
  accountLeaves(before.accounts, 'accounts', oldLeaves);
  accountLeaves(after.accounts, 'accounts', newLeaves);
  const moves = new Map<string, string>();
  for (const [path, oldAccount] of oldLeaves) {
    const newAccount = newLeaves.get(path);
    if (newAccount !== undefined && newAccount !== oldAccount) moves.set(oldAccount, newAccount);
  }
  return moves;
}

export function previewMappingChanges(ledger: Pick<Ledger, 'documents'>, before: Mapping, after: Mapping): MappingPreview['changes'] {
  const moves = accountMoves(before, after);
  if (moves.size === 0) return [];
  const changes: MappingPreview['changes'] = [];
  for (const doc of ledger.documents.unwrittenJournals()) {
    const document = doc.document;
    if (document.type !== 'journal' || !document.lines.some((line) => moves.has(line.acctNo))) continue;
    const moved: SageDocument = { ...document, lines: document.lines.map((line) => ({ ...line, acctNo: moves.get(line.acctNo) ?? line.acctNo })) };
    changes.push({
      docKey: doc.docKey,
      stripeObjectId: doc.stripeObjectId,
      before: toPlannedDocumentView(doc.docKey, doc.state, document),
      after: toPlannedDocumentView(doc.docKey, doc.state, moved),
    });
    if (changes.length >= PREVIEW_LIMIT) break;
  }
  return changes;
}
