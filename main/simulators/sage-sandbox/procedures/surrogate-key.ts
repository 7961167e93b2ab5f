import type Database from 'better-sqlite3';
import { textArg, type EmulatedProcedure } from './procedure-types.js';
import { preparedStatement } from './prepared-statements.js';

/**
 * spGetNextSurrogateKey(@iTableName, @oNewKey OUTPUT): takes tciSurrogateKey.NextKey and adds
 * one in a single atomic statement (its own transaction, or part of the caller's). A table
 * without a row starts at key 1, as a fresh Sage company does.
 */
const TAKE_NEXT_KEY = `INSERT INTO tciSurrogateKey (TableName, NextKey) VALUES (?, 2)
  ON CONFLICT (TableName) DO UPDATE SET NextKey = NextKey + 1
  RETURNING NextKey - 1 AS NewKey`;

export function nextSurrogateKey(db: Database.Database, tableName: string): number {
  return (preparedStatement(db, TAKE_NEXT_KEY).get(tableName) as { NewKey: number }).NewKey;
}

/** Parameter names from ADO/Dapper/EF callers (sources S11, S12, docs/sage-sources.md): called by name. */
export const spGetNextSurrogateKey: EmulatedProcedure = {
  parameters: ['iTableName', 'oNewKey'],
  binding: 'name',
  run: (db, inputs) => {
    const tableName = textArg(inputs, 0);
    if (!tableName) throw new Error('spGetNextSurrogateKey: @iTableName is required');
    return new Map([[1, nextSurrogateKey(db, tableName)]]);
  },
};
