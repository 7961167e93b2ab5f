import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger } from '../../main/adapters/logging/file-logger.js';
import { logText, readRecentLog } from '../../main/app/recent-log.js';
import { followLogLevel } from '../../main/shell/log-level-follower.js';
import type { LogLevelName, SettingsView } from '../../preload/contract.js';

const directories: string[] = [];
const logsDirectory = (): string => {
  const directory = mkdtempSync(join(tmpdir(), 's5sync-log-view-'));
  directories.push(directory);
  return directory;
};
afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

// Assembled at run time: no key-shaped string in the repository.
const liveKey = ['sk', 'live', '51SecretForTheLogView'].join('_');

describe('the log view', () => {
  it('shows the newest lines of both processes first, at or above the chosen level', () => {
    const directory = logsDirectory();
    const line = (level: number, time: string, msg: string, extra: object = {}) => `${JSON.stringify({ level, time, process: 'x', msg, ...extra })}\n`;
    appendFileSync(join(directory, 'main.log'), line(20, '2026-11-02T10:00:01.000Z', 'tray rendered') + line(40, '2026-11-02T10:00:03.000Z', 'notification dropped'));
    appendFileSync(join(directory, 'engine.log'), line(30, '2026-11-02T10:00:02.000Z', 'run finished', { runId: 7 }) + line(50, '2026-11-02T10:00:04.000Z', 'Sage refused a journal'));

    const all = readRecentLog(directory, { level: 'debug', limit: 100 });
    expect(all.map((entry) => [entry.source, entry.level, entry.message])).toEqual([
      ['engine', 'error', 'Sage refused a journal'],
      ['main', 'warn', 'notification dropped'],
      ['engine', 'info', 'run finished'],
      ['main', 'debug', 'tray rendered'],
    ]);
    expect(all[2]!.details).toBe('{"runId":7}');
    expect(readRecentLog(directory, { level: 'warn', limit: 100 }).map((entry) => entry.message)).toEqual(['Sage refused a journal', 'notification dropped']);
    expect(readRecentLog(directory, { level: 'debug', limit: 1 }).map((entry) => entry.message)).toEqual(['Sage refused a journal']);
  });

  it('reads what the file logger writes, newest first within a process', () => {
    const directory = logsDirectory();
    const engine = createFileLogger({ logsDirectory: directory, baseName: 'engine', level: 'debug' });
    for (let index = 1; index <= 5; index += 1) engine.logger.info(`line ${index}`);
    engine.close();
    expect(readRecentLog(directory, { level: 'info', limit: 3 }).map((entry) => entry.message)).toEqual(['line 5', 'line 4', 'line 3']);
  });

  it('never shows a secret: neither one the logger redacted nor one in a line written without redaction', () => {
    const directory = logsDirectory();
    const engine = createFileLogger({ logsDirectory: directory, baseName: 'engine', level: 'info' });
    engine.logger.info({ apiKey: liveKey, server: 'sql01' }, `connecting with ${liveKey}`);
    engine.close();
    // A line as an older version (or a person) might have left it: the secret in clear text.
    appendFileSync(join(directory, 'main.log'), `${JSON.stringify({ level: 50, time: '2099-01-01T00:00:00.000Z', msg: `failed: Password=Hunter2!; key ${liveKey}` })}\n`);
    const lines = readRecentLog(directory, { level: 'debug', limit: 100 });
    const text = logText(lines);
    expect(lines).toHaveLength(2);
    expect(text).not.toContain('51SecretForTheLogView');
    expect(text).not.toContain('Hunter2!');
    expect(text).toContain('sk_live_[REDACTED]');
    expect(text).toContain('sql01');
  });

  it('reads text lines that are not JSON as they are, and copies oldest first for support', () => {
    const directory = logsDirectory();
    appendFileSync(join(directory, 'engine.log'), 'a plain line\n');
    appendFileSync(join(directory, 'main.log'), `${JSON.stringify({ level: 30, time: '2026-11-02T10:00:00.000Z', msg: 'started' })}\n`);
    const lines = readRecentLog(directory, { level: 'info', limit: 10 });
    expect(logText(lines)).toBe('- INFO  engine: a plain line\n2026-11-02T10:00:00.000Z INFO  main: started');
  });

  it('says nothing, rather than failing, when no log was written yet', () => {
    expect(readRecentLog(logsDirectory(), { level: 'debug', limit: 10 })).toEqual([]);
  });
});

describe('followLogLevel', () => {
  it('sets the saved level when the service opens and the new one whenever settings are saved', async () => {
    let saved: LogLevelName = 'warn';
    const service = {
      getSettings: async () => ({ logLevel: saved }) as SettingsView,
      saveSettings: async (change: { logLevel?: LogLevelName }) => {
        saved = change.logLevel ?? saved;
        return { logLevel: saved } as SettingsView;
      },
    };
    const levels: LogLevelName[] = [];
    const followed = await followLogLevel(service, (level) => levels.push(level));
    expect(levels).toEqual(['warn']);
    await followed.saveSettings({ logLevel: 'debug' });
    await followed.saveSettings({});
    expect(levels).toEqual(['warn', 'debug', 'debug']);
  });
});
