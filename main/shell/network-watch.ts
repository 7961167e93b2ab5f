/**
 * Electron's main process has `net.isOnline()` but no online/offline event, so connectivity is
 * sampled; `onReturn` fires on each offline → online transition (a good moment to sync).
 */
export const watchNetworkReturn = <Handle>(options: {
  isOnline: () => boolean;
  onReturn: () => void;
  everyMs: number;
  setInterval: (callback: () => void, ms: number) => Handle;
  clearInterval: (handle: Handle) => void;
}): (() => void) => {
  let wasOnline = options.isOnline();
  const handle = options.setInterval(() => {
    const online = options.isOnline();
    if (online && !wasOnline) options.onReturn();
    wasOnline = online;
  }, options.everyMs);
  return () => options.clearInterval(handle);
};
