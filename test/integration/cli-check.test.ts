import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { businessDate } from '../../main/core/time/business-date.js';

/** `s5sync check` end to end: the preflight through the CLI, on a good and a broken sandbox. */
describe('s5sync check', () => {
  /** The business date the check looks at: today in the default mapping's time zone. */
  const today = businessDate(Math.floor(Date.now() / 1000), DEFAULT_MAPPING.timeZone);

  function sandboxWithConfig(): { configPath: string; sandboxPath: string } {
    const dir = mkdtempSync(join(tmpdir(), 's5sync-check-'));
    const sandboxPath = join(dir, 'sage.sqlite');
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify({ dataDir: '.', sage: { kind: 'sandbox', path: './sage.sqlite' } }));
    return { configPath, sandboxPath };
  }

  async function cli(args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await main(args, (line) => lines.push(line));
    return { code, out: lines.join('\n') };
  }

  it('passes on a fresh sandbox', async () => {
    const { configPath, sandboxPath } = sandboxWithConfig();
    expect((await cli(['sandbox', 'init', '--path', sandboxPath, '--today', today])).code).toBe(0);
    const result = await cli(['check', '--config', configPath]);
    expect(result.out).toMatch(/all \d+ checks passed/);
    expect(result.code).toBe(0);
  });

  it('fails with what to do on a sandbox with a missing column, an inactive account and a closed period', async () => {
    const { configPath, sandboxPath } = sandboxWithConfig();
    await cli(['sandbox', 'init', '--path', sandboxPath, '--today', today]);
    const raw = new Database(sandboxPath);
    raw.exec('ALTER TABLE tglJournalDetl DROP COLUMN PostCmnt');
    raw.prepare("UPDATE tglAccount SET Status = 2 WHERE GLAcctNo = '400000'").run();
    raw.prepare('UPDATE tglFiscalPeriod SET Status = 2 WHERE ? BETWEEN substr(StartDate, 1, 10) AND substr(EndDate, 1, 10)').run(today);
    raw.close();
    const result = await cli(['check', '--config', configPath]);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/FAIL.*tglJournalDetl\.PostCmnt/);
    expect(result.out).toMatch(/FAIL.*GL account 4000-00 in company SOA is inactive/);
    expect(result.out).toMatch(/FAIL.*closed/);
    expect(result.out).toMatch(/fix: /);
    expect(result.out).toMatch(/3 of \d+ checks failed/);
  });

  it('installs the cross-reference table when asked', async () => {
    const { configPath, sandboxPath } = sandboxWithConfig();
    await cli(['sandbox', 'init', '--path', sandboxPath, '--today', today]);
    const raw = new Database(sandboxPath);
    raw.exec('DROP TABLE tciStripeXref_STRIPE');
    raw.close();
    expect((await cli(['check', '--config', configPath])).out).toMatch(/FAIL.*tciStripeXref_STRIPE/);
    const installed = await cli(['check', '--install', '--config', configPath]);
    expect(installed.out).toContain('created tciStripeXref_STRIPE');
    expect(installed.code).toBe(0);
  });
});
