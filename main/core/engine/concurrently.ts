/**
 * Runs `work` over the items with at most `limit` at a time, in order of start. Against live
 * Stripe each request takes about 300 ms, so requests one after another use a small share of
 * what an endpoint allows; the StripeReader still paces each endpoint. Work must handle its
 * own failures: an exception stops new starts and is rethrown once the running ones settle.
 */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (next < items.length && failure === null) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
