/**
 * A value quoted in a message, capped: a 1 MB customer name must not make a 2 MB error text
 * in the ledger, the log and the window. The cap keeps the start (which identifies the value)
 * and says how long the value really was.
 */

export const QUOTED_VALUE_LIMIT = 120;

export function quoted(value: string, limit = QUOTED_VALUE_LIMIT): string {
  const characters = [...value];
  if (characters.length <= limit) return value;
  return `${characters.slice(0, limit).join('')}… (${characters.length} characters)`;
}
