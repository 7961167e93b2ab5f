import { int, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';

/**
 * Reserves one key with spGetNextSurrogateKey; Sage reserves keys before its transaction (sources S6, S12, docs/sage-sources.md).
 * Bound by name: @iTableName and @oNewKey are what the ADO/Dapper/EF callers use (S11, S12).
 */
export async function reserveSurrogateKey(session: SqlSession, tableName: string): Promise<number> {
  const result = await session.procedure('spGetNextSurrogateKey', [
    { name: 'iTableName', param: varchar(30, tableName) },
    { name: 'oNewKey', param: int(null), output: true },
  ], 'name');
  const key = result['oNewKey'];
  if (typeof key !== 'number') throw new Error(`spGetNextSurrogateKey returned no key for ${tableName}`);
  return key;
}
