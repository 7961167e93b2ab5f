import type { SyncConfig } from '../adapters/config/config-file.js';
import type { PreflightItem } from '../adapters/sage/preflight.js';
import { runSiteCheck } from '../app/site-check.js';

/** One check as a line: PASS, WARN or FAIL, then what to do. */
export function printCheckItem(item: PreflightItem, write: (line: string) => void): void {
  write(`${item.passed ? (item.warning ? 'WARN' : 'PASS') : 'FAIL'}  ${item.label}: ${item.detail}`);
  if (item.fix && (!item.passed || item.warning)) write(`      ${item.passed ? 'note' : 'fix'}: ${item.fix}`);
}

/**
 * `s5sync check`: prints the preflight and site checks (main/app/site-check.ts) as a
 * pass/fail list with what to do for each failure. `--install` first creates our
 * cross-reference table (with its GRANT on SQL Server); `--rehearse` adds the rolled-back
 * rehearsal's steps. Exit 1 when anything failed.
 */
export async function checkCommand(
  config: SyncConfig,
  options: { install: boolean; now: number; rehearse: boolean; fingerprintPath?: string },
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
): Promise<number> {
  const result = await runSiteCheck(config, env, options);
  if (result.installed) {
    write(
      result.installed.created
        ? `created tciStripeXref_STRIPE${result.installed.granted ? ' and granted it to ApplicationDBRole' : ''}`
        : 'tciStripeXref_STRIPE already exists',
    );
  }
  for (const item of result.items) printCheckItem(item, write);
  if (options.fingerprintPath) write(`wrote the schema facts the sync depends on to ${options.fingerprintPath} (s5sync sandbox init --from-fingerprint)`);
  const rehearsal = result.rehearsal ?? [];
  if (result.rehearsal) write('rehearsal (one sample of each enabled document, always rolled back):');
  for (const step of rehearsal) write(`${step.passed ? 'PASS' : 'FAIL'}  ${step.label}: ${step.detail}`);
  const failed = result.items.filter((item) => !item.passed).length + rehearsal.filter((step) => !step.passed).length;
  const warnings = result.items.filter((item) => item.passed && item.warning).length;
  write(
    (failed === 0 ? `all ${result.items.length + rehearsal.length} checks passed` : `${failed} of ${result.items.length + rehearsal.length} checks failed`) +
      (warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''),
  );
  return failed === 0 ? 0 : 1;
}
