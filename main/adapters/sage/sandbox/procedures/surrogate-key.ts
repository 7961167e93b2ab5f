import type Database from 'better-sqlite3';
import { textArg, type EmulatedProcedure } from './procedure-types.js';

/**
 * spGetNextSurrogateKey(@iTableName, @oNewKey OUTPUT): reads tciSurrogateKey.NextKey and adds
 * one, atomically (a savepoint when called inside a transaction, BEGIN IMMEDIATE otherwise).
 * A table without a row starts at key 1, as a fresh Sage company does.
 */
export function nextSurrogateKey(db: Database.Database, tableName: string): number {
  return db.transaction(() => {
    const row = db.prepare('SELECT NextKey FROM tciSurrogateKey WHERE TableName = ?').get(tableName) as { NextKey: number } | undefined;
    const key = row?.NextKey ?? 1;
    if (row) db.prepare('UPDATE tciSurrogateKey SET NextKey = ? WHERE TableName = ?').run(key + 1, tableName);
    else db.prepare('INSERT INTO tciSurrogateKey (TableName, NextKey) VALUES (?, ?)').run(tableName, key + 1);
    return key;
  }).immediate();
}

export const spGetNextSurrogateKey: EmulatedProcedure = (db, inputs) => {
  const tableName = textArg(inputs, 0);
  if (!tableName) throw new Error('spGetNextSurrogateKey: @iTableName is required');
  return new Map([[1, nextSurrogateKey(db, tableName)]]);
};
