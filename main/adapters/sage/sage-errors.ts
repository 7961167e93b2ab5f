import { SageUnavailableError, SageWriteError, type SageErrorClass } from '../../core/ports/sage-target.js';
import { quoted } from '../../core/text/quoted.js';
import { SqlExecutionError, type SqlFailureKind } from './sql-port.js';

const CLASS_BY_KIND: Record<SqlFailureKind, SageErrorClass> = {
  unavailable: 'transient',
  transient: 'transient',
  constraint: 'data',
  permission: 'configuration',
  'missing-object': 'configuration',
  other: 'data',
};

/** Explains an executor failure in Sage terms; SageWriteErrors pass through unchanged. */
export function toSageWriteError(error: unknown, what: string): SageWriteError {
  if (error instanceof SageWriteError) return error;
  if (error instanceof SqlExecutionError && error.kind === 'unavailable') return unavailable(error.message);
  // A lost race is no fault of the document: one cause for every document it hit.
  if (error instanceof SqlExecutionError && error.kind === 'transient') {
    return new SageWriteError(`Sage was busy (${quoted(error.message)}); retried automatically`, 'transient');
  }
  if (error instanceof SqlExecutionError) {
    const hint =
      error.kind === 'permission'
        ? ' (the SQL login lacks a permission; see docs/sage-setup.md)'
        : error.kind === 'missing-object'
          ? ' (a Sage table, column or procedure is missing; run the preflight check)'
          : '';
    return new SageWriteError(`${what}: Sage rejected the write: ${error.message}${hint}`, CLASS_BY_KIND[error.kind]);
  }
  return new SageWriteError(`${what}: ${error instanceof Error ? error.message : String(error)}`, 'data');
}

const OUT_OF_SPACE = /\b(1105|9002|1101)\b|full|space|allocate/i;

/**
 * The cause without the document it happened to: one message for every document it stopped,
 * so `s5sync errors` and the run say it once.
 */
function unavailable(cause: string): SageUnavailableError {
  const fix = OUT_OF_SPACE.test(cause)
    ? "the Sage database or its transaction log is out of space: free disk space on the SQL Server or let the file grow (SQL Server errors 1105, 9002), or ask the Sage partner"
    : 'Stripe Sync cannot reach the Sage database: check that SQL Server is running and reachable from this PC';
  return new SageUnavailableError(`Sage cannot take documents now (${quoted(cause)}): ${fix}. The documents stay queued and are written automatically once this is fixed.`);
}

/** Rejects text longer than its Sage column, naming the column. */
export function checkLength(value: string | null, maxLength: number, sageField: string, what: string): void {
  if (value !== null && value.length > maxLength) {
    throw new SageWriteError(`${what}: ${sageField} allows ${maxLength} characters, got ${value.length} ("${quoted(value)}")`, 'data', sageField);
  }
}
