import { describe, expect, it, vi } from 'vitest';
import { eventChannel, requestChannel, type BridgeApi } from '../../preload/contract.js';
import { createBridgeApi, type IpcRendererLike } from '../../preload/bridge-api.js';
import { snapshot } from './fakes/fake-app-service.js';

type Listener = (event: unknown, payload: unknown) => void;

class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  readonly listeners = new Map<string, Set<Listener>>();
  answer: unknown = { ok: true, value: { started: true } };
  failInvoke = false;
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    if (this.failInvoke) throw new Error(`Error invoking remote method '${channel}': no handler`);
    return this.answer;
  }
  on(channel: string, listener: Listener): this {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
    return this;
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  emit(channel: string, payload: unknown): void {
    const rawEvent = { sender: 'IpcRendererEvent with ports and sender' };
    this.listeners.get(channel)?.forEach((listener) => listener(rawEvent, payload));
  }
}

/** What page script can do: call with anything, since its JavaScript is not type-checked. */
const asUntyped = (api: BridgeApi) =>
  api as unknown as {
    request(name: string, payload?: unknown): Promise<unknown>;
    subscribe(name: string, listener: unknown): () => void;
  };

describe('createBridgeApi', () => {
  it('exposes exactly request and subscribe, and nothing of ipcRenderer', () => {
    const api = createBridgeApi(new FakeIpcRenderer());
    expect(Object.keys(api).sort()).toEqual(['request', 'subscribe']);
    expect(JSON.stringify(Object.getOwnPropertyNames(api))).not.toMatch(/invoke|send|on"/);
  });

  it('sends a request on its contract channel with the single payload', async () => {
    const ipc = new FakeIpcRenderer();
    const api = createBridgeApi(ipc);
    await expect(api.request('syncNow', undefined)).resolves.toEqual({ ok: true, value: { started: true } });
    await api.request('setPaused', { paused: true });
    expect(ipc.invoked).toEqual([
      { channel: requestChannel('syncNow'), args: [undefined] },
      { channel: requestChannel('setPaused'), args: [{ paused: true }] },
    ]);
  });

  it('rejects unknown request and event names without touching IPC', async () => {
    const ipc = new FakeIpcRenderer();
    const api = asUntyped(createBridgeApi(ipc));
    await expect(api.request('deleteEverything', {})).resolves.toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await expect(api.request('__proto__')).resolves.toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(() => api.subscribe('s5sync:event:status', () => undefined)).toThrow(TypeError);
    expect(() => api.subscribe('status', 'not a function')).toThrow(TypeError);
    expect(ipc.invoked).toEqual([]);
    expect(ipc.listeners.size).toBe(0);
  });

  it('turns a failed invoke into an internal Result instead of throwing', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.failInvoke = true;
    await expect(createBridgeApi(ipc).request('getStatus', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('delivers only the payload to subscribers, never the IpcRendererEvent, and unsubscribes', () => {
    const ipc = new FakeIpcRenderer();
    const api = createBridgeApi(ipc);
    const received: unknown[][] = [];
    const unsubscribe = api.subscribe('status', (...args: unknown[]) => received.push(args));
    ipc.emit(eventChannel('status'), snapshot({ state: 'syncing' }));
    expect(received).toEqual([[snapshot({ state: 'syncing' })]]);
    unsubscribe();
    ipc.emit(eventChannel('status'), snapshot());
    expect(received).toHaveLength(1);
    expect(ipc.listeners.get(eventChannel('status'))?.size).toBe(0);
  });
});

describe('preload entry', () => {
  it("exposes the bridge as window.s5sync and nothing else", async () => {
    const exposeInMainWorld = vi.fn();
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld },
      ipcRenderer: new FakeIpcRenderer(),
    }));
    await import('../../preload/preload.js');
    expect(exposeInMainWorld).toHaveBeenCalledOnce();
    const [key, api] = exposeInMainWorld.mock.calls[0] as [string, object];
    expect(key).toBe('s5sync');
    expect(Object.keys(api).sort()).toEqual(['request', 'subscribe']);
    vi.doUnmock('electron');
  });
});
