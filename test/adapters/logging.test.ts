import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDiagnostics } from '../../main/adapters/logging/diagnostics.js';
import { createFileLogger } from '../../main/adapters/logging/file-logger.js';
import { REDACTED, redactText, redactValue } from '../../main/adapters/logging/redact.js';
import { RotatingFile, logFilePath } from '../../main/adapters/logging/rotating-file.js';

const directories: string[] = [];
const temporaryDirectory = (): string => {
  const directory = mkdtempSync(join(tmpdir(), 's5sync-logs-'));
  directories.push(directory);
  return directory;
};
afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

const secrets = ['51LiveSecret', '51TestSecret', '51Restricted', 'pkLive123', 'Hunter2!', 'eyJhbGciOi.payload.sig', 'C0nnPass', 'urlpass', 'quoted;pass', 'jsonpass'];
const expectNoSecrets = (text: string): void => secrets.forEach((secret) => expect(text).not.toContain(secret));

describe('redactText', () => {
  it('removes Stripe keys but keeps their kind', () => {
    const text = redactText('keys sk_live_51LiveSecret sk_test_51TestSecret rk_live_51Restricted pk_live_pkLive123');
    expect(text).toBe(`keys sk_live_${REDACTED} sk_test_${REDACTED} rk_live_${REDACTED} pk_live_${REDACTED}`);
  });

  it('removes bearer tokens, connection-string and URL passwords and JSON password fields', () => {
    const text = redactText(
      [
        'Authorization: Bearer eyJhbGciOi.payload.sig',
        'Server=sage01;Database=MAS500_app;User Id=s5sync;Password=C0nnPass;Encrypt=true',
        'Pwd="quoted;pass";',
        'mssql://s5sync:urlpass@sage01/MAS500_app',
        '{"user":"s5","password":"jsonpass"}',
      ].join('\n'),
    );
    expectNoSecrets(text);
    expect(text).toContain('Database=MAS500_app');
    expect(text).toContain('"user":"s5"');
  });
});

describe('redactValue', () => {
  it('redacts nested objects, arrays and secret-named keys without mutating the input', () => {
    const input = {
      settings: { sage: { server: 'sage01', password: 'Hunter2!', passwordSet: true } },
      headers: [{ authorization: 'Bearer eyJhbGciOi.payload.sig' }],
      note: 'key was sk_live_51LiveSecret',
      apiKey: 'rk_live_51Restricted',
      count: 3,
    };
    const output = redactValue(input);
    expectNoSecrets(JSON.stringify(output));
    expect(output.settings.sage).toEqual({ server: 'sage01', password: REDACTED, passwordSet: true });
    expect(output.count).toBe(3);
    expect(input.settings.sage.password).toBe('Hunter2!');
  });

  it('redacts error messages, stacks, causes and extra fields, and keeps them Errors', () => {
    const cause = new Error('Login failed for Password=C0nnPass');
    const error = Object.assign(new Error('Stripe said: Invalid API Key provided: sk_test_51TestSecret', { cause }), {
      connectionString: 'Server=x;Password=C0nnPass',
    });
    const output = redactValue(error);
    expect(output).toBeInstanceOf(Error);
    expect(output.message).toContain(`sk_test_${REDACTED}`);
    expectNoSecrets(JSON.stringify({ message: output.message, stack: output.stack, cause: String(output.cause), extra: output.connectionString }));
  });

  it('survives circular references', () => {
    const node: Record<string, unknown> = { name: 'loop' };
    node.self = node;
    expect(redactValue(node)).toEqual({ name: 'loop', self: '[Circular]' });
  });
});

describe('file logger', () => {
  it('writes redacted JSON lines whatever the call shape', () => {
    const logsDirectory = temporaryDirectory();
    const { logger, close } = createFileLogger({ logsDirectory, baseName: 'engine', level: 'info' });
    logger.info({ sage: { password: 'Hunter2!' } }, 'connecting with Password=C0nnPass');
    logger.error({ err: new Error('Bearer eyJhbGciOi.payload.sig rejected') }, 'stripe failed');
    logger.warn('key sk_live_51LiveSecret looked wrong');
    logger.error(new Error('mssql://s5sync:urlpass@sage01 unreachable'));
    logger.debug('below level: sk_live_51LiveSecret');
    close();
    const text = readFileSync(join(logsDirectory, 'engine.log'), 'utf8');
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; level: number; process: string });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ process: 'engine', level: 30 });
    expectNoSecrets(text);
  });
});

describe('RotatingFile', () => {
  it('rotates at the size limit and keeps a fixed number of files', () => {
    const directory = temporaryDirectory();
    const options = { directory, baseName: 'main', maxBytes: 100, maxFiles: 3 };
    const file = new RotatingFile(options);
    const line = (index: number) => `${String(index).padStart(3, '0')} ${'x'.repeat(44)}\n`; // 49 bytes
    for (let index = 0; index < 10; index += 1) file.write(line(index));
    file.close();
    expect(readdirSync(directory).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    expect(readFileSync(logFilePath(options, 0), 'utf8')).toBe(line(8) + line(9));
    expect(readFileSync(logFilePath(options, 1), 'utf8')).toBe(line(6) + line(7));
    expect(readFileSync(logFilePath(options, 2), 'utf8')).toBe(line(4) + line(5));
    readdirSync(directory).forEach((name) => expect(readFileSync(join(directory, name)).length).toBeLessThanOrEqual(100));
  });

  it('continues an existing file after a restart and writes an oversized line alone', () => {
    const directory = temporaryDirectory();
    const options = { directory, baseName: 'main', maxBytes: 50, maxFiles: 2 };
    const first = new RotatingFile(options);
    first.write('a'.repeat(30));
    first.close();
    const second = new RotatingFile(options);
    second.write('b'.repeat(80));
    second.close();
    expect(readFileSync(logFilePath(options, 1), 'utf8')).toBe('a'.repeat(30));
    expect(readFileSync(logFilePath(options, 0), 'utf8')).toBe('b'.repeat(80));
    expect(existsSync(join(directory, 'main.2.log'))).toBe(false);
  });
});

describe('buildDiagnostics', () => {
  it('contains versions, settings, counts and errors, and no secrets', () => {
    const text = buildDiagnostics({
      versions: { app: '0.1.0', electron: '45.5.0', node: '22.20.0' },
      settings: { stripe: { keySet: true, keyMode: 'live' }, sage: { server: 'sage01', password: 'Hunter2!', passwordSet: true } },
      lastErrors: [
        { at: '2026-03-02T10:00:00Z', message: 'Stripe 401 for sk_live_51LiveSecret' },
        { at: '2026-03-02T10:05:00Z', message: 'Login failed: Server=sage01;Password=C0nnPass' },
      ],
      ledgerCounts: { written: 1200, failed: 3 },
    });
    expect(text).toContain('electron: 45.5.0');
    expect(text).toContain('"passwordSet": true');
    expect(text).toContain('failed: 3');
    expect(text).toContain('Stripe 401 for sk_live_');
    expectNoSecrets(text);
  });
});
