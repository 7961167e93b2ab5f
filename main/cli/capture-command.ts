import { ConfigError, type SyncConfig } from '../adapters/config/config-file.js';
import type { CapturedKind } from '../adapters/sage/site-template.js';
import { captureSiteDocument } from '../app/site-capture.js';

const KIND_BY_WORD: Record<string, CapturedKind> = { batch: 'gl-batch', customer: 'customer', 'sales-order': 'sales-order' };

/** `s5sync capture batch|customer|sales-order ID`: prints what was captured and the code values the writer now copies. */
export async function captureCommand(config: SyncConfig, what: string | undefined, id: string | undefined, env: NodeJS.ProcessEnv, write: (line: string) => void): Promise<number> {
  const kind = what === undefined ? undefined : KIND_BY_WORD[what];
  if (!kind || !id) throw new ConfigError('use: s5sync capture (batch BATCH_NO | customer CUST_ID | sales-order TRAN_NO | diff) --config FILE');
  const result = await captureSiteDocument(config, env, { kind, id }, new Date());
  write(`captured ${result.capture.source} into ${result.path}`);
  for (const [table, rows] of Object.entries(result.capture.tables)) write(`  ${table}: ${rows.length} row${rows.length === 1 ? '' : 's'}`);
  if (result.journalCodes) {
    write(`journal code values now taken from ${result.journalCodes.source}:`);
    for (const [name, value] of Object.entries(result.journalCodes.codes)) write(`  ${name} = ${JSON.stringify(value)}`);
  }
  return 0;
}
