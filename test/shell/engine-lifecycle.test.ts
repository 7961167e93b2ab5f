import { describe, expect, it } from 'vitest';
import { EngineLifecycle, type EngineProcessHandle } from '../../main/shell/engine-lifecycle.js';

class FakeEngineProcess implements EngineProcessHandle {
  private listeners: { listener: (code: number) => void; once: boolean }[] = [];
  killed = 0;
  on(_event: 'exit', listener: (code: number) => void): void {
    this.listeners.push({ listener, once: false });
  }
  once(_event: 'exit', listener: (code: number) => void): void {
    this.listeners.push({ listener, once: true });
  }
  kill(): void {
    this.killed += 1;
  }
  exit(code: number): void {
    const current = this.listeners;
    this.listeners = current.filter((entry) => !entry.once);
    current.forEach((entry) => entry.listener(code));
  }
}

function setup() {
  const process = new FakeEngineProcess();
  const log: string[] = [];
  const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
  const lifecycle = new EngineLifecycle({
    process,
    requestShutdown: () => log.push('shutdown requested'),
    closeClient: (reason) => log.push(`client closed: ${reason}`),
    onUnexpectedExit: (code) => log.push(`unexpected exit ${code}`),
    onShutdownComplete: () => log.push('quit'),
    graceMs: 5000,
    setTimeout: (callback, ms) => {
      const timer = { callback, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
  });
  return { process, log, timers, lifecycle };
}

describe('EngineLifecycle', () => {
  it('holds the quit, asks the engine to close its ledger, and quits once it exited', () => {
    const { process, log, timers, lifecycle } = setup();
    expect(lifecycle.holdQuit()).toBe(true);
    expect(log).toEqual(['shutdown requested']);
    expect(timers.map((timer) => timer.ms)).toEqual([5000]);
    process.exit(0);
    expect(log).toEqual(['shutdown requested', 'client closed: The sync engine stopped (exit code 0).', 'quit']);
    expect(timers[0]!.cleared).toBe(true);
    expect(process.killed).toBe(0);
  });

  it('kills the engine when it does not exit within the grace period', () => {
    const { process, timers, lifecycle } = setup();
    lifecycle.holdQuit();
    timers[0]!.callback();
    expect(process.killed).toBe(1);
  });

  it('asks for shutdown once however often the app tries to quit', () => {
    const { log, timers, lifecycle } = setup();
    expect(lifecycle.holdQuit()).toBe(true);
    expect(lifecycle.holdQuit()).toBe(true);
    expect(log.filter((line) => line === 'shutdown requested')).toHaveLength(1);
    expect(timers).toHaveLength(1);
  });

  it('does not hold the quit when the engine has already stopped', () => {
    const { process, log, lifecycle } = setup();
    process.exit(3);
    expect(log).toEqual(['client closed: The sync engine stopped (exit code 3).', 'unexpected exit 3']);
    expect(lifecycle.holdQuit()).toBe(false);
    expect(log).not.toContain('shutdown requested');
  });

  it('reports an exit during quit as expected, not as a crash', () => {
    const { process, log, lifecycle } = setup();
    lifecycle.holdQuit();
    process.exit(0);
    expect(log).not.toContain('unexpected exit 0');
  });
});
