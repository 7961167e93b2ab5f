import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, type SyncConfig } from '../adapters/config/config-file.js';
import { readFingerprint } from '../adapters/sage/site-fingerprint.js';
import { createSandboxFromFingerprint } from '../simulators/sage-sandbox/from-fingerprint.js';
import { createSandbox } from '../simulators/sage-sandbox/sandbox.js';
import { openRuntime } from '../app/open-runtime.js';
import { createProgressPrinter } from './progress-printer.js';
import { statusCommand } from './status-command.js';
import { captureCommand } from './capture-command.js';
import { checkCommand } from './check-command.js';
import { acceptCommand, errorsCommand, retryCommand } from './errors-command.js';
import { ledgerRebuildCommand } from './ledger-command.js';
import { previewCommand } from './preview-command.js';
import { rulesTestCommand } from './rules-command.js';
import { runCommand } from './run-command.js';
import { balanceReportCommand, reportCommand } from './report-command.js';
import { runsCommand } from './runs-command.js';
import { goLiveCommand } from './go-live-command.js';
import { secretsCommand, withStoredSecrets } from './secrets-command.js';
import { profilesCommand } from './profiles-command.js';
import { takeGlobalOptions } from './global-options.js';
import { chosenProfile, hasWindowProfiles, openProfiles, profileSyncConfig, type ProfileSelection } from '../app/profile-config.js';
import { profileKeyRefusal } from '../app/profile-key-guard.js';
import type { Profile } from '../app/profile-registry.js';
import { stripeKeyModeOf } from '../app/stripe-api-base.js';
import { DEFAULT_SAGE_COMPANY_ID } from '../core/defaults.js';

/** `s5sync`: the engine without Electron, for scheduled tasks, services, support and tests. */

const USAGE = `Usage: s5sync [--profile NAME] [--data-dir DIR] <command> [options]

Every command that takes --config FILE runs a profile of the tray window instead when --config is
left out: --profile NAME (or S5SYNC_PROFILE), else the window's active profile; its settings,
mapping, ledger folder and secrets are the window's. --data-dir DIR (or S5SYNC_DATA_DIR) is the
window's data folder when it is not this account's (a service under another account).

Commands:
  demo [--dir DIR] [--days N] [--seed S]    sync N days (default 30) of simulated Stripe activity into a new Sage 500 sandbox
  sandbox init --path FILE [--company ID]   create an empty Sage 500 sandbox with seed data
  sandbox init --path FILE --from-fingerprint FINGERPRINT
                                            the same, shaped like the site a fingerprint was taken from
  sync --once --config FILE                 one full sync cycle, then exit
  run --config FILE                         sync on the configured schedule until stopped (Task Scheduler, services)
  check [--install] [--rehearse] [--fingerprint FILE] --config FILE
                                            preflight and site checks of the Sage database; --install creates the
                                            cross-reference table; --rehearse writes one sample of each enabled document
                                            through the real writer in a transaction that is always rolled back;
                                            --fingerprint exports the schema facts the writer depends on
  capture batch BATCH_NO | customer CUST_ID | sales-order TRAN_NO | cash-receipt BATCH_NO | ar-invoice BATCH_NO --config FILE
                                            store a document a Sage user keyed by hand as this site's golden template
  capture diff --config FILE                write one sample of each document (rolled back) and list every column
                                            where it differs from the golden rows
  status [--json] --config FILE             ledger counts, last run, cursor, balance proof, errors by cause
  errors --config FILE                      records that could not be written, grouped by cause
  runs [--limit N] [--json] --config FILE   run history: start, duration, outcome, records read / written / parked
  go-live [--json] --config FILE            the opening-balance journal at the go-live date (what Stripe held then)
  go-live confirm --clearing X --in-transit Y --config FILE
                                            confirm exactly the amounts shown; the next sync writes the journal
  report payouts --from YYYY-MM-DD --to YYYY-MM-DD [--csv] --config FILE
  report balance [--json] --config FILE
                                            payout reconciliation: Stripe side beside Sage journals, with lineage
  preview (OBJECT_ID | --changes) [--json] --config FILE
                                            the Sage documents of one Stripe object (ledger state and current mapping),
                                            or the unwritten documents a mapping change would alter; writes nothing
  rules test --object OBJECT_ID [--json] --config FILE
                                            evaluate the mapping's business rules on one stored Stripe object: each rule,
                                            each condition, and the documents they would plan; writes nothing
  retry (--all | --cause TEXT | DOC_KEY...) --config FILE
                                            put failed records back in the queue
  accept DOC_KEY... --reason TEXT --config FILE
                                            accept the journal Sage's cross-reference already holds under a GL journal's key
                                            as that journal (after entering the difference in Sage), with the reason
  ledger rebuild [--force] --config FILE    a new sync ledger from Sage's cross-reference table and Stripe after the old one
                                            was lost or damaged (kept beside it); nothing already in Sage is written twice
  profiles list [--json]                    the window's profiles: name, test or live, set up or not, data folder
  profiles use NAME                         make NAME the active profile (the window opens on it at its next start)
  secrets status                            where the Stripe key and SQL password are kept (the OS credential store) and which are set
  secrets set|delete stripeApiKey|sqlPassword
                                            save (value on standard input) or remove a secret for headless runs of this Windows account
  help                                      this text`;

export async function main(
  argv: readonly string[],
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  try {
    const globals = takeGlobalOptions(argv);
    const [command, ...rest] = globals.args;
    const selection: ProfileSelection = { profile: globals.profile ?? (env.S5SYNC_PROFILE || null), dataDir: globals.dataDir ?? (env.S5SYNC_DATA_DIR || null) };
    // The window profile a command runs, when it runs one (no --config).
    let runProfile: Profile | null = null;
    const commandConfig = (path: string | undefined): SyncConfig => {
      if (path !== undefined) {
        if (globals.profile !== null) throw new ConfigError('give --config FILE or --profile NAME, not both');
        return loadConfigFile(path);
      }
      if (selection.profile === null && !hasWindowProfiles(selection, env)) {
        throw new ConfigError('--config FILE is required (see README, "Config file"), or --profile NAME to run a profile of the tray window');
      }
      const registry = openProfiles(selection, env);
      runProfile = chosenProfile(registry, selection.profile);
      return profileSyncConfig(registry, runProfile);
    };
    const secretsFor = async (config: SyncConfig): Promise<NodeJS.ProcessEnv> => {
      const filled = await withStoredSecrets(env, config, runProfile?.id);
      const key = filled.STRIPE_API_KEY?.trim();
      // The window's guard, for headless runs of its profiles: a live key never runs a test profile.
      const refusal = runProfile && key ? profileKeyRefusal(runProfile, stripeKeyModeOf(key)) : null;
      if (refusal !== null) throw new ConfigError(refusal);
      return filled;
    };
    switch (command) {
      case 'demo': {
        const { values } = parseArgs({ args: rest, options: { dir: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' } } });
        // The demo starts the Stripe simulator: loaded only for this command, not for every scheduled sync.
        const { demoCommand } = await import('./demo-command.js');
        return await demoCommand({ dir: values.dir, days: positiveInt(values.days, 30, '--days'), seed: positiveInt(values.seed, 1, '--seed') }, write);
      }
      case 'sandbox': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { path: { type: 'string' }, company: { type: 'string' }, today: { type: 'string' }, 'from-fingerprint': { type: 'string' } },
        });
        if (positionals[0] !== 'init' || !values.path) throw new ConfigError('use: s5sync sandbox init --path FILE [--company ID | --from-fingerprint FILE]');
        const fingerprintPath = values['from-fingerprint'];
        if (fingerprintPath) {
          const fingerprint = readFingerprint(fingerprintPath);
          const report = createSandboxFromFingerprint(values.path, fingerprint, { today: values.today });
          write(`created Sage 500 sandbox ${values.path} shaped like the site of ${fingerprintPath} (company ${fingerprint.companyId})`);
          for (const line of report.approximated) write(`  approximated ${line}`);
          for (const column of report.defaulted) write(`  gave ${column} a default so the seed rows could be inserted`);
          for (const table of report.droppedTables) write(`  dropped ${table} (not on the site)`);
          return 0;
        }
        createSandbox(values.path, { companyId: values.company, today: values.today });
        write(`created Sage 500 sandbox ${values.path} (company ${values.company ?? DEFAULT_SAGE_COMPANY_ID})`);
        return 0;
      }
      case 'sync': {
        const { values } = parseArgs({ args: rest, options: { once: { type: 'boolean' }, config: { type: 'string' } } });
        if (!values.once) throw new ConfigError('`s5sync sync` needs --once (the scheduled loop is `s5sync run`, or the tray app)');
        const config = commandConfig(values.config);
        // A scheduled poll with nothing to do must not log in to SQL Server (open-runtime.ts).
        const runtime = await openRuntime(config, await secretsFor(config), { sageWhenNeeded: true });
        try {
          runtime.engine.subscribe(createProgressPrinter(write));
          const summary = await runtime.engine.runOnce();
          return summary.outcome === 'failed' ? 1 : 0;
        } finally {
          await runtime.close();
        }
      }
      case 'run': {
        const { values } = parseArgs({ args: rest, options: { config: { type: 'string' } } });
        const config = commandConfig(values.config);
        return await runCommand(config, await secretsFor(config), write);
      }
      case 'check': {
        const { values } = parseArgs({
          args: rest,
          options: { config: { type: 'string' }, install: { type: 'boolean' }, rehearse: { type: 'boolean' }, fingerprint: { type: 'string' } },
        });
        const config = commandConfig(values.config);
        return await checkCommand(
          config,
          { install: values.install ?? false, now: Date.now(), rehearse: values.rehearse ?? false, fingerprintPath: values.fingerprint },
          await secretsFor(config),
          write,
        );
      }
      case 'capture': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { config: { type: 'string' } } });
        const config = commandConfig(values.config);
        return await captureCommand(config, positionals[0], positionals[1], await secretsFor(config), write);
      }
      case 'ledger': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { force: { type: 'boolean' }, config: { type: 'string' } } });
        if (positionals[0] !== 'rebuild') throw new ConfigError('use: s5sync ledger rebuild [--force] --config FILE');
        const config = commandConfig(values.config);
        return await ledgerRebuildCommand(config, await secretsFor(config), values.force ?? false, write);
      }
      case 'status': {
        const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' }, config: { type: 'string' } } });
        return statusCommand(commandConfig(values.config), values.json ?? false, write);
      }
      case 'go-live': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { config: { type: 'string' }, json: { type: 'boolean' }, clearing: { type: 'string' }, 'in-transit': { type: 'string' } },
        });
        const confirming = positionals[0] === 'confirm';
        if ((positionals.length > 0 && !confirming) || (confirming && (!values.clearing || !values['in-transit']))) {
          throw new ConfigError('use: s5sync go-live [--json] --config FILE, or s5sync go-live confirm --clearing AMOUNT --in-transit AMOUNT --config FILE (the amounts it shows)');
        }
        const confirm = confirming ? { clearing: values.clearing!, inTransit: values['in-transit']! } : null;
        return goLiveCommand(commandConfig(values.config), { confirm, json: values.json ?? false }, write);
      }
      case 'runs': {
        const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' }, limit: { type: 'string' }, config: { type: 'string' } } });
        return runsCommand(commandConfig(values.config), { limit: positiveInt(values.limit, 20, '--limit'), json: values.json ?? false }, write);
      }
      case 'errors': {
        const { values } = parseArgs({ args: rest, options: { config: { type: 'string' } } });
        return errorsCommand(commandConfig(values.config), write);
      }
      case 'preview': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { config: { type: 'string' }, changes: { type: 'boolean' }, json: { type: 'boolean' } },
        });
        return previewCommand(
          commandConfig(values.config),
          { objectId: positionals[0] ?? null, changes: values.changes ?? false, json: values.json ?? false },
          write,
        );
      }
      case 'rules': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { config: { type: 'string' }, object: { type: 'string' }, json: { type: 'boolean' } } });
        if (positionals[0] !== 'test' || !values.object) throw new ConfigError('use: s5sync rules test --object OBJECT_ID --config FILE');
        return rulesTestCommand(commandConfig(values.config), { objectId: values.object, json: values.json ?? false }, write);
      }
      case 'report': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { config: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, csv: { type: 'boolean' }, json: { type: 'boolean' } },
        });
        if (positionals[0] === 'balance') return balanceReportCommand(commandConfig(values.config), values.json ?? false, write);
        if (positionals[0] !== 'payouts') {
          throw new ConfigError('use: s5sync report payouts --from YYYY-MM-DD --to YYYY-MM-DD [--csv] --config FILE, or s5sync report balance [--json] --config FILE');
        }
        const config = commandConfig(values.config);
        return await reportCommand(config, { from: values.from, to: values.to, csv: values.csv ?? false }, await secretsFor(config), write);
      }
      case 'retry': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { config: { type: 'string' }, all: { type: 'boolean' }, cause: { type: 'string' } },
        });
        return retryCommand(commandConfig(values.config), { all: values.all ?? false, cause: values.cause, docKeys: positionals }, write);
      }
      case 'accept': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { config: { type: 'string' }, reason: { type: 'string' } } });
        const config = commandConfig(values.config);
        return await acceptCommand(config, { docKeys: positionals, reason: values.reason }, await secretsFor(config), write);
      }
      case 'secrets': {
        const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
        const profile = selection.profile === null ? null : chosenProfile(openProfiles(selection, env), selection.profile);
        return await secretsCommand(positionals[0], positionals[1], { env, readSecret: readFirstStdinLine }, write, profile);
      }
      case 'profiles': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
        return await profilesCommand(positionals[0], positionals[1], selection, values.json ?? false, env, write);
      }
      case undefined:
      case 'help':
      case '--help':
        write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        write(`unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      write(`error: ${error.message}`);
      return 2;
    }
    write(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

/** The first line of standard input (typed, or piped from a password manager). */
async function readFirstStdinLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

function positiveInt(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(`${name} must be a whole number of at least 1`);
  return value;
}
