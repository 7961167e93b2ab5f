import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';
import { DEFAULT_MAPPING } from '../core/mapping/default-mapping.js';
import type { Mapping } from '../core/mapping/mapping.js';
import { LEDGER_FILE_NAME } from './open-runtime.js';

/** The mapping saved in a data folder's ledger (the default before any), read without opening the engine, so opening never replaces it. */
export function savedMappingIn(dataDir: string): Mapping {
  const path = join(dataDir, LEDGER_FILE_NAME);
  if (!existsSync(path)) return DEFAULT_MAPPING;
  const ledger = new SqliteLedger(path);
  try {
    return ledger.mappings.currentMapping()?.mapping ?? DEFAULT_MAPPING;
  } finally {
    ledger.close();
  }
}
