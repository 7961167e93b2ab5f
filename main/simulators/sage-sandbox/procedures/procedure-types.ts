import type Database from 'better-sqlite3';

export type ProcedureValue = string | number | null;

/**
 * A TypeScript stand-in for a Sage stored procedure. It receives the arguments by position,
 * as the real procedures are called, and returns its OUTPUT values by position.
 */
export type EmulatedProcedure = (db: Database.Database, inputs: readonly ProcedureValue[]) => Map<number, ProcedureValue>;

export function textArg(inputs: readonly ProcedureValue[], position: number): string | null {
  const value = inputs[position];
  return value === null || value === undefined ? null : String(value);
}

export function intArg(inputs: readonly ProcedureValue[], position: number): number {
  const value = inputs[position];
  return value === null || value === undefined ? 0 : Number(value);
}
