import { SageUnavailableError } from '../core/ports/sage-target.js';
import { ConfigError } from '../adapters/config/config-file.js';
import { toSageWriteError } from '../adapters/sage/sage-errors.js';
import { runBatch, type BatchResult, type BatchStep, type ParameterBinding, type ProcedureArg, type SagePort, type SqlParams, type SqlRow, type SqlSession } from '../adapters/sage/sql-port.js';

/**
 * The Sage port of a sync that runs as a process of its own (`s5sync sync --once` under Task
 * Scheduler every few minutes): it opens Sage at its first statement instead of at start, so a
 * run that needs nothing from Sage (an idle poll: nothing to write, nothing interrupted to look
 * up, no customer or open invoice to find) never logs in to SQL Server nor loads its driver
 * (docs/performance.md, section 6). Whatever needs Sage calls this port, so nothing is
 * skipped, only deferred: `open` checks the company, as the runtime did at start, and the
 * single-writer lock asked for (acquireAppLock) is taken right after, before the first
 * statement runs, so every read and write of the run happens under the lock as before.
 *
 * A failure to open (SQL Server out of reach, login refused, the company missing, the lock
 * held by another Stripe Sync) is Sage being unavailable for the run (SageUnavailableError,
 * worded as a setting to fix when it is one):
 * the writer stops, the documents stay queued, planning waits, and the run fails saying once
 * what to fix. It is not tried again by this port: its process runs one sync, and the next
 * scheduled one tries again.
 */
export class SageWhenNeeded implements SagePort {
  private opened: Promise<SagePort> | null = null;
  private lockResource: string | null = null;
  private lock: { release(): Promise<void> } | null = null;

  constructor(
    readonly dialect: SagePort['dialect'],
    private readonly open: () => Promise<SagePort>,
  ) {}

  private port(): Promise<SagePort> {
    this.opened ??= this.openLocked().catch((error: unknown) => {
      throw unavailable(error);
    });
    return this.opened;
  }

  private async openLocked(): Promise<SagePort> {
    const port = await this.open();
    try {
      if (this.lockResource !== null) this.lock = await port.acquireAppLock(this.lockResource);
    } catch (error) {
      await port.close();
      throw error;
    }
    return port;
  }

  async query(sql: string, params?: SqlParams): Promise<SqlRow[]> {
    return (await this.port()).query(sql, params);
  }

  async execute(sql: string, params?: SqlParams): Promise<number> {
    return (await this.port()).execute(sql, params);
  }

  async procedure(name: string, args: readonly ProcedureArg[], binding?: ParameterBinding): Promise<Record<string, string | number | null>> {
    return (await this.port()).procedure(name, args, binding);
  }

  /** In as few round trips as the opened port allows (runBatch asks it). */
  async batch(steps: readonly BatchStep[]): Promise<BatchResult[]> {
    return runBatch(await this.port(), steps);
  }

  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    return (await this.port()).transaction(work);
  }

  /** Taken when Sage is opened, before the first statement; at once if it is open already. */
  async acquireAppLock(resource: string): Promise<{ release(): Promise<void> }> {
    if (this.opened !== null) return (await this.port()).acquireAppLock(resource);
    if (this.lockResource !== null) throw new Error(`the single-writer lock "${this.lockResource}" is already asked for on this port`);
    this.lockResource = resource;
    return {
      release: async () => {
        await this.lock?.release();
        this.lock = null;
      },
    };
  }

  async close(): Promise<void> {
    const port = await this.opened?.catch(() => null);
    await port?.close();
  }
}

function unavailable(error: unknown): SageUnavailableError {
  // A setting to fix (the company, the sandbox path, the SQL password), not an outage to wait out.
  if (error instanceof ConfigError) {
    return new SageUnavailableError(
      `Sage cannot be opened with the saved settings: ${error.message}. The documents stay queued; fix the setting (\`s5sync check\` names what is wrong) and the next run writes them.`,
    );
  }
  const explained = toSageWriteError(error, 'Opening the Sage database');
  if (explained instanceof SageUnavailableError) return explained;
  const cause = error instanceof Error ? error.message : String(error);
  return new SageUnavailableError(`Sage cannot take documents now: ${cause}. The documents stay queued and are written automatically once this is fixed.`);
}
