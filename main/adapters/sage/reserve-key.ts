import { int, varchar } from './sql-params.js';
import { runBatch, type BatchStep, type SqlSession } from './sql-port.js';

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

/**
 * `count` keys of one table, each from its own spGetNextSurrogateKey call (the single-key
 * procedure whose parameter names are verified; spGetNextBlockSurrogateKey's are not, source
 * S12), sent together: one round trip on SQL Server.
 */
export async function reserveSurrogateKeys(session: SqlSession, tableName: string, count: number): Promise<number[]> {
  const steps: BatchStep[] = Array.from({ length: count }, () => ({
    kind: 'procedure',
    name: 'spGetNextSurrogateKey',
    args: [
      { name: 'iTableName', param: varchar(30, tableName) },
      { name: 'oNewKey', param: int(null), output: true },
    ],
    binding: 'name',
  }));
  return (await runBatch(session, steps)).map((result) => {
    const key = result['oNewKey'];
    if (typeof key !== 'number') throw new Error(`spGetNextSurrogateKey returned no key for ${tableName}`);
    return key;
  });
}
