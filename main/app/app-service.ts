import type { AppService, MappingView, RequestPayload } from '../../preload/contract.js';
import type { CredentialStore } from '../adapters/credentials/credential-store.js';
import { validateMapping, type Mapping } from '../core/mapping/mapping.js';
import { businessDate } from '../core/time/business-date.js';
import { buildDiagnostics } from '../adapters/logging/diagnostics.js';
import { AppSession } from './app-session.js';
import { arPaymentsView, decideArPayment } from './ar-payments-view.js';
import { OpeningBalanceRefused } from '../core/engine/opening-balance.js';
import { AcceptRefused } from '../core/engine/accept-sage-journal.js';
import { AppServiceError } from './app-service-error.js';
import { balanceProofDetail } from './balance-proof-detail.js';
import { logText, readRecentLog } from './recent-log.js';
import { getObjectDetail, listActivity } from './activity-queries.js';
import { LedgerOperations } from './ledger-operations.js';
import { previewMappingChanges } from './mapping-preview.js';
import { accountsFor } from './sage-accounts.js';
import { mappingWithRules, ruleMatchesView } from './rules-editing.js';
import { recentRuleVocabulary } from '../core/engine/rule-vocabulary.js';
import { listPayoutRows, payoutReport, payoutsCsv } from './payout-queries.js';
import { PLANNING_KEY_PREFIX } from './planning-problems.js';
import { toSettingsView } from './settings-view.js';
import { stripeApiBaseRefusal, stripeKeyModeOf, type StripeKeyMode } from './stripe-api-base.js';
import { previewedDocuments, settlePreviewedDocuments } from './shadow-exit.js';
import type { Runtime, RuntimeOptions } from './open-runtime.js';
import { StripeHttpApi } from '../adapters/stripe/stripe-http-api.js';
import { openSetupTarget } from './open-setup-target.js';
import { SetupWizard, type SetupHost } from './setup-wizard.js';
import { probeStripeKey } from './stripe-key-probe.js';
import { profileKeyRefusal } from './profile-key-guard.js';
import { profilesView } from './profiles-view.js';

/** A wizard test should answer within seconds, not the engine's 30 s per request. */
const SETUP_STRIPE_DEADLINE_MS = 15_000;

export interface AppServiceOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Where secrets are kept; the window only ever learns whether each is set. */
  credentials: CredentialStore;
  /** Opens straight into the demo (the simulator and a sandbox), as `s5sync demo` does. */
  demo?: boolean;
  /** Pauses between automatic reconnects while Sage or Stripe is out of reach (tests shorten them). */
  reconnectDelaysMs?: readonly number[];
  /** Where the main and engine processes write their logs, for the log view; none: the view says so. */
  logsDirectory?: string;
  /** Passed to each runtime the app opens (the outage tests make the Sage port fail and recover; the UI tests run the engine on the simulator's clock). */
  runtimeOptions?: Pick<RuntimeOptions, 'wrapSage' | 'clock'>;
}

/** The service plus shutdown, which the contract's AppService leaves to whoever owns it. */
export type ClosableAppService = AppService & { close(): Promise<void> };

/**
 * Implements every request of the window contract on the real engine: handlers read the
 * ledger's tables through the query helpers and change things through the engine, ledger and
 * credential store. Each handler is small; anything longer lives in its own file.
 */
export async function createAppService(options: AppServiceOptions): Promise<ClosableAppService> {
  const session = new AppSession(options.dataDir, options.env, options.credentials, options.reconnectDelaysMs, options.runtimeOptions);
  if (options.demo) await session.startDemo();
  else await session.reopen();

  const requireRuntime = (): Runtime => {
    if (session.connection && !session.runtime) throw new AppServiceError('not-configured', `${session.connection.title}: ${session.connection.reason}`);
    if (!session.runtime) throw new AppServiceError('not-configured', 'Stripe Sync is not set up yet: finish the setup wizard or try the demo.');
    return session.runtime;
  };
  // Getters: the wizard works on whichever profile is active.
  const setupHost: SetupHost = {
    get dataDir() {
      return session.dataDir;
    },
    get credentials() {
      return session.credentials;
    },
    keyRefusal: (keyMode) => profileKeyRefusal(session.profiles.active(), keyMode),
    activeProfile: () => session.profiles.active(),
    settings: () => session.settings,
    savedMapping: () => session.savedMapping(),
    today: (mapping) => businessToday(mapping),
    now: () => new Date(),
    openStripe: (key) => {
      // The key under test goes where the saved one may go, never elsewhere.
      refuseStripeApiBase(session.settings.stripe.apiBase, stripeKeyModeOf(key));
      return new StripeHttpApi({ apiKey: key, apiBase: session.settings.stripe.apiBase, timeoutMs: SETUP_STRIPE_DEADLINE_MS });
    },
    openSage: (target, password) => openSetupTarget(target, password),
  };
  let wizard: SetupWizard | null = null;
  const currentWizard = (): SetupWizard => (wizard ??= new SetupWizard(setupHost));
  const currentMapping = () => requireRuntime().ledger.mappings.currentMapping()?.mapping ?? session.savedMapping();
  // The operations `s5sync` offers too, on the runtime's ledger with the mapping the engine books with.
  const operations = () => new LedgerOperations(requireRuntime().ledger, currentMapping);
  // Rules change only through saveRules: the mapping editor's draft may have been loaded before the
  // rules editor saved, and passing its copy of the rules through would bring the old ones back.
  const withSavedRules = (draft: Record<string, unknown>): Record<string, unknown> => {
    const { rules: _draftRules, ...rest } = draft;
    const saved = currentMapping().rules;
    return saved === undefined ? rest : { ...rest, rules: saved };
  };
  const settingsView = () =>
    toSettingsView(
      { active: session.profiles.active().name, names: session.profiles.list().map((profile) => profile.name) },
      session.settings,
      session.credentials,
      session.settings.demo, session.runtime ? previewedDocuments(session.runtime.ledger.documents) : null);
  const storedKeyMode = async () => {
    const key = await session.credentials.get('stripeApiKey');
    return key === null ? null : stripeKeyModeOf(key);
  };
  const refuseStripeApiBase = (apiBase: string, keyMode: StripeKeyMode | null): void => {
    const refusal = stripeApiBaseRefusal(apiBase, keyMode);
    if (refusal !== null) throw new AppServiceError('invalid-request', `Stripe API address refused: ${refusal}.`);
  };
  const businessToday = (mapping: Mapping) => businessDate(Math.floor(session.businessNowMs() / 1000), mapping.timeZone);
  const accountProblems = (mapping: Mapping) => requireRuntime().sageCompany.accountProblems(mapping, businessToday(mapping));
  // The rules editor answers for the rules' accounts; the mapping editor shows the others.
  const rulesAccountProblems = async (mapping: Mapping) => (await accountProblems(mapping)).filter((problem) => problem.path.startsWith('rules.'));
  const activityOptions = () => ({ timeZone: currentMapping().timeZone, dashboardLinks: !session.settings.demo });
  const mappingView = async (): Promise<MappingView> => {
    const current = requireRuntime().ledger.mappings.currentMapping();
    if (!current) throw new AppServiceError('not-found', 'No mapping is saved yet.');
    return { version: current.version, mapping: current.mapping as unknown as Record<string, unknown>, problems: await accountProblems(current.mapping) };
  };

  return {
    getStatus: async () => session.snapshot(),
    syncNow: async () => ({ started: session.startRun() }),
    setPaused: async ({ paused }) => {
      session.updateSettings({ paused });
      session.emitStatus();
      return { paused };
    },
    listActivity: async (query: RequestPayload<'listActivity'>) => listActivity(requireRuntime().ledger, query, activityOptions()),
    getObjectDetail: async ({ stripeObjectId }) => {
      const detail = getObjectDetail(requireRuntime().ledger, stripeObjectId, activityOptions());
      if (!detail) throw new AppServiceError('not-found', `${stripeObjectId} is not in the sync ledger.`);
      return detail;
    },
    listErrors: async () => operations().errorGroups(),
    listRuns: async (page) => operations().runHistory(page),
    retryDocuments: async (selector) => {
      const retried = operations().retry(selector);
      // A retry the bookkeeper asked for should happen now, not at the next scheduled run.
      if (retried > 0) session.startRun();
      session.emitStatus();
      return { retried };
    },
    skipDocuments: async ({ docKeys, reason }) => {
      if (docKeys.some((key) => key.startsWith(PLANNING_KEY_PREFIX))) {
        throw new AppServiceError('invalid-request', 'A Stripe record that could not be planned has no Sage document to skip: fix the record and retry it.');
      }
      const skipped = requireRuntime().ledger.documents.skipDocuments(docKeys, reason);
      session.emitStatus();
      return { skipped };
    },
    acceptSageJournals: async ({ docKeys, reason }) => {
      const runtime = requireRuntime();
      let accepted: string[];
      try {
        accepted = await operations().acceptSageJournals(runtime.sageCrossReference, docKeys, reason);
      } catch (error) {
        if (error instanceof AcceptRefused) throw new AppServiceError('invalid-request', `Sage's journal not accepted: ${error.message}.`);
        throw error;
      }
      // Payouts waiting for these journals are proved again by a run: now, not at the next scheduled one.
      if (accepted.length > 0) session.startRun();
      session.emitStatus();
      return { accepted: accepted.length };
    },
    listPayouts: async (range) => listPayoutRows(requireRuntime().ledger, range),
    getPayoutReport: async ({ payoutId }) => {
      const report = payoutReport(requireRuntime().ledger, payoutId, currentMapping());
      if (!report) throw new AppServiceError('not-found', `Payout ${payoutId} is not in the sync ledger.`);
      return report;
    },
    exportPayoutsCsv: async ({ from, to }) => ({
      csv: payoutsCsv(listPayoutRows(requireRuntime().ledger, { from, to })),
      fileName: `stripe-payouts-${from}-to-${to}.csv`,
    }),
    getMapping: async () => mappingView(),
    previewMapping: async ({ mapping }) => {
      const check = validateMapping(withSavedRules(mapping));
      if (!check.ok) return { problems: check.problems, changes: [], total: 0 };
      return { problems: await accountProblems(check.mapping), ...previewMappingChanges(requireRuntime().ledger, check.mapping) };
    },
    saveMapping: async ({ mapping }) => {
      const check = validateMapping(withSavedRules(mapping));
      if (!check.ok) return { ...(await mappingView()), mapping, problems: check.problems };
      const problems = await accountProblems(check.mapping);
      if (problems.length > 0) return { ...(await mappingView()), mapping, problems };
      // A new version makes the engine's next run plan every document not yet in Sage again.
      requireRuntime().ledger.mappings.saveMapping(check.mapping);
      session.emitStatus();
      return mappingView();
    },
    listSageAccounts: async ({ search, setting }) => accountsFor(setting, await requireRuntime().sageCompany.listAccounts(search)),
    getBalanceProof: async () => balanceProofDetail(requireRuntime().ledger),
    // Updates belong to the installed Electron app; the shell answers these two (main/shell/update-policy.ts).
    getUpdateStatus: async () => ({ phase: 'disabled', version: null, detail: 'Updates are checked only by the installed app.' }),
    restartToUpdate: async () => ({ restarting: false }),
    readLog: async (query) => {
      const lines = options.logsDirectory ? readRecentLog(options.logsDirectory, query) : [];
      return { lines, text: logText(lines), available: options.logsDirectory !== undefined };
    },
    getArPayments: async () => arPaymentsView(requireRuntime().config),
    decideArPayment: async ({ paymentId, decision }) => {
      const view = decideArPayment(requireRuntime().config, paymentId, decision);
      // The next run plans the payment by the decision.
      session.startRun();
      return view;
    },
    previewRules: async ({ rules }) => {
      const check = mappingWithRules(currentMapping(), rules);
      if (!check.ok) return { problems: check.problems, changes: [], total: 0 };
      return { problems: await rulesAccountProblems(check.mapping), ...previewMappingChanges(requireRuntime().ledger, check.mapping) };
    },
    saveRules: async ({ rules }) => {
      const check = mappingWithRules(currentMapping(), rules);
      if (!check.ok) return { ...(await mappingView()), problems: check.problems };
      const problems = await rulesAccountProblems(check.mapping);
      if (problems.length > 0) return { ...(await mappingView()), problems };
      // A new mapping version: the next run plans every document not yet in Sage with the rules.
      requireRuntime().ledger.mappings.saveMapping(check.mapping);
      session.emitStatus();
      const view = await mappingView();
      return { ...view, problems: view.problems.filter((problem) => problem.path.startsWith('rules.')) };
    },
    ruleMatches: async ({ when }) => ruleMatchesView(requireRuntime().ledger, currentMapping(), when),
    ruleVocabulary: async () => recentRuleVocabulary(requireRuntime().ledger, currentMapping()),
    listSageReferences: async () => requireRuntime().sageCompany.references(),
    getOpeningBalance: async () => operations().openingBalance(requireRuntime().config.sync.goLiveDate),
    confirmOpeningBalance: async (seen) => {
      try {
        return operations().confirmOpeningBalance(requireRuntime().config.sync.goLiveDate, seen);
      } catch (error) {
        if (error instanceof OpeningBalanceRefused) throw new AppServiceError('invalid-request', error.message);
        throw error;
      }
    },
    getSettings: async () => settingsView(),
    saveSettings: async (change) => {
      const current = session.settings;
      if (change.stripe?.apiBase !== undefined) refuseStripeApiBase(change.stripe.apiBase, await storedKeyMode());
      const leavingShadow = current.shadowMode && change.shadowMode === false;
      if (leavingShadow && session.runtime) {
        const previewed = previewedDocuments(session.runtime.ledger.documents);
        if (previewed.count > 0 && !change.previewed) {
          throw new AppServiceError(
            'invalid-request',
            `${previewed.count} documents dated ${previewed.from ?? '?'} to ${previewed.to ?? '?'} were previewed in shadow mode: choose whether to keep them out of Sage or write them before going live`,
          );
        }
        if (change.previewed) settlePreviewedDocuments(session.runtime.ledger.documents, change.previewed);
      }
      session.updateSettings({
        stripe: { ...current.stripe, ...change.stripe },
        sage: { ...current.sage, ...change.sage },
        schedule: { ...current.schedule, ...change.schedule },
        shadowMode: change.shadowMode ?? current.shadowMode,
        goLiveDate: change.goLiveDate === undefined ? current.goLiveDate : change.goLiveDate,
        historyFrom: change.historyFrom === undefined ? current.historyFrom : change.historyFrom,
        startAtLogin: change.startAtLogin ?? current.startAtLogin,
        notifications: change.notifications ?? current.notifications,
        logLevel: change.logLevel ?? current.logLevel,
        // Leaving the demo: a real Stripe or Sage target replaces the simulator and sandbox.
        demo: current.demo && !change.stripe && change.sage?.kind !== 'mssql',
        configured: current.configured || Boolean(change.sage?.kind),
      });
      // The engine takes its target and shadow mode when it opens.
      if (change.stripe || change.sage || change.shadowMode !== undefined || change.goLiveDate !== undefined || change.historyFrom !== undefined) await session.reopen();
      return settingsView();
    },
    setSecret: async ({ name, value }) => {
      // Trimmed: a pasted key often carries a space or line break, which Stripe would refuse.
      if (name === 'stripeApiKey') {
        const refusal = profileKeyRefusal(session.profiles.active(), stripeKeyModeOf(value));
        if (refusal !== null) throw new AppServiceError('invalid-request', `${refusal}.`);
        refuseStripeApiBase(session.settings.stripe.apiBase, stripeKeyModeOf(value));
      }
      await session.credentials.set(name, value.trim());
      return { set: true };
    },
    testStripeKey: async () => {
      const runtime = requireRuntime();
      // The demo's key is the simulator's own, which may read everything.
      const key = session.settings.demo ? 'sk_test_demo' : ((await session.credentials.get('stripeApiKey')) ?? options.env.STRIPE_API_KEY ?? '').trim();
      // The same test as the wizard's, with the key the engine uses: every endpoint it reads.
      const probe = await probeStripeKey(key, runtime.stripe).catch((error: unknown) => ({
        passed: false,
        accountName: null,
        mode: null,
        restricted: false,
        warnings: [],
        missingPermissions: [],
        problem: { title: 'Stripe refused the test', detail: error instanceof Error ? error.message : String(error), fix: 'Check the key in the Stripe Dashboard.' },
      }));
      return {
        ok: probe.passed,
        accountName: probe.accountName,
        livemode: probe.mode === null ? null : probe.mode === 'live',
        restricted: probe.restricted,
        warnings: probe.warnings,
        message: probe.problem ? `${probe.problem.title}. ${probe.problem.detail} ${probe.problem.fix}` : null,
      };
    },
    testSage: async () => {
      const mapping = currentMapping();
      const checks = await requireRuntime().sageCompany.preflight(mapping, businessToday(mapping));
      return { ok: checks.every((check) => check.passed), checks };
    },
    getSetup: async () => {
      // Opening the wizard starts a fresh draft from the saved settings.
      wizard = new SetupWizard(setupHost);
      return wizard.state();
    },
    setupStripeKey: async ({ key, saveUntested }) => currentWizard().stripeKey(key, saveUntested),
    setupSage: async ({ target, password, saveUntested }) => currentWizard().connectSage(target, password, saveUntested),
    setupCompany: async ({ companyId, saveUntested }) => currentWizard().chooseCompany(companyId, saveUntested),
    setupPreflight: async ({ saveUntested }) => currentWizard().preflight(saveUntested),
    setupListAccounts: async ({ search }) => currentWizard().listAccounts(search),
    setupMapping: async ({ accounts, saveUntested }) => currentWizard().chooseAccounts(accounts, saveUntested),
    setupFinish: async (choice) => {
      await session.applySetup(await currentWizard().finish(choice));
      wizard = null;
      return settingsView();
    },
    reconnect: async () => ({ connected: await session.reconnect() }),
    previewObject: async ({ stripeObjectId }) => {
      const preview = operations().previewObject(stripeObjectId);
      if (!preview) throw new AppServiceError('not-found', `${stripeObjectId} is not in the sync ledger.`);
      return preview;
    },
    testRules: async ({ stripeObjectId }) => {
      const report = operations().testRules(stripeObjectId);
      if (!report) throw new AppServiceError('not-found', `${stripeObjectId} is not in the sync ledger.`);
      return report;
    },
    getPeriodPayoutReport: async (period) => operations().periodPayoutReport(requireRuntime().sageCompany, period),
    listProfiles: async () => profilesView(session),
    addProfile: async ({ name, kind }) => {
      await session.addProfile(name, kind);
      wizard = null;
      return profilesView(session);
    },
    renameProfile: async ({ id, name }) => {
      session.profiles.rename(id, name);
      session.emitStatus();
      return profilesView(session);
    },
    deleteProfile: async ({ id }) => {
      await session.deleteProfile(id);
      return profilesView(session);
    },
    switchProfile: async ({ id }) => {
      await session.switchProfile(id);
      wizard = null;
      // The engine starts on the other profile at once, as after the demo starts.
      session.startRun();
      return profilesView(session);
    },
    startDemo: async () => {
      await session.startDemo();
      session.startRun();
      return settingsView();
    },
    copyDiagnostics: async () => ({
      text: buildDiagnostics({
        versions: { node: process.versions.node },
        settings: await settingsView(),
        lastErrors: session.recentErrors,
        ledgerCounts: session.runtime?.ledger.documents.countDocuments() ?? {},
      }),
    }),
    // The engine process has no desktop to open a folder on; the Electron shell answers this one.
    openLogsFolder: async () => ({ opened: false }),
    onEvent: (name, listener) => session.onEvent(name, listener),
    close: () => session.close(),
  };
}
