import { SageWriteError, type SageErrorClass } from '../../core/ports/sage-target.js';
import { SqlExecutionError, type SqlFailureKind } from './sql-port.js';

const CLASS_BY_KIND: Record<SqlFailureKind, SageErrorClass> = {
  transient: 'transient',
  constraint: 'data',
  permission: 'configuration',
  'missing-object': 'configuration',
  other: 'data',
};

/** Explains an executor failure in Sage terms; SageWriteErrors pass through unchanged. */
export function toSageWriteError(error: unknown, what: string): SageWriteError {
  if (error instanceof SageWriteError) return error;
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

/** Rejects text longer than its Sage column, naming the column. */
export function checkLength(value: string | null, maxLength: number, sageField: string, what: string): void {
  if (value !== null && value.length > maxLength) {
    throw new SageWriteError(`${what}: ${sageField} allows ${maxLength} characters, got ${value.length} ("${value}")`, 'data', sageField);
  }
}
