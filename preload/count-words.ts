/**
 * "1 refund", "3 refunds": counts read as words, in main's status texts and in the window
 * alike. Shared through the preload folder because both sides already import the contract.
 */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}
