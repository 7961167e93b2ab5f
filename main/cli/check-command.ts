import type { SyncConfig } from '../adapters/config/config-file.js';
import { installXref } from '../adapters/sage/install-xref.js';
import { runPreflight } from '../adapters/sage/preflight.js';
import { openSage } from '../app/open-sage.js';
import { mappedAccounts } from '../core/mapping/mapping.js';
import { businessDate } from '../core/time/business-date.js';

/**
 * `s5sync check`: the preflight against the configured Sage database, as a pass/fail list
 * with what to do for each failure. `--install` first creates our cross-reference table
 * (with its GRANT on SQL Server). Exit 1 when anything failed.
 */
export async function checkCommand(
  config: SyncConfig,
  options: { install: boolean; now: number },
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
): Promise<number> {
  const sage = await openSage(config, env);
  try {
    if (options.install) {
      const installed = await installXref(sage);
      write(
        installed.created
          ? `created tciStripeXref_STRIPE${installed.granted ? ' and granted it to ApplicationDBRole' : ''}`
          : 'tciStripeXref_STRIPE already exists',
      );
    }
    const items = await runPreflight(sage, {
      companyId: config.companyId,
      userId: config.sageUserId,
      accounts: mappedAccounts(config.mapping),
      today: businessDate(Math.floor(options.now / 1000), config.mapping.timeZone),
    });
    for (const item of items) {
      write(`${item.passed ? 'PASS' : 'FAIL'}  ${item.label}: ${item.detail}`);
      if (!item.passed && item.fix) write(`      fix: ${item.fix}`);
    }
    const failed = items.filter((item) => !item.passed).length;
    write(failed === 0 ? `all ${items.length} checks passed` : `${failed} of ${items.length} checks failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    await sage.close();
  }
}
