/**
 * The "simple pattern" of a description condition: `*` stands for any text (also none), `?`
 * for one character, everything else for itself, case-insensitive, and the pattern covers the
 * whole text ("Amazon*" matches "Amazon order 123"). Matched with the classic linear
 * backtracking over the last `*`, so no pattern a bookkeeper types can make it slow the way a
 * regular expression can.
 */
export function matchesWildcard(pattern: string, text: string): boolean {
  const p = [...pattern.toLowerCase()];
  const t = [...text.toLowerCase()];
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === t[ti]))) {
      pi += 1;
      ti += 1;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi;
      resume = ti;
      pi += 1;
    } else if (star >= 0) {
      pi = star + 1;
      resume += 1;
      ti = resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi += 1;
  return pi === p.length;
}
