import type { Mapping } from '../../core/mapping/mapping.js';
import type { MappingLedger } from '../../core/ports/mapping-ledger.js';
import type { LedgerConnection } from './ledger-connection.js';

/** The mappings table: one row per saved version. */
export class SqliteMappingLedger implements MappingLedger {
  constructor(private readonly connection: LedgerConnection) {}

  currentMapping(): { version: number; mapping: Mapping } | null {
    const row = this.connection.sql('SELECT version, body FROM mappings ORDER BY version DESC LIMIT 1').get() as { version: number; body: string } | undefined;
    return row ? { version: row.version, mapping: JSON.parse(row.body) as Mapping } : null;
  }

  saveMapping(mapping: Mapping): number {
    const body = JSON.stringify(mapping);
    const current = this.currentMapping();
    if (current && JSON.stringify(current.mapping) === body) return current.version;
    const version = (current?.version ?? 0) + 1;
    this.connection.sql('INSERT INTO mappings (version, body, saved_at) VALUES (?, ?, ?)').run(version, body, this.connection.now());
    return version;
  }
}
