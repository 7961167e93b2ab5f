/**
 * Main process: when the engine utilityProcess may stop. On quit it is asked to close its
 * ledger first and killed only after a grace period; an exit the app did not ask for is
 * reported so the tray can say the engine stopped. Electron-free so it is unit-tested.
 */
export interface EngineProcessHandle {
  on(event: 'exit', listener: (code: number) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): unknown;
}

export interface EngineLifecycleOptions {
  process: EngineProcessHandle;
  /** Asks the engine to close its ledger and exit. */
  requestShutdown: () => void;
  /** Fails pending calls once the engine is gone. */
  closeClient: (reason: string) => void;
  /** The engine exited while the app was not quitting. */
  onUnexpectedExit: (code: number) => void;
  /** The engine exited after a held quit: the app may quit now. */
  onShutdownComplete: () => void;
  graceMs: number;
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

export class EngineLifecycle {
  #running = true;
  #quitting = false;
  #shutdownRequested = false;

  constructor(private readonly options: EngineLifecycleOptions) {
    options.process.on('exit', (code) => {
      this.#running = false;
      options.closeClient(`The sync engine stopped (exit code ${code}).`);
      if (!this.#quitting) options.onUnexpectedExit(code);
    });
  }

  /**
   * The app wants to quit. Returns true when the quit must be held until the engine has
   * exited (onShutdownComplete then fires once), false when nothing is left to wait for.
   */
  holdQuit(): boolean {
    this.#quitting = true;
    if (!this.#running) return false;
    if (this.#shutdownRequested) return true;
    this.#shutdownRequested = true;
    const { options } = this;
    options.requestShutdown();
    const forceKill = options.setTimeout(() => options.process.kill(), options.graceMs);
    options.process.once('exit', () => {
      options.clearTimeout(forceKill);
      options.onShutdownComplete();
    });
    return true;
  }
}
