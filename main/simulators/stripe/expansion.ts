import type { SimulatedKind, SimulatorStore } from './store.js';
import { kindOfId } from './resources.js';

/**
 * Stripe's `expand`: replaces an id field with the object it names. Objects stay stored with
 * ids; an expanded response is a shallow copy, so expansion never changes the store.
 */
export function expandObject<T extends object>(store: SimulatorStore, object: T, fields: readonly string[]): T {
  if (fields.length === 0) return object;
  const copy: Record<string, unknown> = { ...(object as Record<string, unknown>) };
  for (const field of fields) {
    const value = copy[field];
    if (typeof value !== 'string') continue;
    const kind: SimulatedKind | null = kindOfId(value);
    const target = kind === null ? undefined : store.get(kind, value);
    if (target !== undefined) copy[field] = target;
  }
  return copy as T;
}
