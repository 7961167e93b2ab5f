/**
 * The valid name a typo most likely meant: case-insensitive edit distance, so `shadowmode`
 * finds `shadowMode` and `granularty` finds `granularity`. Returns null when nothing is close
 * enough to be a plausible typo or a shortened name (suggesting a random key would mislead
 * more than help).
 */
export function closestName(typed: string, candidates: readonly string[]): string | null {
  const lowered = typed.toLowerCase();
  let best: { name: string; distance: number } | null = null;
  for (const name of candidates) {
    const distance = editDistance(lowered, name.toLowerCase());
    if (best === null || distance < best.distance) best = { name, distance };
  }
  if (best === null) return null;
  const tolerance = Math.max(2, Math.floor(Math.max(typed.length, best.name.length) / 3));
  if (best.distance <= tolerance) return best.name;
  // A shortened or lengthened name (`pollInterval` for `pollIntervalMinutes`) is far in edits but obvious.
  const containing = lowered.length >= 3 ? candidates.find((name) => name.toLowerCase().includes(lowered) || lowered.includes(name.toLowerCase())) : undefined;
  return containing ?? null;
}

/** Levenshtein distance (insert, delete, substitute), two rows of memory. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
