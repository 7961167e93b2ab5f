import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RENDERER_ENTRY_URL,
  RENDERER_ROOT_URL,
  RENDERER_SCHEME_PRIVILEGES,
  rendererFileFor,
  serveRendererRequest,
} from '../../main/shell/renderer-protocol.js';
import { RENDERER_CSP } from '../../main/shell/security-policy.js';

let base: string;
let rendererDirectory: string;
/** net.fetch of a file:// URL, as the fake of Electron's: reads the file or answers 404. */
const fetchFile = async (fileUrl: string): Promise<Response> => {
  try {
    return new Response(await readFile(fileURLToPath(fileUrl)), { status: 200, headers: { 'Content-Type': 'text/html' } });
  } catch {
    return new Response('', { status: 404 });
  }
};

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 's5sync-protocol-'));
  rendererDirectory = join(base, 'dist', 'renderer');
  mkdirSync(join(rendererDirectory, 'assets'), { recursive: true });
  writeFileSync(join(rendererDirectory, 'index.html'), '<!doctype html><title>Stripe Sync</title>');
  writeFileSync(join(rendererDirectory, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'credentials.json'), '{"secret":"outside the renderer"}');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('rendererFileFor', () => {
  it('maps app://renderer/ URLs to files in the renderer folder', () => {
    expect(rendererFileFor(RENDERER_ENTRY_URL, rendererDirectory)).toBe(join(rendererDirectory, 'index.html'));
    expect(rendererFileFor(RENDERER_ROOT_URL, rendererDirectory)).toBe(join(rendererDirectory, 'index.html'));
    expect(rendererFileFor(`${RENDERER_ROOT_URL}assets/app.js?v=1#x`, rendererDirectory)).toBe(join(rendererDirectory, 'assets', 'app.js'));
  });

  it('refuses anything outside it: climbing out (plain or encoded), other hosts and schemes, NUL bytes', () => {
    for (const url of [
      `${RENDERER_ROOT_URL}../credentials.json`,
      `${RENDERER_ROOT_URL}..%2f..%2fcredentials.json`,
      `${RENDERER_ROOT_URL}assets/..%2F..%2F..%2Fcredentials.json`,
      `${RENDERER_ROOT_URL}%2e%2e/%2e%2e/credentials.json`,
      `${RENDERER_ROOT_URL}index.html%00.js`,
      `${RENDERER_ROOT_URL}%E0%A4%A`,
      'app://other/index.html',
      'file:///etc/passwd',
      'https://renderer/index.html',
      'not a url',
    ]) {
      const file = rendererFileFor(url, rendererDirectory);
      expect(file === null || file.startsWith(join(rendererDirectory, '')), url).toBe(true);
      expect(file, url).not.toBe(join(base, 'credentials.json'));
    }
    expect(rendererFileFor(`${RENDERER_ROOT_URL}..%2f..%2fcredentials.json`, rendererDirectory)).toBeNull();
    expect(rendererFileFor('app://other/index.html', rendererDirectory)).toBeNull();
  });

  it('registers app: as a standard, secure scheme with no CSP bypass', () => {
    expect(RENDERER_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true } });
  });
});

describe('serveRendererRequest', () => {
  it('serves the renderer files with the Content Security Policy', async () => {
    const response = await serveRendererRequest({ url: RENDERER_ENTRY_URL, method: 'GET' }, rendererDirectory, fetchFile);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Stripe Sync</title>');
    expect(response.headers.get('Content-Security-Policy')).toBe(RENDERER_CSP);
    expect(response.headers.get('Content-Type')).toBe('text/html');
  });

  it('answers 404 for files outside the renderer, without reading them', async () => {
    const read: string[] = [];
    const response = await serveRendererRequest({ url: `${RENDERER_ROOT_URL}..%2f..%2fcredentials.json`, method: 'GET' }, rendererDirectory, async (url) => {
      read.push(url);
      return fetchFile(url);
    });
    expect(response.status).toBe(404);
    expect(read).toEqual([]);
  });

  it('refuses anything but GET', async () => {
    const response = await serveRendererRequest({ url: RENDERER_ENTRY_URL, method: 'POST' }, rendererDirectory, fetchFile);
    expect(response.status).toBe(405);
  });
});
