import type { SyncConfig } from '../adapters/config/config-file.js';
import { LedgerFile } from '../app/ledger-file.js';
import { countOf } from '../../preload/count-words.js';

/** `s5sync runs`: the run history, the same words as the window's Run history. */
export function runsCommand(config: SyncConfig, options: { limit: number; json: boolean }, write: (line: string) => void): number {
  const file = LedgerFile.openExisting(config);
  if (!file) {
    write(options.json ? JSON.stringify({ runs: [], total: 0 }) : `no ledger yet at ${LedgerFile.pathOf(config)}: run \`s5sync sync --once\` first`);
    return 0;
  }
  try {
    const history = file.operations.runHistory({ limit: options.limit, offset: 0 });
    if (options.json) {
      write(JSON.stringify(history, null, 2));
      return 0;
    }
    if (history.total === 0) write('no runs yet');
    for (const run of history.runs) {
      const duration = run.durationSeconds === null ? 'running' : `${run.durationSeconds} s`;
      write(`#${run.runId}  ${run.startedAt}  ${duration}  ${run.outcomeWords}: ${run.summary}${run.message ? ` (${run.message})` : ''}`);
    }
    if (history.total > history.runs.length) write(`… ${countOf(history.total - history.runs.length, 'older run')} (--limit N shows more)`);
    return 0;
  } finally {
    file.close();
  }
}
