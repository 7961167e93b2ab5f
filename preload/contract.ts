import { z } from 'zod';
import type { PreflightItem } from '../main/core/sage/preflight-item.js';
import type { ObjectPreview } from '../main/core/engine/preview.js';
import type { RuleTestReport } from '../main/core/engine/rule-test.js';
import type { PeriodReport } from '../main/core/reconciliation/payout-report.js';

/** The defaults the window pre-fills, from their one home (the renderer cannot import main/). */
export { DEFAULT_POLL_INTERVAL_MINUTES, DEFAULT_SAGE_COMPANY_ID } from '../main/core/defaults.js';

/**
 * The typed contract between the window and the engine, shared by main/shell (IPC handlers),
 * preload (the `window.s5sync` bridge) and renderer (its only way to reach the engine).
 *
 * Requests are request/response calls that always resolve to a Result envelope; they never
 * throw across the boundary. Events follow "get a snapshot, then subscribe". Every request
 * payload has a zod schema that main validates before a handler runs. Secrets only ever
 * travel renderer → main (write-only); the renderer sees "is set" flags.
 */

export const errorCodes = [
  'invalid-request',
  'untrusted-sender',
  'not-configured',
  'busy',
  'not-found',
  'stripe-error',
  'sage-error',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

// ---------- shared value shapes ----------

export const documentStates = ['planned', 'writing', 'written', 'failed', 'dead', 'skipped', 'shadow'] as const;
export type DocumentStateName = (typeof documentStates)[number];

export const objectKinds = ['customer', 'charge', 'refund', 'dispute', 'invoice', 'credit_note', 'payout'] as const;
export type ObjectKindName = (typeof objectKinds)[number];

/** The window's views; the tray, notifications and attention items open one by its id. */
export const viewIds = ['dashboard', 'activity', 'errors', 'payouts', 'ar-payments', 'mapping', 'settings'] as const;
export type ViewId = (typeof viewIds)[number];

/** How a run ended (core's RunSummary outcome; test/preload/contract-types.test.ts keeps them equal). */
export type RunOutcome = 'succeeded' | 'completed-with-errors' | 'failed';

export type TrayState = 'idle' | 'syncing' | 'attention' | 'paused' | 'offline';

export interface ProgressView {
  phase: string;
  kind: string | null;
  done: number;
  total: number | null;
  /** Seconds left, estimated from the recent rate; null while unknown. */
  etaSeconds: number | null;
}

export interface TotalsView {
  /** Business date the totals are for (company time zone). */
  date: string;
  currency: string;
  charges: { count: number; amount: string };
  refunds: { count: number; amount: string };
  fees: { amount: string };
  payouts: { count: number; amount: string };
  documentsWritten: number;
}

export interface AttentionItem {
  id: string;
  severity: 'info' | 'warning' | 'error';
  title: string;
  detail: string;
  /** Which view fixes it. */
  view: ViewId;
}

/**
 * The last balance proof (main/core/reconciliation/balance-proof.ts): Stripe's balance against
 * the Sage clearing account. Amounts are Sage decimal text in `currency`.
 */
export interface BalanceProofView {
  checkedAt: string;
  currency: string;
  clearingAccount: string;
  stripeBalance: string;
  booked: string;
  /** Stripe balance − opening − booked. */
  difference: string;
  /** What no listed transaction explains; zero when the proof holds. */
  unexplained: string;
  holds: boolean;
  /** Zero difference: nothing waiting either. */
  exact: boolean;
  /** Transactions in the difference (e.g. payouts on their way), each listed by `s5sync report balance`. */
  listedTransactions: number;
}

/**
 * The last balance proof in full for Home (main/app/balance-proof-detail.ts): Stripe's balance
 * against the Sage clearing account in the home currency, exact decimal text, and what explains
 * any difference, grouped in words and then transaction by transaction.
 */
export interface BalanceProofDetail {
  checkedAt: string;
  currency: string;
  clearingAccount: string;
  stripeAvailable: string;
  stripePending: string;
  stripeBalance: string;
  /** Stripe's balance from before the first transaction read (zero for a whole-history backfill). */
  opening: string;
  booked: string;
  difference: string;
  unexplained: string;
  holds: boolean;
  exact: boolean;
  /** The difference explained, one line per kind and reason: "2 payouts: its journal is queued for Sage". */
  explanations: { words: string; count: number; amount: string }[];
  /** The first listed transactions, each with its reason in a short clause; `listed` counts them all. */
  transactions: { balanceTransactionId: string; type: string; created: string | null; stripeNet: string; booked: string; reason: string }[];
  listed: number;
  /** Stripe balances in other currencies: the clearing account (home currency) cannot hold them. */
  otherCurrencies: { currency: string; amount: string }[];
}

/**
 * The opening-balance journal at go-live (core/engine/opening-balance.ts): what Stripe held at
 * the start of the go-live date, proposed for the user to check and confirm; amounts are Sage
 * decimal text, null until the first sync out of shadow mode has read Stripe's balance.
 */
export interface OpeningBalanceView {
  goLiveDate: string;
  state: 'not-ready' | 'to-confirm' | 'confirmed' | 'written';
  note: string;
  currency: string;
  clearingAccount: string;
  clearing: string | null;
  inTransitAccount: string;
  inTransit: string | null;
  offsetAccount: string;
  /** The other side of the journal, minus both (null while not ready). */
  offset: string | null;
  transactions: number;
  payoutsInTransit: number;
}

export interface StatusSnapshot {
  state: TrayState;
  configured: boolean;
  profile: string | null;
  shadowMode: boolean;
  lastRun: {
    runId: number;
    startedAt: string;
    finishedAt: string | null;
    outcome: RunOutcome | null;
    message: string | null;
    /** Stripe records the run read: zero means Stripe had nothing new. */
    objectsSeen: number;
  } | null;
  /** When a run last read anything new from Stripe (for "No new Stripe activity since …"). */
  lastActivityAt: string | null;
  nextRunAt: string | null;
  progress: ProgressView | null;
  counts: Record<DocumentStateName, number>;
  today: TotalsView | null;
  attention: AttentionItem[];
  /**
   * Everything that is not in Sage and will not get there on its own: documents Sage refused
   * (parked), Stripe records that could not be planned, and payouts past their arrival date
   * whose tie-out still fails. Any of them makes the state "attention".
   */
  notInSage: { parked: number; unplanned: number; payoutsNotTiedOut: number };
  /** Set while nothing is real money: the demo, or a Stripe test-mode key. The window shows a banner. */
  testMode: 'demo' | 'test-key' | null;
  /** The settings profile in use and how it is labelled (demo, test, live, or live with a test key). */
  activeProfile: { id: string; name: string; label: ProfileLabelName };
  /** The last balance proof; null before the first run that made one. */
  balanceProof: BalanceProofView | null;
  /**
   * Set while the saved setup cannot be used: Sage 500 or Stripe cannot be reached (state
   * "offline", retried on its own with growing pauses), or the setup itself is wrong
   * ("cannot-start": fix it in Settings). Null when connected.
   */
  connection: ConnectionProblemView | null;
}

export interface ConnectionProblemView {
  kind: 'sage-unreachable' | 'stripe-unreachable' | 'cannot-start';
  /** "Cannot reach Sage 500", "Cannot reach Stripe", "Stripe Sync cannot start". */
  title: string;
  /** Why, in plain words, with what to check. */
  reason: string;
  since: string;
  /** When the next automatic try is; null when only a fix in Settings helps. */
  nextAttemptAt: string | null;
}

/** One sync run in the run history, in plain words (main/app/run-history.ts). */
export interface RunView {
  runId: number;
  startedAt: string;
  /** Null while the run is still going. */
  durationSeconds: number | null;
  outcome: RunOutcome | null;
  outcomeWords: string;
  /** Stripe records read, documents written to Sage, documents Sage refused (parked). */
  read: number;
  written: number;
  parked: number;
  /** What the run did, as a sentence. */
  summary: string;
  /** The engine's own message (details). */
  message: string | null;
}

export interface ActivityRow {
  stripeObjectId: string;
  kind: ObjectKindName;
  created: string;
  description: string;
  amount: string | null;
  currency: string | null;
  /** The Stripe customer's name or e-mail, for records that belong to one. */
  customerName: string | null;
  /** The record in the Stripe Dashboard (test or live path); null in the demo, whose records Stripe does not have. */
  dashboardUrl: string | null;
  documents: {
    docKey: string;
    type: 'journal' | 'customer' | 'sales_order';
    state: DocumentStateName;
    sageNumber: string | null;
    lastError: string | null;
    /** Why a planned document is held back, e.g. a payout's arrival waiting for its journal of creation; absent when it is not. */
    waitingNote?: string;
    /** Present on a GL journal refused because Sage's cross-reference already holds its key as another journal: "Accept Sage's journal" applies. */
    sageJournalAcceptable?: true;
    attempts: number;
    /** When the ledger last changed the document (the last attempt, for a failed one). */
    updatedAt: string;
  }[];
}

export interface LineageStep {
  level: 'event' | 'object' | 'balance_transaction' | 'ledger' | 'sage';
  id: string;
  label: string;
  detail: string;
}

export interface PlanLineView {
  acctNo: string;
  debit: string | null;
  credit: string | null;
  comment: string;
}

export interface PlannedDocumentView {
  docKey: string;
  type: 'journal' | 'customer' | 'sales_order';
  state: DocumentStateName;
  summary: string;
  postDate: string | null;
  lines: PlanLineView[];
  /** What was shortened or moved to fit Sage's columns (customers); absent when nothing was. */
  notes?: string[];
  /** The business rules that fired for it and what each changed, in words; absent when none fired. */
  rules?: string[];
}

export interface ObjectDetail {
  row: ActivityRow;
  /** Why the record could not be turned into Sage documents, when it could not. */
  issue: { errorClass: string; message: string } | null;
  lineage: LineageStep[];
  plan: PlannedDocumentView[];
}

export interface ErrorGroup {
  cause: string;
  errorClass: 'transient' | 'data' | 'configuration';
  /** Plain words, then what it means in Sage. */
  explanation: string;
  fix: string;
  items: {
    docKey: string;
    stripeObjectId: string;
    customerName: string | null;
    message: string;
    attempts: number;
    state: DocumentStateName;
    /** A GL journal refused because Sage's cross-reference already holds its key as another journal: "Accept Sage's journal" applies (acceptSageJournals). */
    sageJournalAcceptable: boolean;
  }[];
}

export interface PayoutRow {
  payoutId: string;
  arrivalDate: string;
  amount: string;
  currency: string;
  status: 'reconciled' | 'blocked' | 'waiting' | 'failed' | 'manual';
  variance: string | null;
  explanation: string | null;
  sageBatch: string | null;
}

export interface PayoutReportLine {
  category: string;
  stripeAmount: string;
  sageAmount: string | null;
  acctNo: string | null;
  sourceIds: string[];
}

export interface PayoutReport {
  payout: PayoutRow;
  lines: PayoutReportLine[];
  stripeNet: string;
  sageBankAmount: string | null;
}

export interface SageAccountView {
  acctNo: string;
  description: string;
  active: boolean;
  /**
   * The account's type from Sage's chain tglAccount → tglNaturalAcct → tglAcctType →
   * tglAcctCategory: the category ("Revenue", "Expense", …) decides which settings may use it.
   * Null when the chain is broken at the site.
   */
  type: { categoryId: number; typeId: number | null; name: string } | null;
  /** Asked for one setting: why this account's type does not fit it ("4000-00 Sales is a Revenue account, and …"); null when it fits. */
  unsuitable: string | null;
}

export interface MappingProblem {
  path: string;
  message: string;
}

export interface MappingView {
  version: number;
  /** The mapping document (see main/core/mapping); edited as a whole and validated by main. */
  mapping: Record<string, unknown>;
  problems: MappingProblem[];
}

/** One document not yet in Sage that the edited mapping would plan differently (main/core/engine/preview.ts). */
export interface MappingChange {
  docKey: string;
  stripeObjectId: string;
  before: PlanLineView[];
  /** The lines the edited mapping plans; null when the document would go away (e.g. folded into a daily summary). */
  after: PlanLineView[] | null;
  /** Why it changes shape, when it is more than its lines ("the mapping is daily-summary now: …"). */
  note: string | null;
}

export interface MappingPreview {
  problems: MappingProblem[];
  /** Documents not yet written that would change, the first ones (total says how many in all). */
  changes: MappingChange[];
  total: number;
}

/** The rules editor's live count for one rule over the most recent stored Stripe objects. */
export interface RuleMatchesView {
  examined: number;
  matched: number;
  examples: { objectId: string; kind: string; description: string | null; amount: number | null; currency: string | null }[];
  /** Why the conditions cannot be counted (a field the schema refuses), in words; empty when they can. */
  problems: MappingProblem[];
}

/** Sage ids a rule may name, from the company's tables: customer classes, items, warehouses. */
export interface SageReferencesView {
  customerClasses: string[];
  items: string[];
  warehouses: string[];
}

/** Values seen in recent Stripe data, for the rules editor's pickers. */
export interface RuleVocabularyView {
  metadata: { on: 'object' | 'charge' | 'payment_intent' | 'customer' | 'invoice' | 'product'; key: string; values: string[] }[];
  products: string[];
  prices: string[];
  paymentMethodTypes: string[];
  cardBrands: string[];
  currencies: string[];
  countries: string[];
  balanceTransactionTypes: string[];
  reportingCategories: string[];
}

export interface SettingsView {
  /** The active profile's name, and every profile's name. */
  profile: string;
  profiles: string[];
  /** The profile runs on the built-in Stripe simulator and a practice Sage sandbox. */
  demo: boolean;
  stripe: { apiBase: string; keySet: boolean; keyMode: 'test' | 'live' | null };
  sage: {
    kind: 'sandbox' | 'mssql';
    sandboxPath: string | null;
    server: string | null;
    database: string | null;
    user: string | null;
    companyId: string | null;
    passwordSet: boolean;
    port: number | null;
    authentication: 'sql' | 'windows';
    domain: string | null;
    encrypt: boolean;
    trustServerCertificate: boolean;
  };
  /** How each wizard step was settled; "untested" ones are labelled in Settings. */
  setupSteps: Partial<Record<SetupStep, SetupStepRecord>>;
  schedule: { pollIntervalMinutes: number; quietHours: { from: string; to: string } | null };
  paused: boolean;
  shadowMode: boolean;
  startAtLogin: boolean;
  notifications: boolean;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Where secrets are saved ("Windows Credential Manager"), and why not there when it is a fallback. */
  credentialStore: { name: string; fallbackReason: string | null };
  /** YYYY-MM-DD: Stripe activity dated before it is never written to Sage. */
  goLiveDate: string | null;
  /** YYYY-MM-DD: the first run reads Stripe history from this date (null: the last 90 days). */
  historyFrom: string | null;
  /** Documents previewed in shadow mode, to decide about when going live; null when the engine is not open. */
  previewed: { count: number; from: string | null; to: string | null } | null;
}

/** The app's own updates (main/shell/update-policy.ts), answered by the Electron shell. */
export interface UpdateStatusView {
  phase: 'disabled' | 'idle' | 'checking' | 'downloading' | 'ready' | 'failed';
  version: string | null;
  /** Why updates are off, or why the last check failed. */
  detail: string | null;
}

export type LogLevelName = 'error' | 'warn' | 'info' | 'debug';

/** One line of the app's log files as the log view shows it (main/app/recent-log.ts); already redacted. */
export interface LogLineView {
  time: string | null;
  level: LogLevelName;
  /** Which process wrote it: `main` (tray and window) or `engine`. */
  source: string;
  message: string;
  /** The line's other fields as JSON text, if any. */
  details: string | null;
}

export interface StripeKeyCheck {
  ok: boolean;
  accountName: string | null;
  livemode: boolean | null;
  restricted: boolean;
  warnings: string[];
  message: string | null;
}

export type { PreflightItem };

// ---------- settings profiles (main/app/profile-registry.ts) ----------

/** What a profile's Sage company is marked: a test company or the live books (null: not marked yet). */
export const profileKindNames = ['test', 'live'] as const;
/** How a profile is shown: its mark, and "live-test-key" when a live profile uses a Stripe test key. */
export type ProfileLabelName = 'demo' | 'test' | 'live' | 'live-test-key';

export interface ProfileView {
  id: string;
  name: string;
  kind: (typeof profileKindNames)[number] | null;
  label: ProfileLabelName;
  /** Its data folder: settings, ledger and site files (kept on disk when the profile is deleted). */
  folder: string;
  active: boolean;
  configured: boolean;
  stripeKeySet: boolean;
}

export interface ProfilesView {
  profiles: ProfileView[];
  /** Where each profile's secrets are kept ("Windows Credential Manager"). */
  credentialStore: string;
}

// ---------- setup wizard (main/app/setup-wizard.ts) ----------

/** The wizard's steps, in order; each is tested before the next (or saved untested, on request). */
export const setupSteps = ['stripe', 'sage', 'company', 'preflight', 'mapping', 'schedule', 'goLive', 'mode'] as const;
export type SetupStep = (typeof setupSteps)[number];

/** How a step was settled: its test passed, or the user chose to save it untested. */
export interface SetupStepRecord {
  result: 'passed' | 'untested';
  at: string;
}

/** A failed test in plain words: what happened, what it means, what to do. */
export interface SetupProblem {
  title: string;
  detail: string;
  fix: string;
}

export interface StripeKeyProbeView {
  passed: boolean;
  /** The key was saved in the credential store (test passed, or saved untested). */
  saved: boolean;
  mode: 'test' | 'live' | null;
  restricted: boolean;
  accountName: string | null;
  /** Read permissions a restricted key lacks, by the Dashboard's name, with the endpoint that refused. */
  missingPermissions: { resource: string; permission: string | null; endpoint: string }[];
  problem: SetupProblem | null;
  warnings: string[];
}

/** Where Sage 500 is: SQL Server (SQL or Windows login), or a sandbox file for practice. */
export type SageTargetInput =
  | { kind: 'sandbox'; sandboxPath: string }
  | {
      kind: 'mssql';
      /** `host`, `host\\INSTANCE` or an IP address. */
      server: string;
      port: number | null;
      database: string;
      authentication: 'sql' | 'windows';
      user: string;
      /** Windows authentication only: the account's domain. */
      domain: string | null;
      encrypt: boolean;
      trustServerCertificate: boolean;
    };

export interface SageConnectionProbeView {
  passed: boolean;
  saved: boolean;
  problem: SetupProblem | null;
  /** The companies in tsmCompany, to pick from. */
  companies: { companyId: string; name: string }[];
}

export interface SetupChecksView {
  passed: boolean;
  saved: boolean;
  checks: PreflightItem[];
}

/** One GL account of the mapping as the wizard shows it: its path ("accounts.refunds"), the account and what is wrong with it. */
export interface SetupAccountView {
  path: string;
  acctNo: string;
  problem: string | null;
}

export interface SetupMappingView {
  passed: boolean;
  saved: boolean;
  accounts: SetupAccountView[];
}

/** What the wizard starts from: the saved settings (no secrets) and the steps settled so far. */
export interface SetupStateView {
  demo: boolean;
  configured: boolean;
  steps: Partial<Record<SetupStep, SetupStepRecord>>;
  stripeKeySet: boolean;
  sage: SageTargetInput | null;
  passwordSet: boolean;
  companyId: string | null;
  accounts: SetupAccountView[];
  pollIntervalMinutes: number;
  goLiveDate: string | null;
  historyFrom: string | null;
  shadowMode: boolean;
}

// ---------- request payload schemas ----------

const secretName = z.enum(['stripeApiKey', 'sqlPassword']);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const sageTargetInputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sandbox'), sandboxPath: z.string().min(1).max(1000) }),
  z.object({
    kind: z.literal('mssql'),
    server: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(65535).nullable(),
    database: z.string().trim().min(1).max(128),
    authentication: z.enum(['sql', 'windows']),
    user: z.string().trim().min(1).max(128),
    domain: z.string().trim().max(255).nullable(),
    encrypt: z.boolean(),
    trustServerCertificate: z.boolean(),
  }),
]);

/** AR payments (docs/posting-rules.md "AR payments"): whether the site proved its cash receipt, and the payments waiting for the user. */
export interface ArPaymentsView {
  /** The site captured, checked and rehearsed its cash receipt. */
  available: boolean;
  /** Available and turned on in the mapping. */
  active: boolean;
  reason: string;
  pending: ArConfirmationView[];
  /** Each AR document type the sync could write, and whether this site allows it (main/app/ar-readiness.ts). */
  documents: ArDocumentReadinessView[];
}

export interface ArDocumentReadinessView {
  /** 'stripe-sale-invoice': a pending AR invoice with the payment applied, for a sale no Sage invoice covers (main/app/ar-invoice-readiness.ts). */
  kind: 'cash-receipt' | 'credit-memo' | 'stripe-sale-invoice';
  /** The site proved it: it can be turned on. */
  available: boolean;
  /** Available and turned on. */
  active: boolean;
  /** Why it is on, can be turned on, or is unavailable (in words, with the way out). */
  reason: string;
}

export interface ArConfirmationView {
  paymentId: string;
  custId: string | null;
  /** Gross, Sage decimal text. */
  amount: string;
  reason: string;
  candidates: { tranId: string; custId: string; openBalance: string }[];
}

const arDecision = z.union([
  z.object({ kind: z.literal('apply'), tranId: z.string().trim().min(1).max(13) }),
  z.object({ kind: z.literal('on-account') }),
  z.object({ kind: z.literal('gl') }),
]);

/**
 * Answers the window and `s5sync` share, from one implementation (main/app/ledger-operations.ts):
 * one object's documents as stored and as the current mapping plans them (`s5sync preview ID`),
 * the current rules condition by condition on one object (`s5sync rules test --object ID`), and
 * the payouts arriving in a period beside Sage's own journal lines (`s5sync report payouts`).
 */
export type { ObjectPreview, PreviewDocument, PreviewLine } from '../main/core/engine/preview.js';
export type { RuleTestReport } from '../main/core/engine/rule-test.js';
export type PeriodPayoutReport = PeriodReport;

export const requestSchemas = {
  getStatus: z.void(),
  syncNow: z.void(),
  setPaused: z.object({ paused: z.boolean() }),
  listActivity: z.object({
    search: z.string().max(200).optional(),
    kind: z.enum(objectKinds).optional(),
    state: z.enum(documentStates).optional(),
    /** Business dates (company time zone), both included. */
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    limit: z.number().int().min(1).max(500),
    offset: z.number().int().min(0),
  }),
  getObjectDetail: z.object({ stripeObjectId: z.string().min(1).max(255) }),
  listErrors: z.void(),
  listRuns: z.object({ limit: z.number().int().min(1).max(500), offset: z.number().int().min(0) }),
  retryDocuments: z.union([
    z.object({ docKeys: z.array(z.string().min(1).max(255)).min(1).max(10_000) }),
    z.object({ cause: z.string().min(1).max(200) }),
    z.object({ all: z.literal(true) }),
  ]),
  skipDocuments: z.object({
    docKeys: z.array(z.string().min(1).max(255)).min(1).max(10_000),
    reason: z.string().min(3).max(500),
  }),
  /**
   * "Accept Sage's journal" for GL journals refused because Sage's cross-reference already holds
   * their key as another journal (main/core/engine/accept-sage-journal.ts): recorded as written
   * under that journal, with the reason; refused, recording none, unless every one is such a
   * refusal and Sage still holds its key.
   */
  acceptSageJournals: z.object({
    docKeys: z.array(z.string().min(1).max(255)).min(1).max(10_000),
    reason: z.string().trim().min(3).max(500),
  }),
  listPayouts: z.object({ from: z.string().optional(), to: z.string().optional() }),
  getPayoutReport: z.object({ payoutId: z.string().min(1).max(255) }),
  exportPayoutsCsv: z.object({ from: z.string(), to: z.string() }),
  getMapping: z.void(),
  previewMapping: z.object({ mapping: z.record(z.string(), z.unknown()) }),
  saveMapping: z.object({ mapping: z.record(z.string(), z.unknown()) }),
  /** `setting`: the mapping path the account is for ("accounts.fees.stripe_fee"); each account then says whether its type fits. */
  listSageAccounts: z.object({ search: z.string().max(100), setting: z.string().max(200).optional() }),
  getBalanceProof: z.void(),
  getUpdateStatus: z.void(),
  /** Installs a downloaded update: the app quits and restarts into the new version. */
  restartToUpdate: z.void(),
  /** The newest log lines at or above `level`, newest first. */
  readLog: z.object({ level: z.enum(['error', 'warn', 'info', 'debug']), limit: z.number().int().min(1).max(2000) }),
  getArPayments: z.void(),
  /** The user's answer for a payment on the AR confirm list: one of its candidate invoices, on account, or GL only. */
  decideArPayment: z.object({ paymentId: z.string().min(1).max(255), decision: arDecision }),
  /** The business rules (main/core/rules): validated by main as part of the mapping. */
  previewRules: z.object({ rules: z.array(z.unknown()).max(500) }),
  saveRules: z.object({ rules: z.array(z.unknown()).max(500) }),
  /** A rule's conditions: the count depends on nothing else. */
  ruleMatches: z.object({ when: z.array(z.unknown()).max(100) }),
  ruleVocabulary: z.void(),
  listSageReferences: z.void(),
  getOpeningBalance: z.void(),
  /** Confirms exactly the amounts the user was shown; refused when the proposal has changed since. */
  confirmOpeningBalance: z.object({ clearing: z.string().max(20), inTransit: z.string().max(20) }),
  getSettings: z.void(),
  saveSettings: z.object({
    stripe: z.object({ apiBase: z.string().url() }).partial().optional(),
    sage: z
      .object({
        kind: z.enum(['sandbox', 'mssql']),
        sandboxPath: z.string().max(1000),
        server: z.string().max(255),
        database: z.string().max(128),
        user: z.string().max(128),
        companyId: z.string().max(3),
      })
      .partial()
      .optional(),
    schedule: z
      .object({
        pollIntervalMinutes: z.number().int().min(1).max(1440),
        quietHours: z.object({ from: z.string(), to: z.string() }).nullable(),
      })
      .partial()
      .optional(),
    shadowMode: z.boolean().optional(),
    /** Required when leaving shadow mode with previewed documents: keep them out of Sage, or write them. */
    previewed: z.enum(['skip', 'write']).optional(),
    goLiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional(),
    historyFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable().optional(),
    startAtLogin: z.boolean().optional(),
    notifications: z.boolean().optional(),
    logLevel: z.enum(['error', 'warn', 'info', 'debug']).optional(),
  }),
  setSecret: z.object({ name: secretName, value: z.string().min(1).max(4096) }),
  testStripeKey: z.void(),
  testSage: z.void(),
  startDemo: z.void(),
  getSetup: z.void(),
  /** The key travels once, renderer → main; it is saved only when its test passes or `saveUntested`. */
  setupStripeKey: z.object({ key: z.string().min(1).max(4096), saveUntested: z.boolean() }),
  /** The password is optional when one is already saved. */
  setupSage: z.object({ target: sageTargetInputSchema, password: z.string().min(1).max(4096).optional(), saveUntested: z.boolean() }),
  setupCompany: z.object({ companyId: z.string().trim().min(1).max(3), saveUntested: z.boolean() }),
  setupPreflight: z.object({ saveUntested: z.boolean() }),
  setupListAccounts: z.object({ search: z.string().max(100) }),
  setupMapping: z.object({ accounts: z.record(z.string().max(100), z.string().trim().min(1).max(100)), saveUntested: z.boolean() }),
  setupFinish: z.object({
    pollIntervalMinutes: z.number().int().min(1).max(1440),
    goLiveDate: isoDate.nullable(),
    historyFrom: isoDate.nullable(),
    shadowMode: z.boolean(),
  }),
  /** Start with Sage and Stripe again now instead of at the next retry. */
  reconnect: z.void(),
  previewObject: z.object({ stripeObjectId: z.string().min(1).max(255) }),
  testRules: z.object({ stripeObjectId: z.string().min(1).max(255) }),
  /** Business dates (company time zone), both included. */
  getPeriodPayoutReport: z.object({ from: isoDate, to: isoDate }).refine((period) => period.from <= period.to, { message: 'the period ends before it starts' }),
  listProfiles: z.void(),
  /** A new, empty profile, made the active one; the window then runs the setup wizard on it. */
  addProfile: z.object({ name: z.string().trim().min(1).max(40), kind: z.enum(profileKindNames) }),
  renameProfile: z.object({ id: z.string().min(1).max(40), name: z.string().trim().min(1).max(40) }),
  /** Takes a profile off the list and removes its secrets; its data folder (ledger, settings) stays on disk. */
  deleteProfile: z.object({ id: z.string().min(1).max(40) }),
  /** Stops the engine after any run in progress and starts it on the other profile. */
  switchProfile: z.object({ id: z.string().min(1).max(40) }),
  copyDiagnostics: z.void(),
  openLogsFolder: z.void(),
} as const;

export type RequestName = keyof typeof requestSchemas;

export interface ResponseTypes {
  getStatus: StatusSnapshot;
  syncNow: { started: boolean };
  setPaused: { paused: boolean };
  listActivity: { rows: ActivityRow[]; total: number };
  getObjectDetail: ObjectDetail;
  listErrors: ErrorGroup[];
  listRuns: { runs: RunView[]; total: number };
  retryDocuments: { retried: number };
  skipDocuments: { skipped: number };
  acceptSageJournals: { accepted: number };
  listPayouts: PayoutRow[];
  getPayoutReport: PayoutReport;
  exportPayoutsCsv: { csv: string; fileName: string };
  getMapping: MappingView;
  previewMapping: MappingPreview;
  saveMapping: MappingView;
  listSageAccounts: SageAccountView[];
  getBalanceProof: BalanceProofDetail | null;
  getUpdateStatus: UpdateStatusView;
  restartToUpdate: { restarting: boolean };
  /** `text`: the same lines as plain text for support; `available`: false when this process has no log files to read. */
  readLog: { lines: LogLineView[]; text: string; available: boolean };
  getArPayments: ArPaymentsView;
  decideArPayment: ArPaymentsView;
  previewRules: MappingPreview;
  saveRules: MappingView;
  ruleMatches: RuleMatchesView;
  ruleVocabulary: RuleVocabularyView;
  listSageReferences: SageReferencesView;
  getOpeningBalance: OpeningBalanceView | null;
  confirmOpeningBalance: OpeningBalanceView;
  getSettings: SettingsView;
  saveSettings: SettingsView;
  setSecret: { set: true };
  testStripeKey: StripeKeyCheck;
  testSage: { ok: boolean; checks: PreflightItem[] };
  startDemo: SettingsView;
  getSetup: SetupStateView;
  setupStripeKey: StripeKeyProbeView;
  setupSage: SageConnectionProbeView;
  setupCompany: SetupChecksView;
  setupPreflight: SetupChecksView;
  setupListAccounts: SageAccountView[];
  setupMapping: SetupMappingView;
  setupFinish: SettingsView;
  reconnect: { connected: boolean };
  previewObject: ObjectPreview;
  testRules: RuleTestReport;
  getPeriodPayoutReport: PeriodPayoutReport;
  listProfiles: ProfilesView;
  addProfile: ProfilesView;
  renameProfile: ProfilesView;
  deleteProfile: ProfilesView;
  switchProfile: ProfilesView;
  copyDiagnostics: { text: string };
  openLogsFolder: { opened: boolean };
}

export type RequestPayload<N extends RequestName> = z.input<(typeof requestSchemas)[N]>;

/** Events pushed from main to the window. Subscribe after reading the snapshot. */
export interface EventPayloads {
  status: StatusSnapshot;
  navigate: { view: ViewId };
}

export type EventName = keyof EventPayloads;

/** The IPC channel for each request: one prefix, so the preload can allow-list it. */
export const requestChannel = (name: RequestName): string => `s5sync:request:${name}`;
export const eventChannel = (name: EventName): string => `s5sync:event:${name}`;

/** What the preload exposes as `window.s5sync`, and all the renderer may call. */
export interface BridgeApi {
  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<Result<ResponseTypes[N]>>;
  subscribe<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

export const requestNames = Object.keys(requestSchemas) as RequestName[];
export const eventNames: EventName[] = ['status', 'navigate'];

/**
 * What main implements behind the contract (main/app/app-service.ts): one async function per
 * request with an already-validated payload, plus the event stream. The shell's IPC layer and
 * the UI tests' bridge both wrap an AppService, so the window always talks to the real engine.
 */
export type AppService = {
  [N in RequestName]: (payload: z.output<(typeof requestSchemas)[N]>) => Promise<ResponseTypes[N]>;
} & {
  onEvent<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void;
};
