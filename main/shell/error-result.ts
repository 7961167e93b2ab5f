import { errorCodes, type ErrorCode, type Result } from '../../preload/contract.js';
import { redactText } from '../adapters/logging/redact.js';

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && (errorCodes as readonly string[]).includes(value);

/**
 * An error that carries a contract ErrorCode. The engine client throws it when the engine
 * answers with a failed Result, so the IPC layer hands the same code on to the window.
 */
export class CodedError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'CodedError';
    this.code = code;
  }
}

export const failure = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message: redactText(message) },
});

/**
 * Any thrown value → a failed Result. A `code` property that is a contract ErrorCode is kept
 * (the engine's own errors may carry one); anything else is `internal`. The message is always
 * redacted: error text from drivers can quote connection strings or keys.
 */
export const errorToResult = (error: unknown): Result<never> => {
  if (error instanceof Error) {
    const code = 'code' in error && isErrorCode(error.code) ? error.code : 'internal';
    return failure(code, error.message || error.name);
  }
  return failure('internal', typeof error === 'string' ? error : 'Unexpected error');
};
