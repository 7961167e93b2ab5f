import {
  requestNames,
  type AppService,
  type EventName,
  type EventPayloads,
  type StatusSnapshot,
} from '../../../preload/contract.js';

type RequestMethods = Omit<AppService, 'onEvent'>;

export interface FakeAppService {
  service: AppService;
  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void;
  calls: { name: string; payload: unknown }[];
  listenerCount(name: EventName): number;
}

/** An AppService whose requests answer from `overrides`; anything else fails loudly. */
export const createFakeAppService = (overrides: Partial<RequestMethods> = {}): FakeAppService => {
  const calls: { name: string; payload: unknown }[] = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const methods = Object.fromEntries(
    requestNames.map((name) => [
      name,
      async (payload: unknown) => {
        calls.push({ name, payload });
        const override = overrides[name] as ((payload: unknown) => Promise<unknown>) | undefined;
        if (!override) throw new Error(`fake has no ${name}`);
        return override(payload);
      },
    ]),
  ) as RequestMethods;
  const service: AppService = {
    ...methods,
    onEvent: (name, listener) => {
      const set = listeners.get(name) ?? new Set();
      const untyped = listener as (payload: unknown) => void;
      set.add(untyped);
      listeners.set(name, set);
      return () => void set.delete(untyped);
    },
  };
  return {
    service,
    calls,
    emit: (name, payload) => listeners.get(name)?.forEach((listener) => listener(payload)),
    listenerCount: (name) => listeners.get(name)?.size ?? 0,
  };
};

export const snapshot = (overrides: Partial<StatusSnapshot> = {}): StatusSnapshot => ({
  state: 'idle',
  configured: true,
  profile: 'default',
  shadowMode: false,
  lastRun: null,
  lastActivityAt: null,
  nextRunAt: null,
  progress: null,
  counts: { planned: 0, writing: 0, written: 0, failed: 0, dead: 0, skipped: 0, shadow: 0 },
  today: null,
  attention: [],
  notInSage: { parked: 0, unplanned: 0, payoutsNotTiedOut: 0 },
  testMode: null,
  balanceProof: null,
  connection: null,
  activeProfile: { id: 'default', name: 'Default', label: 'live' },
  ...overrides,
});
