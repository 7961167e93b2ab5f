import { useEffect, useState } from 'react';

/**
 * Loads data for a view and reloads on demand. The last value stays on screen while a
 * reload is in flight, so lists do not blink or jump during live updates.
 */
export function useRequest<T>(load: () => Promise<T>, dependencies: readonly unknown[]): { value: T | null; error: string | null; reload: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (loaded) => {
        if (!current) return;
        setValue(loaded);
        setError(null);
      },
      (failure: unknown) => {
        if (current) setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => {
      current = false;
    };
    // `load` is a fresh closure each render; the caller's dependencies say when it changes.
  }, [...dependencies, generation]);
  return { value, error, reload: () => setGeneration((count) => count + 1) };
}
