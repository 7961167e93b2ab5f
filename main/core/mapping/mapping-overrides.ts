/**
 * Applies a config file's partial mapping to a complete one, key by key at every depth:
 * `{"accounts": {"bank": "1020-00"}}` changes the bank account and keeps every other account.
 * A value that is not a plain object (a string, a number, an array) replaces the base value
 * whole, so a wrong type still reaches validation and is reported there. Keys are copied as
 * own properties (Object.fromEntries), so a `"__proto__"` key in the file stays a key that
 * validation rejects instead of changing the object's prototype.
 */
export function applyMappingOverrides(base: unknown, overrides: unknown): unknown {
  if (overrides === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(overrides)) return overrides;
  const keys = new Set([...Object.keys(base), ...Object.keys(overrides)]);
  return Object.fromEntries(
    [...keys].map((key) => [key, applyMappingOverrides(ownValue(base, key), ownValue(overrides, key))]),
  );
}

function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
