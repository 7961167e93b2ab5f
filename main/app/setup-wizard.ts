import type {
  PreflightItem,
  SageConnectionProbeView,
  SageTargetInput,
  SetupAccountView,
  SetupChecksView,
  SetupMappingView,
  SetupStateView,
  SetupStep,
  SetupStepRecord,
  StripeKeyProbeView,
} from '../../preload/contract.js';
import type { CredentialStore } from '../adapters/credentials/credential-store.js';
import { runPreflight } from '../adapters/sage/preflight.js';
import { listSageCompanies } from '../adapters/sage/sage-companies.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import type { StripeApi } from '../core/ports/stripe-api.js';
import { validateMapping, type Mapping } from '../core/mapping/mapping.js';
import { AppServiceError } from './app-service-error.js';
import type { AppSettings } from './app-settings.js';
import type { Profile } from './profile-registry.js';
import { accountLeaves } from './mapping-preview.js';
import { sageAccountProblems } from './mapping-account-check.js';
import { listSageAccounts } from './sage-accounts.js';
import { siteCheckOptions } from './site-check.js';
import { syncConfigFrom } from './runtime-config.js';
import { explainSqlConnectionError } from './sql-connection-problem.js';
import { probeStripeKey } from './stripe-key-probe.js';
import { stripeKeyModeOf } from './stripe-api-base.js';

/**
 * The setup wizard's steps, each tested for real before it counts: the Stripe key, the SQL
 * Server connection, the company, the preflight, the mapping against the Sage chart. A step is
 * settled when its test passes or when the user explicitly saves it untested; the record says
 * which, and Settings shows it. Nothing is written to the settings until `finish`, so a wizard
 * left halfway changes nothing but the secrets that were saved on the way.
 */

export interface SetupHost {
  readonly dataDir: string;
  readonly credentials: CredentialStore;
  /** Why this profile may not use a key of this mode (profile-key-guard.ts), or null. */
  keyRefusal(keyMode: 'test' | 'live'): string | null;
  activeProfile(): Profile;
  settings(): AppSettings;
  savedMapping(): Mapping;
  /** The business date in the mapping's time zone. */
  today(mapping: Mapping): string;
  now(): Date;
  openStripe(key: string): Pick<StripeApi, 'account' | 'list' | 'balance'>;
  openSage(target: SageTargetInput, password: string | null): Promise<SagePort>;
}

/** What `finish` hands to the session to apply: the new settings and the mapping to open with. */
export interface SetupOutcome {
  settings: Partial<AppSettings>;
  mapping: Mapping;
  /** Stripe key mode of the saved key, for the profile name. */
  keyMode: 'test' | 'live' | null;
}

const REQUIRED_BEFORE_FINISH: readonly SetupStep[] = ['stripe', 'sage', 'company', 'preflight', 'mapping'];
const STEP_NAMES: Record<SetupStep, string> = {
  stripe: 'Stripe key',
  sage: 'SQL Server',
  company: 'Sage company',
  preflight: 'Sage checks',
  mapping: 'Account mapping',
  schedule: 'Schedule',
  goLive: 'Go-live date',
  mode: 'Shadow or live',
};

function targetOf(settings: AppSettings): SageTargetInput | null {
  const sage = settings.sage;
  if (settings.demo || !settings.configured) return null;
  if (sage.kind === 'sandbox') return sage.sandboxPath ? { kind: 'sandbox', sandboxPath: sage.sandboxPath } : null;
  if (!sage.server || !sage.database || !sage.user) return null;
  return {
    kind: 'mssql',
    server: sage.server,
    port: sage.port,
    database: sage.database,
    authentication: sage.authentication,
    user: sage.user,
    domain: sage.domain,
    encrypt: sage.encrypt,
    trustServerCertificate: sage.trustServerCertificate,
  };
}

function accountViews(mapping: Mapping, problems: { path: string; message: string }[]): SetupAccountView[] {
  const leaves = new Map<string, string>();
  accountLeaves(mapping.accounts, 'accounts', leaves);
  return [...leaves].map(([path, acctNo]) => ({ path, acctNo, problem: problems.find((problem) => problem.path === path)?.message ?? null }));
}

/** Sets the account at a leaf path ("accounts.fees.stripe_fee") of a copy of the mapping's accounts. */
function withAccount(accounts: Record<string, unknown>, path: string, acctNo: string): Record<string, unknown> {
  const [group, key, child] = path.split('.');
  if (group !== 'accounts' || !key || !(key in accounts)) throw new AppServiceError('invalid-request', `${path} is not an account of the mapping`);
  if (child === undefined) return { ...accounts, [key]: acctNo };
  const nested = accounts[key];
  if (typeof nested !== 'object' || nested === null) throw new AppServiceError('invalid-request', `${path} is not an account of the mapping`);
  return { ...accounts, [key]: { ...(nested as Record<string, unknown>), [child]: acctNo } };
}

export class SetupWizard {
  private steps: Partial<Record<SetupStep, SetupStepRecord>>;
  private sage: SageTargetInput | null;
  private companyId: string | null;
  private mapping: Mapping;

  constructor(private readonly host: SetupHost) {
    const settings = host.settings();
    this.steps = settings.demo ? {} : { ...settings.setupChecks };
    this.sage = targetOf(settings);
    this.companyId = this.sage ? settings.sage.companyId : null;
    this.mapping = host.savedMapping();
  }

  private settle(step: SetupStep, passed: boolean): void {
    this.steps = { ...this.steps, [step]: { result: passed ? 'passed' : 'untested', at: this.host.now().toISOString() } };
  }

  /** A later step depends on the earlier ones: a new connection unsettles the company, checks and mapping. */
  private unsettleAfter(step: SetupStep): void {
    const order: SetupStep[] = ['sage', 'company', 'preflight', 'mapping'];
    const later = order.slice(order.indexOf(step) + 1);
    this.steps = Object.fromEntries(Object.entries(this.steps).filter(([name]) => !later.includes(name as SetupStep)));
  }

  async state(): Promise<SetupStateView> {
    const settings = this.host.settings();
    return {
      demo: settings.demo,
      configured: settings.configured,
      steps: this.steps,
      stripeKeySet: !settings.demo && (await this.host.credentials.isSet('stripeApiKey')),
      sage: this.sage,
      passwordSet: await this.host.credentials.isSet('sqlPassword'),
      companyId: this.companyId,
      accounts: accountViews(this.mapping, []),
      pollIntervalMinutes: settings.schedule.pollIntervalMinutes,
      goLiveDate: settings.goLiveDate,
      historyFrom: settings.historyFrom,
      shadowMode: settings.demo ? true : settings.shadowMode,
    };
  }

  async stripeKey(rawKey: string, saveUntested: boolean): Promise<StripeKeyProbeView> {
    // Trimmed: a pasted key often carries a space or line break, which Stripe would refuse.
    const key = rawKey.trim();
    const refusal = this.host.keyRefusal(stripeKeyModeOf(key));
    if (refusal !== null) {
      // Refused before any request: a key this profile may not use is not sent anywhere, nor saved even "untested".
      return {
        passed: false,
        saved: false,
        mode: stripeKeyModeOf(key),
        restricted: false,
        accountName: null,
        missingPermissions: [],
        warnings: [],
        problem: { title: 'A live key in a test profile', detail: `${refusal}.`, fix: 'Paste a test key (sk_test_ or rk_test_), or add a live profile in Settings → Profiles for the live key.' },
      };
    }
    const result = await probeStripeKey(key, this.host.openStripe(key)).catch((error: unknown) => ({
      passed: false,
      mode: null,
      restricted: false,
      accountName: null,
      missingPermissions: [],
      warnings: [],
      problem: { title: 'Stripe refused the test', detail: error instanceof Error ? error.message : String(error), fix: 'Check the key in the Stripe Dashboard and test again.' },
    }));
    const profile = this.host.activeProfile();
    const warnings =
      profile.kind === 'live' && stripeKeyModeOf(key) === 'test'
        ? [...result.warnings, `"${profile.name}" is a live profile and this is a test key: every screen labels it "Live, test key" until the live key is entered.`]
        : result.warnings;
    const save = result.passed || saveUntested;
    if (save) {
      await this.host.credentials.set('stripeApiKey', key);
      this.settle('stripe', result.passed);
    }
    return { ...result, warnings, saved: save };
  }

  private async password(given: string | undefined): Promise<string | null> {
    return given ?? (await this.host.credentials.get('sqlPassword'));
  }

  private async withSage<T>(work: (sage: SagePort) => Promise<T>): Promise<T> {
    if (!this.sage) throw new AppServiceError('invalid-request', 'Connect to SQL Server first (the SQL Server step).');
    const sage = await this.host.openSage(this.sage, await this.password(undefined));
    try {
      return await work(sage);
    } finally {
      await sage.close();
    }
  }

  async connectSage(target: SageTargetInput, password: string | undefined, saveUntested: boolean): Promise<SageConnectionProbeView> {
    const secret = target.kind === 'mssql' ? await this.password(password) : null;
    let probe: Omit<SageConnectionProbeView, 'saved'>;
    if (target.kind === 'mssql' && secret === null) {
      probe = { passed: false, companies: [], problem: { title: 'No password', detail: `Enter the password of ${target.user}.`, fix: 'Type the password your Sage partner gave you for this login.' } };
    } else {
      probe = await this.readCompanies(target, secret);
    }
    const save = probe.passed || saveUntested;
    if (save) {
      if (password !== undefined) await this.host.credentials.set('sqlPassword', password);
      this.sage = target;
      this.unsettleAfter('sage');
      this.settle('sage', probe.passed);
    }
    return { ...probe, saved: save };
  }

  private async readCompanies(target: SageTargetInput, password: string | null): Promise<Omit<SageConnectionProbeView, 'saved'>> {
    const address = target.kind === 'mssql' ? target : { server: target.sandboxPath, port: null, database: 'sandbox', user: 'sandbox' };
    let sage: SagePort;
    try {
      sage = await this.host.openSage(target, password);
    } catch (error) {
      if (target.kind === 'sandbox') {
        return {
          passed: false,
          companies: [],
          problem: { title: 'The sandbox file cannot be opened', detail: error instanceof Error ? error.message : String(error), fix: 'Pick the sandbox file again, or create one with `s5sync sandbox init --path FILE`.' },
        };
      }
      return { passed: false, companies: [], problem: explainSqlConnectionError(error, address) };
    }
    try {
      const companies = await listSageCompanies(sage);
      if (companies.length === 0) {
        return { passed: false, companies, problem: { title: 'No Sage company in this database', detail: `tsmCompany in ${address.database} is empty: this is not a Sage 500 company database.`, fix: 'Check the database name with your Sage partner.' } };
      }
      return { passed: true, companies, problem: null };
    } catch (error) {
      return {
        passed: false,
        companies: [],
        problem: { title: 'This is not a Sage 500 database', detail: `Connected, but Sage's company table tsmCompany could not be read (${error instanceof Error ? error.message : String(error)}).`, fix: 'Check the database name, and that the login may read it (docs/sage-setup.md §1).' },
      };
    } finally {
      await sage.close();
    }
  }

  async chooseCompany(companyId: string, saveUntested: boolean): Promise<SetupChecksView> {
    const id = companyId.toUpperCase();
    const check = await this.withSage(async (sage) => {
      const found = (await listSageCompanies(sage)).find((company) => company.companyId === id);
      const item: PreflightItem = found
        ? { id: 'company', label: `Sage company ${id}`, passed: true, detail: found.name || 'Found.', fix: null }
        : { id: 'company', label: `Sage company ${id}`, passed: false, detail: `There is no company ${id} in this Sage database.`, fix: 'Pick one of the companies listed.' };
      return item;
    }).catch((error: unknown): PreflightItem => ({ id: 'company', label: `Sage company ${id}`, passed: false, detail: error instanceof Error ? error.message : String(error), fix: 'Test the SQL Server connection again.' }));
    const save = check.passed || saveUntested;
    if (save) {
      this.companyId = id;
      this.unsettleAfter('company');
      this.settle('company', check.passed);
    }
    return { passed: check.passed, saved: save, checks: [check] };
  }

  /** The settings the draft describes, for the config the preflight's site checks read. */
  private draftSettings(): AppSettings {
    const current = this.host.settings();
    return { ...current, demo: false, sage: { ...current.sage, ...this.sageSettings(), companyId: this.companyId } };
  }

  private sageSettings(): Partial<AppSettings['sage']> {
    const target = this.sage;
    if (!target) return {};
    if (target.kind === 'sandbox') return { kind: 'sandbox', sandboxPath: target.sandboxPath, server: null, database: null, user: null };
    const { kind, server, port, database, user, authentication, domain, encrypt, trustServerCertificate } = target;
    return { kind, server, port, database, user, authentication, domain: authentication === 'windows' ? domain : null, encrypt, trustServerCertificate, sandboxPath: null };
  }

  async preflight(saveUntested: boolean): Promise<SetupChecksView> {
    const companyId = this.requireCompany();
    const config = syncConfigFrom(this.draftSettings(), this.host.dataDir, this.mapping, null);
    const checks = await this.withSage((sage) =>
      // The accounts are checked in the mapping step, where they can be changed.
      runPreflight(sage, { companyId, userId: config.sageUserId, accounts: [], today: this.host.today(this.mapping), site: siteCheckOptions(config) }),
    ).catch((error: unknown): PreflightItem[] => [
      { id: 'connect', label: 'Connect to the Sage database', passed: false, detail: error instanceof Error ? error.message : String(error), fix: 'Test the SQL Server connection again.' },
    ]);
    const passed = checks.every((check) => check.passed);
    const save = passed || saveUntested;
    if (save) this.settle('preflight', passed);
    return { passed, saved: save, checks };
  }

  private requireCompany(): string {
    if (!this.companyId) throw new AppServiceError('invalid-request', 'Choose the Sage company first.');
    return this.companyId;
  }

  listAccounts(search: string) {
    const companyId = this.requireCompany();
    return this.withSage((sage) => listSageAccounts(sage, companyId, search));
  }

  async chooseAccounts(accounts: Record<string, string>, saveUntested: boolean): Promise<SetupMappingView> {
    const companyId = this.requireCompany();
    let changed: Record<string, unknown> = { ...this.mapping.accounts };
    for (const [path, acctNo] of Object.entries(accounts)) changed = withAccount(changed, path, acctNo);
    const check = validateMapping({ ...this.mapping, accounts: changed });
    if (!check.ok) throw new AppServiceError('invalid-request', check.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '));
    const problems = await this.withSage((sage) => sageAccountProblems(sage, companyId, check.mapping, this.host.today(check.mapping)));
    const passed = problems.length === 0;
    const save = passed || saveUntested;
    if (save) {
      this.mapping = check.mapping;
      this.settle('mapping', passed);
    }
    return { passed, saved: save, accounts: accountViews(check.mapping, problems) };
  }

  /** The schedule, go-live date and mode are checked here; the earlier steps must be settled. */
  async finish(choice: { pollIntervalMinutes: number; goLiveDate: string | null; historyFrom: string | null; shadowMode: boolean }): Promise<SetupOutcome> {
    const missing = REQUIRED_BEFORE_FINISH.filter((step) => !this.steps[step]);
    if (missing.length > 0) {
      throw new AppServiceError('invalid-request', `Finish these steps first (test them, or save them untested): ${missing.map((step) => STEP_NAMES[step]).join(', ')}.`);
    }
    for (const step of ['schedule', 'goLive', 'mode'] as const) this.settle(step, true);
    const key = await this.host.credentials.get('stripeApiKey');
    return {
      mapping: this.mapping,
      keyMode: key === null ? null : /_live_/.test(key) ? 'live' : 'test',
      settings: {
        configured: true,
        demo: false,
        sage: { ...this.host.settings().sage, ...this.sageSettings(), companyId: this.companyId },
        schedule: { ...this.host.settings().schedule, pollIntervalMinutes: choice.pollIntervalMinutes },
        goLiveDate: choice.goLiveDate,
        historyFrom: choice.historyFrom,
        shadowMode: choice.shadowMode,
        setupChecks: this.steps,
      },
    };
  }
}
