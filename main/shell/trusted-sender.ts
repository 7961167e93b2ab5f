/**
 * Who may call the IPC handlers: only our own window's WebContents, only from its main frame,
 * and only while that frame shows our bundled renderer (app://renderer/, renderer-protocol.ts). A page
 * that somehow navigated elsewhere, an iframe or a stray WebContents gets `untrusted-sender`.
 */

export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: SenderFrameLike | null;
}

export interface TrustedSenders {
  add(webContentsId: number): void;
  remove(webContentsId: number): void;
  isTrusted(event: InvokeEventLike): boolean;
}

/** `rendererRootUrl` is where the renderer is served from (RENDERER_ROOT_URL); the page's URL must have its scheme and lie under it. */
export const isTrustedRendererUrl = (url: string, rendererRootUrl: string): boolean => {
  const root = rendererRootUrl.endsWith('/') ? rendererRootUrl : `${rendererRootUrl}/`;
  let parsed: URL;
  try {
    // The URL parser resolves `..` segments, so a path that climbs out of the root fails below.
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === new URL(root).protocol && parsed.href.startsWith(root);
};

export const createTrustedSenders = (rendererRootUrl: string): TrustedSenders => {
  const ids = new Set<number>();
  return {
    add: (id) => void ids.add(id),
    remove: (id) => void ids.delete(id),
    isTrusted: (event) => {
      const frame = event.senderFrame;
      return (
        ids.has(event.sender.id) &&
        frame !== null &&
        frame.parent === null &&
        isTrustedRendererUrl(frame.url, rendererRootUrl)
      );
    },
  };
};
