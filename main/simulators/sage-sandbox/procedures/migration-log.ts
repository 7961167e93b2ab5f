import type Database from 'better-sqlite3';
import { preparedStatement } from './prepared-statements.js';

/** tdmMigrationLogWrk.Status (sources S1, S2, S9, S10, docs/sage-sources.md). */
export const LOG_FAILURE = 1;
export const LOG_SUCCESS = 3;

/** @iRptOption: 0 all rows, 1 none, 2 good only, 3 bad only. */
function wanted(reportOption: number, status: number): boolean {
  if (reportOption === 1) return false;
  if (reportOption === 2) return status === LOG_SUCCESS;
  if (reportOption === 3) return status === LOG_FAILURE;
  return true;
}

export interface MigrationLogEntry {
  entityId: string | null;
  columnId: string | null;
  columnValue: string | null;
  status: number;
  duplicate?: boolean;
  comment: string;
}

export function writeMigrationLog(db: Database.Database, sessionKey: number, reportOption: number, entry: MigrationLogEntry): void {
  if (!wanted(reportOption, entry.status)) return;
  preparedStatement(db,
    `INSERT INTO tdmMigrationLogWrk (SessionKey, EntityID, ColumnID, ColumnValue, Status, Duplicate, Comment)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(sessionKey, entry.entityId, entry.columnId, entry.columnValue?.slice(0, 255) ?? null, entry.status, entry.duplicate ? 1 : 0, entry.comment.slice(0, 255));
}

/** A staging row that the API rejects, with the Sage column at fault. */
export class StagingRowError extends Error {
  constructor(
    readonly columnId: string,
    readonly columnValue: string | null,
    message: string,
    readonly duplicate = false,
  ) {
    super(message);
    this.name = 'StagingRowError';
  }
}

/** Rejects a value longer than the target Sage column, naming the column. */
export function checkLength(table: string, column: string, value: string | null, maxLength: number): void {
  if (value !== null && value.length > maxLength) {
    throw new StagingRowError(column, value, `${column} '${value}' is longer than ${maxLength} characters (${table}.${column})`);
  }
}
