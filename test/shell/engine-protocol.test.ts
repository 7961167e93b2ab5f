import { describe, expect, it, vi } from 'vitest';
import type { CredentialStore } from '../../main/adapters/credentials/credential-store.js';
import { connectEngine } from '../../main/shell/engine-client.js';
import { serveEngine } from '../../main/shell/engine-server.js';
import { CodedError } from '../../main/shell/error-result.js';
import { linkedPorts } from './fakes/electron-fakes.js';
import { createFakeAppService, snapshot } from './fakes/fake-app-service.js';

const memoryCredentials = (): CredentialStore & { values: Map<string, string> } => {
  const values = new Map<string, string>();
  return {
    values,
    backendName: 'memory',
    fallbackReason: null,
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
    isSet: async (name) => values.has(name),
  };
};

const connect = (overrides: Parameters<typeof createFakeAppService>[0] = {}) => {
  const { mainPort, enginePort } = linkedPorts();
  const fake = createFakeAppService(overrides);
  const mainCredentials = memoryCredentials();
  let engineCredentials: CredentialStore | null = null;
  const onMalformed = vi.fn();
  const onShutdown = vi.fn(async () => undefined);
  serveEngine(enginePort, {
    credentialBackend: mainCredentials.backendName,
    createService: async (credentials) => {
      engineCredentials = credentials;
      return fake.service;
    },
    onShutdown,
    onMalformed,
  });
  const connection = connectEngine(mainPort, mainCredentials, onMalformed);
  const credentials = (): CredentialStore => {
    if (!engineCredentials) throw new Error('engine not started');
    return engineCredentials;
  };
  return { mainPort, enginePort, fake, connection, mainCredentials, credentials, onMalformed, onShutdown };
};

describe('engine protocol over a MessagePort', () => {
  it('starts both ports and reports ready once the AppService is built', async () => {
    const { connection, mainPort, enginePort } = connect();
    await expect(connection.ready).resolves.toBeUndefined();
    expect(mainPort.started && enginePort.started).toBe(true);
  });

  it('round-trips requests with their payloads and typed answers', async () => {
    const { connection, fake } = connect({
      getStatus: async () => snapshot({ state: 'syncing' }),
      setPaused: async ({ paused }) => ({ paused }),
    });
    await expect(connection.service.getStatus(undefined)).resolves.toMatchObject({ state: 'syncing' });
    await expect(connection.service.setPaused({ paused: true })).resolves.toEqual({ paused: true });
    expect(fake.calls.map((call) => call.name)).toEqual(['getStatus', 'setPaused']);
  });

  it('answers concurrent requests to the right callers', async () => {
    const { connection } = connect({
      getObjectDetail: async ({ stripeObjectId }) => {
        await new Promise((resolve) => setTimeout(resolve, stripeObjectId === 'ch_slow' ? 20 : 0));
        return { row: { stripeObjectId } } as never;
      },
    });
    const [slow, fast] = await Promise.all([
      connection.service.getObjectDetail({ stripeObjectId: 'ch_slow' }),
      connection.service.getObjectDetail({ stripeObjectId: 'ch_fast' }),
    ]);
    expect(slow.row.stripeObjectId).toBe('ch_slow');
    expect(fast.row.stripeObjectId).toBe('ch_fast');
  });

  it('turns engine failures into CodedErrors carrying the contract code, redacted', async () => {
    const { connection } = connect({
      testSage: async () => {
        throw Object.assign(new Error('Password=s3cret; login failed'), { code: 'sage-error' });
      },
    });
    const failure = await connection.service.testSage(undefined).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CodedError);
    expect(failure).toMatchObject({ code: 'sage-error' });
    expect((failure as Error).message).not.toContain('s3cret');
  });

  it('re-validates payloads in the engine process', async () => {
    const { mainPort, enginePort, fake } = connect({ setPaused: async ({ paused }) => ({ paused }) });
    mainPort.postMessage({ kind: 'request', id: 42, name: 'setPaused', payload: { paused: 'no' } });
    await vi.waitFor(() => expect(enginePort.posted).toContainEqual(expect.objectContaining({ kind: 'response', id: 42 })));
    expect(enginePort.posted).toContainEqual({
      kind: 'response',
      id: 42,
      result: { ok: false, error: { code: 'invalid-request', message: expect.any(String) } },
    });
    expect(fake.calls).toEqual([]);
  });

  it('forwards AppService events to main-side subscribers until they unsubscribe', async () => {
    const { connection, fake } = connect();
    await connection.ready;
    const statuses: string[] = [];
    const unsubscribe = connection.service.onEvent('status', (status) => statuses.push(status.state));
    fake.emit('status', snapshot({ state: 'attention' }));
    await vi.waitFor(() => expect(statuses).toEqual(['attention']));
    unsubscribe();
    fake.emit('status', snapshot({ state: 'idle' }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(statuses).toEqual(['attention']);
  });

  it('lets the engine use the credential store that main owns', async () => {
    const { connection, credentials, mainCredentials } = connect();
    await connection.ready;
    await credentials().set('stripeApiKey', 'rk_test_123');
    expect(mainCredentials.values.get('stripeApiKey')).toBe('rk_test_123');
    await expect(credentials().get('stripeApiKey')).resolves.toBe('rk_test_123');
    await expect(credentials().isSet('sqlPassword')).resolves.toBe(false);
    await credentials().delete('stripeApiKey');
    await expect(credentials().get('stripeApiKey')).resolves.toBeNull();
    expect(credentials().backendName).toBe('memory');
  });

  it('fails pending and later requests when the engine cannot start', async () => {
    const { mainPort, enginePort } = linkedPorts();
    serveEngine(enginePort, {
      credentialBackend: 'memory',
      createService: async () => {
        throw new Error('ledger locked; Password=abc');
      },
      onShutdown: vi.fn(),
      onMalformed: vi.fn(),
    }).catch(() => undefined);
    const connection = connectEngine(mainPort, memoryCredentials(), vi.fn());
    const pending = connection.service.getStatus(undefined);
    await expect(connection.ready).rejects.toThrow(/could not start: ledger locked/);
    await expect(pending).rejects.toMatchObject({ code: 'internal' });
    await expect(connection.service.getSettings(undefined)).rejects.toMatchObject({ code: 'internal' });
    await expect(connection.ready).rejects.not.toThrow(/abc/);
  });

  it('fails in-flight requests when main closes the connection (engine exited)', async () => {
    const { connection } = connect({ syncNow: () => new Promise(() => undefined) });
    await connection.ready;
    const inFlight = connection.service.syncNow(undefined);
    await new Promise((resolve) => setTimeout(resolve, 5));
    connection.close('The sync engine stopped (exit code 1).');
    await expect(inFlight).rejects.toThrow('exit code 1');
  });

  it('hands a shutdown request to the engine with its service', async () => {
    const { connection, fake, onShutdown } = connect();
    await connection.ready;
    connection.requestShutdown();
    await vi.waitFor(() => expect(onShutdown).toHaveBeenCalledWith(fake.service));
  });

  it('drops malformed messages and reports them', async () => {
    const { mainPort, enginePort, onMalformed } = connect();
    enginePort.postMessage({ kind: 'response', id: 'x' });
    mainPort.postMessage({ kind: 'request', id: 1, name: 'dropDatabase', payload: null });
    await vi.waitFor(() => expect(onMalformed).toHaveBeenCalledTimes(2));
  });
});
