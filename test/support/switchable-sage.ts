import { SqlExecutionError, type SagePort } from '../../main/adapters/sage/sql-port.js';

/**
 * A Sage port that can be made to fail as the mssql driver does when the server is gone: while
 * `down`, every statement is refused (after `refuseAfterMs`, as a connection attempt that times
 * out) with an `unavailable` SqlExecutionError carrying the driver's code; closing always works.
 */
export function switchableSage(options: { refuseAfterMs?: number; cause?: { message: string; code: string } } = {}): { wrap: (port: SagePort) => SagePort; down: boolean } {
  const { refuseAfterMs = 0, cause = { message: 'connect ECONNREFUSED 10.0.0.5:1433', code: 'ESOCKET' } } = options;
  const state = { down: false, wrap: (port: SagePort): SagePort => port };
  const refuse = async (statement: string): Promise<never> => {
    if (refuseAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, refuseAfterMs));
    throw new SqlExecutionError(`Failed to connect to sage01:1433 - ${cause.message}`, 'unavailable', statement, Object.assign(new Error(cause.message), { code: cause.code }));
  };
  state.wrap = (port) =>
    new Proxy(port, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (property === 'close') return method.bind(target);
        return async (...args: unknown[]) => {
          if (state.down) return refuse(String(property));
          return method.apply(target, args);
        };
      },
    });
  return state;
}
