import { eventChannel, eventNames, type AppService, type EventName, type EventPayloads } from '../../preload/contract.js';

export interface WebContentsLike {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/** Typed send to the window that is a no-op once the WebContents is gone (window closed at quit). */
export const sendEvent = <E extends EventName>(
  target: WebContentsLike | null,
  name: E,
  payload: EventPayloads[E],
): boolean => {
  if (target === null || target.isDestroyed()) return false;
  target.send(eventChannel(name), payload);
  return true;
};

/** Forwards every contract event from the AppService to whichever window exists at the time. */
export const forwardServiceEvents = (service: AppService, currentTarget: () => WebContentsLike | null): (() => void) => {
  const unsubscribers = eventNames.map((name) =>
    service.onEvent(name, (payload) => {
      sendEvent(currentTarget(), name, payload);
    }),
  );
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
};
