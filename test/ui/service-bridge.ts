import type { Page } from 'playwright-core';
import { requestSchemas, type AppService, type EventName, type RequestName, type Result } from '../../preload/contract.js';

/**
 * Gives the page a `window.s5sync` backed by the real AppService in the test process: the
 * same validate-then-call path as the shell's IPC handlers, requests through an exposed
 * binding and events pushed with page.evaluate.
 */

const INIT_SCRIPT = `
  (() => {
    const listeners = { status: new Set(), navigate: new Set() };
    window.__s5syncDeliver = (name, payload) => { for (const listener of listeners[name]) listener(payload); };
    window.s5sync = Object.freeze({
      request: (name, payload) => window.__s5syncRequest(name, payload),
      subscribe: (name, listener) => { listeners[name].add(listener); return () => listeners[name].delete(listener); },
    });
  })();
`;

async function handle(service: AppService, name: RequestName, payload: unknown): Promise<Result<unknown>> {
  const schema = requestSchemas[name];
  if (!schema) return { ok: false, error: { code: 'invalid-request', message: `unknown request ${String(name)}` } };
  const parsed = schema.safeParse(payload ?? undefined);
  if (!parsed.success) return { ok: false, error: { code: 'invalid-request', message: parsed.error.message } };
  try {
    const handler = service[name] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, error: { code: typeof code === 'string' ? (code as 'internal') : 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
}

export async function connectPage(page: Page, service: AppService): Promise<() => void> {
  await page.exposeBinding('__s5syncRequest', (_source, name: RequestName, payload: unknown) => handle(service, name, payload));
  await page.addInitScript(INIT_SCRIPT);
  const deliver = (name: EventName) => (payload: unknown) => {
    page.evaluate(([event, body]) => (window as unknown as { __s5syncDeliver?: (n: string, p: unknown) => void }).__s5syncDeliver?.(event as string, body), [name, payload] as const).catch(() => undefined);
  };
  const stops = [service.onEvent('status', deliver('status')), service.onEvent('navigate', deliver('navigate'))];
  return () => stops.forEach((stop) => stop());
}
