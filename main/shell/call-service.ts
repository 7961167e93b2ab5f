import { z } from 'zod';
import { requestSchemas, type AppService, type RequestName, type ResponseTypes, type Result } from '../../preload/contract.js';
import { errorToResult, failure } from './error-result.js';

/**
 * Validates one request payload with the contract's zod schema, calls the AppService and turns
 * the outcome into a Result. Used by both the IPC handlers in main and the engine process, so a
 * request is checked the same way at each boundary it crosses.
 */
export const callService = async <N extends RequestName>(
  service: AppService,
  name: N,
  rawPayload: unknown,
): Promise<Result<ResponseTypes[N]>> => {
  const schema: z.ZodType = requestSchemas[name];
  const parsed = schema.safeParse(rawPayload);
  if (!parsed.success) return failure('invalid-request', `Invalid ${name} request: ${z.prettifyError(parsed.error)}`);
  // The schema for `name` produced this value, so it is exactly the payload AppService[N] takes;
  // TypeScript cannot correlate a generic key across the two maps on its own.
  const handler = service[name] as (payload: unknown) => Promise<ResponseTypes[N]>;
  try {
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return errorToResult(error);
  }
};
