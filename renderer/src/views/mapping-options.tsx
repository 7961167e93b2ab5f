import type { MappingProblem } from '../../../preload/contract.js';
import type { DraftChange, MappingDraft } from './mapping-draft.js';

/** The time zones this computer knows, for the picker's suggestions (typing any IANA name works too). */
const timeZones: string[] = (Intl as { supportedValuesOf?: (key: 'timeZone') => string[] }).supportedValuesOf?.('timeZone') ?? [];

function Problem({ path, problems }: { path: string; problems: MappingProblem[] }) {
  const problem = problems.find((candidate) => candidate.path === path);
  return problem ? <span id={`field-${path}-problem`} className="error-text small">{problem.message}</span> : null;
}

export function TextSetting({ path, label, value, hint, problems, onChange }: { path: string; label: string; value: string; hint?: string; problems: MappingProblem[]; onChange: (value: string) => void }) {
  const invalid = problems.some((problem) => problem.path === path);
  return (
    <div className="field">
      <label htmlFor={`field-${path}`}>{label}</label>
      <input id={`field-${path}`} value={value} aria-invalid={invalid || undefined} aria-describedby={invalid ? `field-${path}-problem` : undefined} onChange={(event) => onChange(event.target.value)} />
      {hint ? <span className="muted small">{hint}</span> : null}
      <Problem path={path} problems={problems} />
    </div>
  );
}

/** Journals: one per transaction or a daily summary, the Sage journal, the company's time zone and currency. */
export function JournalOptions({ draft, problems, change }: { draft: MappingDraft; problems: MappingProblem[]; change: DraftChange }) {
  return (
    <fieldset>
      <legend>Journals</legend>
      <div role="radiogroup" aria-labelledby="granularity-label" className="stack">
        <span id="granularity-label">Journal entries in Sage</span>
        <label className="check">
          <input type="radio" name="granularity" checked={draft.granularity === 'per-transaction'} onChange={() => change((current) => ({ ...current, granularity: 'per-transaction' }))} />
          One journal per Stripe transaction
        </label>
        <label className="check">
          <input type="radio" name="granularity" checked={draft.granularity === 'daily-summary'} onChange={() => change((current) => ({ ...current, granularity: 'daily-summary' }))} />
          One summary journal per day and kind
        </label>
      </div>
      <TextSetting path="journalId" label="Sage GL journal" value={draft.journalId} problems={problems} onChange={(journalId) => change((current) => ({ ...current, journalId }))} />
      <div className="field">
        <label htmlFor="field-timeZone">Company time zone</label>
        <input id="field-timeZone" list="time-zones" value={draft.timeZone} onChange={(event) => change((current) => ({ ...current, timeZone: event.target.value }))} aria-describedby="field-timeZone-hint" />
        <datalist id="time-zones">{timeZones.map((zone) => <option key={zone} value={zone} />)}</datalist>
        <span id="field-timeZone-hint" className="muted small">Stripe times become business dates in this zone (e.g. America/Chicago).</span>
        <Problem path="timeZone" problems={problems} />
      </div>
      <TextSetting path="homeCurrency" label="Home currency" value={draft.homeCurrency} hint="Three letters, as Stripe writes them (usd)." problems={problems} onChange={(homeCurrency) => change((current) => ({ ...current, homeCurrency }))} />
    </fieldset>
  );
}

/** How Stripe customers find or become Sage customers. */
export function CustomerOptions({ draft, problems, change }: { draft: MappingDraft; problems: MappingProblem[]; change: DraftChange }) {
  const customers = draft.customers;
  const set = (patch: Partial<MappingDraft['customers']>): void => change((current) => ({ ...current, customers: { ...current.customers, ...patch } }));
  return (
    <fieldset>
      <legend>Customers</legend>
      <TextSetting path="customers.metadataKey" label="Stripe metadata key holding the Sage customer ID" value={customers.metadataKey} problems={problems} onChange={(metadataKey) => set({ metadataKey })} />
      <label className="check">
        <input type="checkbox" checked={customers.matchByEmail} onChange={(event) => set({ matchByEmail: event.target.checked })} />
        Otherwise match a Sage customer by e-mail
      </label>
      <label className="check">
        <input type="checkbox" checked={customers.createMissing} onChange={(event) => set({ createMissing: event.target.checked })} />
        Create the Sage customer when none matches
      </label>
      <TextSetting path="customers.idPrefix" label="New customer ID prefix" value={customers.idPrefix} hint="1 to 4 capital letters or digits." problems={problems} onChange={(idPrefix) => set({ idPrefix })} />
      <TextSetting path="customers.custClassId" label="Customer class for new customers" value={customers.custClassId} problems={problems} onChange={(custClassId) => set({ custClassId })} />
      <div className="field">
        <label htmlFor="field-customers.longText">Names and addresses longer than Sage allows</label>
        <select id="field-customers.longText" value={customers.longText ?? 'fit'} onChange={(event) => set({ longText: event.target.value === 'park' ? 'park' : 'fit' })}>
          <option value="fit">Shorten them, with a note on the record</option>
          <option value="park">Stop the customer until fixed in Stripe</option>
        </select>
      </div>
    </fieldset>
  );
}

/** The e-commerce flow: a paid Stripe charge or invoice becomes an open Sage sales order. */
export function SalesOrderOptions({ draft, problems, change }: { draft: MappingDraft; problems: MappingProblem[]; change: DraftChange }) {
  const orders = draft.salesOrders;
  const set = (patch: Partial<MappingDraft['salesOrders']>): void => change((current) => ({ ...current, salesOrders: { ...current.salesOrders, ...patch } }));
  return (
    <fieldset>
      <legend>Sales orders</legend>
      <label className="check">
        <input type="checkbox" checked={orders.enabled} onChange={(event) => set({ enabled: event.target.checked })} />
        Create a Sage sales order for each paid Stripe charge or invoice
      </label>
      <TextSetting path="salesOrders.defaultItemId" label="Sage item for lines without a product rule" value={orders.defaultItemId} problems={problems} onChange={(defaultItemId) => set({ defaultItemId })} />
      <TextSetting path="salesOrders.warehouseId" label="Sage warehouse" value={orders.warehouseId} problems={problems} onChange={(warehouseId) => set({ warehouseId })} />
    </fieldset>
  );
}
