import type Database from 'better-sqlite3';
import type { ParameterBinding } from '../../../adapters/sage/sql-port.js';

export type ProcedureValue = string | number | null;

/**
 * A TypeScript stand-in for a Sage stored procedure. `run` receives the arguments in Sage's
 * parameter order and returns its OUTPUT values by position.
 */
export interface EmulatedProcedure {
  /** Sage's parameter names in order, without the @. */
  parameters: readonly string[];
  /**
   * The one binding the sandbox accepts, stricter than SQL Server on purpose: 'name' where the
   * names are verified but the order is not (a positional call would depend on a guess), and
   * 'position' where the names differ between Sage copies or are not public.
   */
  binding: ParameterBinding;
  run(db: Database.Database, inputs: readonly ProcedureValue[]): Map<number, ProcedureValue>;
}

export function textArg(inputs: readonly ProcedureValue[], position: number): string | null {
  const value = inputs[position];
  return value === null || value === undefined ? null : String(value);
}

export function intArg(inputs: readonly ProcedureValue[], position: number): number {
  const value = inputs[position];
  return value === null || value === undefined ? 0 : Number(value);
}
