import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import type { SiteFingerprint } from '../../main/adapters/sage/site-fingerprint.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { businessDate } from '../../main/core/time/business-date.js';
import { redeclareColumn } from '../adapters/sage-altered-site.js';

/** `s5sync check --fingerprint` and `s5sync sandbox init --from-fingerprint`: a sandbox shaped like the site, which checks as the site did. */
describe('site fingerprint round trip', () => {
  const today = businessDate(Math.floor(Date.now() / 1000), DEFAULT_MAPPING.timeZone);

  async function cli(args: string[]): Promise<{ code: number; out: string; lines: string[] }> {
    const lines: string[] = [];
    const code = await main(args, (line) => lines.push(line));
    return { code, out: lines.join('\n'), lines };
  }

  function configFor(sandboxPath: string): string {
    const dir = mkdtempSync(join(tmpdir(), 's5sync-fp-config-'));
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify({ dataDir: dir, sage: { kind: 'sandbox', path: sandboxPath }, mapping: { salesOrders: { enabled: true } } }));
    return configPath;
  }

  async function fingerprintOf(sandboxPath: string, file: string): Promise<{ check: string[]; fingerprint: SiteFingerprint }> {
    const result = await cli(['check', '--rehearse', '--fingerprint', file, '--config', configFor(sandboxPath)]);
    expect(result.out).toContain(`wrote the schema facts the sync depends on to ${file}`);
    const fingerprint = JSON.parse(readFileSync(file, 'utf8')) as SiteFingerprint;
    // The check's findings without the lines that name this run's paths.
    return { check: result.lines.filter((line) => /^(PASS|FAIL|WARN|  {4}(fix|note))/.test(line)), fingerprint };
  }

  it('rebuilds a standard sandbox exactly: same facts, same check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's5sync-fp-'));
    const site = join(dir, 'site.sqlite');
    await cli(['sandbox', 'init', '--path', site, '--today', today]);
    const original = await fingerprintOf(site, join(dir, 'site.json'));
    expect(original.fingerprint.tables['tglJournalDetl']?.find((column) => column.name === 'PostCmnt')).toEqual({
      name: 'PostCmnt', dataType: 'varchar', length: 50, precision: null, scale: null, nullable: true, default: null,
    });
    expect(original.fingerprint.procedures['spGetNextBatch']).toHaveLength(11);
    expect(original.fingerprint.missingTables).toEqual([]);

    const rebuilt = join(dir, 'rebuilt.sqlite');
    const init = await cli(['sandbox', 'init', '--path', rebuilt, '--from-fingerprint', join(dir, 'site.json'), '--today', today]);
    expect(init.code).toBe(0);
    expect(init.lines.slice(1)).toEqual([]);
    const copy = await fingerprintOf(rebuilt, join(dir, 'rebuilt.json'));
    expect({ ...copy.fingerprint, takenAt: '' }).toEqual({ ...original.fingerprint, takenAt: '' });
    expect(copy.check).toEqual(original.check);
  });

  it('carries a site that differs from the writer (short PostCmnt, text SourceModule, a trigger, a missing grant, a changed procedure) into the sandbox, which fails the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's5sync-fp-'));
    const site = join(dir, 'site.sqlite');
    await cli(['sandbox', 'init', '--path', site, '--today', today]);
    const raw = new Database(site);
    redeclareColumn(raw, 'tglJournalDetl', 'PostCmnt', 'PostCmnt varchar(30)');
    redeclareColumn(raw, 'tglJournalHdr', 'SourceModule', 'SourceModule varchar(2) NN');
    raw.exec('CREATE TRIGGER tI_tglJournalHdr_Audit AFTER INSERT ON tglJournalHdr BEGIN SELECT 1; END');
    raw.prepare("INSERT INTO sandbox_permission_denied (ObjectName, Permission) VALUES ('tsmMigrateSession', 'UPDATE')").run();
    raw.prepare("UPDATE sandbox_procedure_parameter SET IsOutput = 0 WHERE ProcedureName = 'spGetNextBatch' AND ParamName = '@_oBatchKey'").run();
    raw.close();
    const siteRun = await fingerprintOf(site, join(dir, 'site.json'));
    const siteFailures = siteRun.check.filter((line) => line.startsWith('FAIL'));
    expect(siteFailures).toEqual([
      'FAIL  Column type tglJournalHdr.SourceModule: tglJournalHdr.SourceModule is varchar(2) on this database; the sync sends the number 3 (smallint)',
      'FAIL  Column type tglJournalDetl.PostCmnt: tglJournalDetl.PostCmnt is varchar(30) on this database; the sync sends text of up to 50 characters',
      'FAIL  Permissions of the SQL login: Missing: UPDATE on tsmMigrateSession',
      'FAIL  Parameters of spGetNextBatch: parameter 7 (@_oBatchKey) is not OUTPUT here; the sync reads it back',
      expect.stringMatching(/^FAIL {2}GL journal in a pending batch: journal rehearsal:journal: Sage rejected the write: /),
      'FAIL  Customer through spARapiCustomerIns: not run: an earlier step failed',
      'FAIL  Sales order through spSOapiSalesOrdIns: not run: an earlier step failed',
    ]);
    expect(siteRun.check).toContain('WARN  Triggers on the tables the sync writes: They run on every row the sync writes: tI_tglJournalHdr_Audit on tglJournalHdr');

    const rebuilt = join(dir, 'rebuilt.sqlite');
    await cli(['sandbox', 'init', '--path', rebuilt, '--from-fingerprint', join(dir, 'site.json'), '--today', today]);
    const copy = await fingerprintOf(rebuilt, join(dir, 'rebuilt.json'));
    expect(copy.check).toEqual(siteRun.check);
  });

  it('refuses a file that is not a fingerprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's5sync-fp-'));
    writeFileSync(join(dir, 'bad.json'), '{"version":1}');
    const result = await cli(['sandbox', 'init', '--path', join(dir, 'x.sqlite'), '--from-fingerprint', join(dir, 'bad.json')]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('is not a Stripe Sync site fingerprint');
  });
});
