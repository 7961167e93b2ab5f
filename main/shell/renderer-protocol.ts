import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RENDERER_CSP } from './security-policy.js';

/**
 * Main process: the window loads the renderer from app://renderer/ instead of file://
 * (Electron's security checklist: "use a custom protocol instead of file://"). A file:// page
 * may read any file the user can; an app:// page sees only the bundled renderer folder, gets a
 * real origin for 'self' in the Content Security Policy, and every response carries that policy.
 * Electron-free: main.ts registers the scheme and passes net.fetch as `fetchFile`.
 */

export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'renderer';
export const RENDERER_ROOT_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/`;
export const RENDERER_ENTRY_URL = `${RENDERER_ROOT_URL}index.html`;

/**
 * For protocol.registerSchemesAsPrivileged (before the app is ready): standard, so relative
 * URLs and the origin work like https; secure, so the page is a secure context. No CSP bypass,
 * no fetch or CORS privileges: the renderer fetches nothing.
 */
export const RENDERER_SCHEME_PRIVILEGES = { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true } } as const;

/** The file under `rendererDirectory` an app:// URL names, or null when it names anything else. */
export function rendererFileFor(url: string, rendererDirectory: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${RENDERER_SCHEME}:` || parsed.host !== RENDERER_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const root = resolve(rendererDirectory);
  // An encoded "..%2f" survives URL parsing; resolving and checking the relative path catches it.
  const file = resolve(join(root, path === '/' ? 'index.html' : path));
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}

export interface RendererRequest {
  readonly url: string;
  readonly method: string;
}

/** The protocol handler: the renderer's own files, read-only, each with the Content Security Policy. */
export async function serveRendererRequest(
  request: RendererRequest,
  rendererDirectory: string,
  fetchFile: (fileUrl: string) => Promise<Response>,
): Promise<Response> {
  if (request.method !== 'GET') return new Response('Method not allowed', { status: 405, headers: { Allow: 'GET' } });
  const file = rendererFileFor(request.url, rendererDirectory);
  if (file === null) return new Response('Not found', { status: 404 });
  const response = await fetchFile(pathToFileURL(file).href);
  const headers = new Headers(response.headers);
  headers.set('Content-Security-Policy', RENDERER_CSP);
  headers.set('X-Content-Type-Options', 'nosniff');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
