/**
 * Shortens text to at most `limit` characters at a word boundary, so "Great Lakes Paddle &
 * Portage Wholesale Distribution Company" becomes "Great Lakes Paddle & Portage Wholesale"
 * rather than ending mid-word. Connectors left dangling at the cut ("&", "-", ",") are dropped.
 * A first word longer than the limit is cut at the limit (there is no boundary to use).
 * Lengths are in characters (code points), as Sage counts varchar length.
 */
export function shortenAtWordBoundary(text: string, limit: number): { kept: string; rest: string } {
  const characters = [...text.trim()];
  if (characters.length <= limit) return { kept: characters.join(''), rest: '' };
  const words = text.trim().split(/\s+/);
  let kept = '';
  let used = 0;
  for (const word of words) {
    const candidate = kept ? `${kept} ${word}` : word;
    if ([...candidate].length > limit) break;
    kept = candidate;
    used++;
  }
  if (used === 0) return { kept: characters.slice(0, limit).join(''), rest: characters.slice(limit).join('') };
  const trimmed = kept.replace(/[\s&,;:/+-]+$/u, '') || kept;
  const keptWords = trimmed.split(/\s+/).length;
  return { kept: trimmed, rest: words.slice(keptWords).join(' ') };
}
