import type { ErrorCode } from '../../preload/contract.js';

/** A failure with a contract error code, so the IPC layer can answer with the right Result. */
export class AppServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppServiceError';
  }
}
