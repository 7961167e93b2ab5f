import type { PlannedDocumentView, PlanLineView, DocumentStateName } from '../../preload/contract.js';
import type { SageDocument } from '../core/sage/documents.js';
import { explainDocumentRules } from '../core/rules/document-rule-trail.js';

/**
 * A planned Sage document as the window shows it: journal lines split into debit and credit,
 * and what the business rules did (for a daily summary, to the parts of `objectId`).
 */
export function toPlannedDocumentView(docKey: string, state: DocumentStateName, document: SageDocument, objectId: string | null = null): PlannedDocumentView {
  const view = documentView(docKey, state, document);
  const rules = explainDocumentRules(document, objectId);
  return rules.length ? { ...view, rules } : view;
}

function documentView(docKey: string, state: DocumentStateName, document: SageDocument): PlannedDocumentView {
  switch (document.type) {
    case 'journal':
      return {
        docKey,
        type: 'journal',
        state,
        summary: document.description,
        postDate: document.postDate,
        lines: document.lines.map((line): PlanLineView => {
          const negative = line.amount.startsWith('-');
          return {
            acctNo: line.acctNo,
            debit: negative ? null : line.amount,
            credit: negative ? line.amount.slice(1) : null,
            comment: line.comment,
          };
        }),
      };
    case 'customer':
      return {
        docKey,
        type: 'customer',
        state,
        summary: `Sage customer ${document.custId}${document.action === 'update' ? ' (update)' : ''}: ${document.custName}`,
        postDate: null,
        lines: [],
        ...(document.notes ? { notes: document.notes } : {}),
      };
    case 'sales_order':
      return {
        docKey,
        type: 'sales_order',
        state,
        summary: `Sales order for ${document.custId}: ${document.comment}`,
        postDate: document.tranDate,
        lines: document.lines.map((line) => ({ acctNo: line.itemId, debit: null, credit: line.extAmount, comment: `${line.quantity} × ${line.description}` })),
      };
  }
}
