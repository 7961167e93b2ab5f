import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import { arReadiness } from '../../main/app/ar-readiness.js';
import { main } from '../../main/cli/s5sync.js';
import { openSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { customer, TODAY } from '../adapters/sage-fixtures.js';
import { keyCashReceiptByHand, postInvoiceInSage } from '../adapters/sage-hand-keyed-ar.js';

/**
 * AR payments are enabled by three proofs about the same captured cash receipt (issue #21):
 * the capture, `check` of its tables, columns and permissions, and `check --rehearse`. Each
 * missing or failed proof keeps the option off with the reason; a new capture needs new proofs.
 */
describe('AR payments readiness', () => {
  async function cli(args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await main(args, (line) => lines.push(line));
    return { code, out: lines.join('\n') };
  }

  async function site(): Promise<{ dir: string; configPath: string; sandboxPath: string; keyReceipt(batchNo: number): void }> {
    const dir = mkdtempSync(join(tmpdir(), 's5sync-ar-ready-'));
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify({ dataDir: '.', sage: { kind: 'sandbox', path: './sage.sqlite' }, mapping: { arPayments: { enabled: true, metadataKey: 'sage_invoice', unmatched: 'gl' } } }));
    const sandboxPath = join(dir, 'sage.sqlite');
    await cli(['sandbox', 'init', '--path', sandboxPath, '--today', TODAY]);
    const port = openSandbox(sandboxPath);
    await new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' }).write(customer('ADA'), { runId: 1 });
    await port.close();
    return {
      dir,
      configPath,
      sandboxPath,
      keyReceipt(batchNo: number) {
        const raw = new Database(sandboxPath);
        const invoice = postInvoiceInSage(raw, 'ADA', 1000 + batchNo, '40.00');
        keyCashReceiptByHand(raw, 'ADA', invoice, '40.00', batchNo);
        raw.close();
      },
    };
  }

  const readiness = (dir: string, configPath: string) => arReadiness(parseConfig(JSON.parse(readFileSync(configPath, 'utf8')), dir)).cashReceipt;

  it('turns on only after capture, check and rehearsal of the same receipt', async () => {
    const { dir, configPath, keyReceipt } = await site();
    expect(readiness(dir, configPath)).toMatchObject({ proved: false, active: false, reason: expect.stringMatching(/no cash receipt was captured/) });

    keyReceipt(77);
    expect((await cli(['capture', 'cash-receipt', '77', '--config', configPath])).out).toMatch(/captured cash receipt batch 77/);
    expect(readiness(dir, configPath)).toMatchObject({ proved: false, reason: expect.stringMatching(/`s5sync check` has not verified/) });

    await cli(['check', '--config', configPath]);
    expect(readiness(dir, configPath)).toMatchObject({ proved: false, reason: expect.stringMatching(/`s5sync check --rehearse` has not written and read back/) });

    await cli(['check', '--rehearse', '--config', configPath]);
    expect(readiness(dir, configPath)).toMatchObject({ proved: true, active: true, reason: expect.stringMatching(/AR payments are on/) });

    // A new capture is a new template: proved again before it is used.
    keyReceipt(78);
    await cli(['capture', 'cash-receipt', '78', '--config', configPath]);
    expect(readiness(dir, configPath)).toMatchObject({ proved: false, reason: expect.stringMatching(/has not verified/) });
  });

  it('stays off when the SQL login may not write the captured receipt table', async () => {
    const { dir, configPath, sandboxPath, keyReceipt } = await site();
    keyReceipt(77);
    await cli(['capture', 'cash-receipt', '77', '--config', configPath]);
    const raw = new Database(sandboxPath);
    raw.prepare("INSERT INTO sandbox_permission_denied (ObjectName, Permission) VALUES ('tarPendCustPmt', 'INSERT')").run();
    raw.close();
    const checked = await cli(['check', '--rehearse', '--config', configPath]);
    expect(checked.out).toMatch(/FAIL.*Cash receipt permissions.*INSERT on tarPendCustPmt/);
    expect(checked.out).toMatch(/FAIL.*AR cash receipt in a pending batch/);
    expect(readiness(dir, configPath)).toMatchObject({ proved: false, active: false });
  });

  it('refuses to capture a batch without a receipt applied to an invoice', async () => {
    const { configPath } = await site();
    const result = await cli(['capture', 'cash-receipt', '5', '--config', configPath]);
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/No cash receipt batch number 5/);
  });
});
