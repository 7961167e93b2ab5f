import type { ArPaymentsView, MappingProblem } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { useRequest } from '../use-request.js';
import type { DraftChange, MappingDraft } from './mapping-draft.js';
import { TextSetting } from './mapping-options.js';

/**
 * AR payments in the mapping (docs/posting-rules.md "AR payments"): each AR document type the
 * sync could write, on or off, and unavailable with the reason until the site proved it
 * (main/app/ar-readiness.ts); the Stripe metadata key that names the Sage invoice; and what
 * happens to a payment of a customer known in Sage that names no invoice.
 */

interface ArPaymentSettings {
  enabled: boolean;
  metadataKey: string;
  unmatched: 'gl' | 'on-account';
  invoicesForStripeSales?: boolean;
}

const DOCUMENT_LABELS: Record<ArPaymentsView['documents'][number]['kind'], string> = {
  'cash-receipt': 'Cash receipts applied to Sage invoices, in pending AR batches',
  'credit-memo': 'AR credit memos and refunds for refunds and disputes of those payments',
  'stripe-sale-invoice': 'AR invoices for Stripe sales no Sage invoice covers, with the payment applied',
};

export function ArPaymentOptions({ draft, problems, change }: { draft: MappingDraft; problems: MappingProblem[]; change: DraftChange }) {
  const readiness = useRequest<ArPaymentsView>(() => call('getArPayments', undefined), []);
  const settings = draft['arPayments'] as ArPaymentSettings;
  const set = (patch: Partial<ArPaymentSettings>): void => change((current) => ({ ...current, arPayments: { ...(current['arPayments'] as ArPaymentSettings), ...patch } }));
  const documents = readiness.value?.documents ?? [];
  return (
    <fieldset>
      <legend>AR payments</legend>
      <p className="muted small">Stripe payments of invoices you keyed in Sage, applied to those invoices in Sage Accounts Receivable instead of booked as sales in GL.</p>
      {readiness.error ? <p className="error-text">{readiness.error}</p> : null}
      {documents.map((document) => {
        const id = `ar-document-${document.kind}`;
        // The cash receipt and the Stripe-sale invoice have a switch of their own in the mapping; the credit memo follows what the site proved.
        const checked =
          document.kind === 'cash-receipt'
            ? settings.enabled && document.available
            : document.kind === 'stripe-sale-invoice'
              ? (settings.invoicesForStripeSales ?? false) && document.available
              : document.active;
        return (
          <div className="field" key={document.kind}>
            <label className="check">
              <input
                type="checkbox"
                checked={checked}
                disabled={!document.available}
                aria-describedby={`${id}-reason`}
                onChange={(event) =>
                  document.kind === 'cash-receipt'
                    ? set({ enabled: event.target.checked })
                    : document.kind === 'stripe-sale-invoice'
                      ? set({ invoicesForStripeSales: event.target.checked })
                      : undefined
                }
              />
              {DOCUMENT_LABELS[document.kind]}
            </label>
            <span id={`${id}-reason`} className={document.available ? 'muted small' : 'small'}>
              {document.reason}
            </span>
          </div>
        );
      })}
      <TextSetting
        path="arPayments.metadataKey"
        label="Stripe metadata key holding the Sage invoice number"
        value={settings.metadataKey}
        hint="Also read from a Stripe invoice's custom field of that name."
        problems={problems}
        onChange={(metadataKey) => set({ metadataKey })}
      />
      <div className="field">
        <label htmlFor="field-arPayments.unmatched">A payment that names no Sage invoice, from a customer known in Sage</label>
        <select id="field-arPayments.unmatched" value={settings.unmatched} onChange={(event) => set({ unmatched: event.target.value as ArPaymentSettings['unmatched'] })}>
          <option value="on-account">On account: a cash receipt left unapplied</option>
          <option value="gl">GL only, as without AR payments</option>
        </select>
      </div>
    </fieldset>
  );
}
