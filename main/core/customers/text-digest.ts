/**
 * FNV-1a 64-bit: a small, stable digest for deterministic identifiers (CustIDs, document
 * keys). Not for security; chosen because the same text must give the same id in every
 * process and version, without a crypto dependency in core.
 */
export function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}
