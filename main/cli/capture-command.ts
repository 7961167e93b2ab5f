import { ConfigError, type SyncConfig } from '../adapters/config/config-file.js';
import type { CapturedKind } from '../adapters/sage/site-template.js';
import { captureSiteDocument } from '../app/site-capture.js';
import { captureDiff, type CaptureDiffResult } from '../app/site-rehearsal.js';

const KIND_BY_WORD: Record<string, CapturedKind> = { batch: 'gl-batch', customer: 'customer', 'sales-order': 'sales-order', 'cash-receipt': 'cash-receipt', 'ar-invoice': 'ar-invoice' };

/** `s5sync capture batch|customer|sales-order|cash-receipt|ar-invoice ID`: prints what was captured and the code values the writer now copies. */
export async function captureCommand(config: SyncConfig, what: string | undefined, id: string | undefined, env: NodeJS.ProcessEnv, write: (line: string) => void): Promise<number> {
  if (what === 'diff') return diffCommand(config, env, write);
  const kind = what === undefined ? undefined : KIND_BY_WORD[what];
  if (!kind || !id) throw new ConfigError('use: s5sync capture (batch BATCH_NO | customer CUST_ID | sales-order TRAN_NO | cash-receipt BATCH_NO | ar-invoice BATCH_NO | diff) --config FILE');
  const result = await captureSiteDocument(config, env, { kind, id }, new Date());
  write(`captured ${result.capture.source} into ${result.path}`);
  for (const [table, rows] of Object.entries(result.capture.tables)) write(`  ${table}: ${rows.length} row${rows.length === 1 ? '' : 's'}`);
  if (result.journalCodes) {
    write(`journal code values now taken from ${result.journalCodes.source}:`);
    for (const [name, value] of Object.entries(result.journalCodes.codes)) write(`  ${name} = ${JSON.stringify(value)}`);
  }
  return 0;
}

/** `s5sync capture diff`: each sample the writer wrote (rolled back) against the golden row, column by column. Exit 1 on any difference or failure. */
async function diffCommand(config: SyncConfig, env: NodeJS.ProcessEnv, write: (line: string) => void): Promise<number> {
  return printCaptureDiff(await captureDiff(config, env, Date.now()), write);
}

/** Prints the diff and returns the exit code: 1 on any difference, failed step, or sample not read back. */
export function printCaptureDiff(result: CaptureDiffResult, write: (line: string) => void): number {
  let problems = 0;
  for (const document of result.documents) {
    if (!document.step.passed) {
      problems += 1;
      write(`FAIL  ${document.step.label}: ${document.step.detail}`);
      continue;
    }
    if (document.golden === null) {
      write(`----  ${document.step.label}: nothing captured to compare with (s5sync capture ${document.kind === 'gl-batch' ? 'batch' : document.kind} …)`);
      continue;
    }
    // A sample written but not read back was never compared: saying SAME would vouch for
    // columns nobody looked at.
    if (document.differences === null) {
      problems += 1;
      write(`FAIL  ${document.step.label}: written but not read back, so not compared with ${document.golden}`);
      continue;
    }
    const differences = document.differences;
    problems += differences.length;
    write(`${differences.length === 0 ? 'SAME' : 'DIFF'}  ${document.step.label} against ${document.golden}: ${differences.length} ${differences.length === 1 ? 'column differs' : 'columns differ'}`);
    for (const difference of differences) {
      write(`      ${difference.table}.${difference.column}: golden ${JSON.stringify(difference.golden)}, ours ${JSON.stringify(difference.ours)}${difference.how === 'value' ? '' : ` (${difference.how})`}`);
    }
  }
  if (result.rolledBack) {
    if (!result.rolledBack.passed) problems += 1;
    write(`${result.rolledBack.passed ? 'PASS' : 'FAIL'}  ${result.rolledBack.label}: ${result.rolledBack.detail}`);
  }
  return problems === 0 ? 0 : 1;
}
