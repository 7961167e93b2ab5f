/**
 * The tray popup: a single click on the tray icon shows the window at its designed size,
 * anchored to the icon on whichever screen edge the taskbar is on, and a click elsewhere hides
 * it again. The geometry is a pure function so it is tested without Electron.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Electron's Display, as far as the popup needs it: the whole screen and the part the taskbar leaves. */
export interface DisplayLike {
  bounds: Rect;
  workArea: Rect;
}

/** The size the window is designed for (renderer/src/styles.css); it holds down to 360 px wide. */
export const POPUP_SIZE = { width: 420, height: 640 } as const;
export const POPUP_MIN_WIDTH = 360;

/** Space between the taskbar and the popup, so the popup reads as belonging to the icon. */
const GAP = 8;

export type TaskbarEdge = 'bottom' | 'top' | 'left' | 'right';

/** Where the taskbar is: the side of the screen the work area does not reach. */
export const taskbarEdge = (display: DisplayLike): TaskbarEdge => {
  const { bounds, workArea } = display;
  if (workArea.y > bounds.y) return 'top';
  if (workArea.x > bounds.x) return 'left';
  if (workArea.x + workArea.width < bounds.x + bounds.width) return 'right';
  return 'bottom';
};

const clamp = (value: number, min: number, max: number): number => Math.min(Math.max(value, min), Math.max(min, max));

/**
 * The popup's bounds: next to the taskbar, centred on the tray icon along it, kept inside the
 * work area (and shrunk to it on a small screen), in whole pixels.
 */
export const popupBounds = (tray: Rect, display: DisplayLike, size: { width: number; height: number } = POPUP_SIZE): Rect => {
  const area = display.workArea;
  const width = Math.min(size.width, area.width - 2 * GAP);
  const height = Math.min(size.height, area.height - 2 * GAP);
  const trayCentreX = tray.x + tray.width / 2;
  const trayCentreY = tray.y + tray.height / 2;
  const minX = area.x + GAP;
  const maxX = area.x + area.width - GAP - width;
  const minY = area.y + GAP;
  const maxY = area.y + area.height - GAP - height;
  const edge = taskbarEdge(display);
  const alongX = clamp(trayCentreX - width / 2, minX, maxX);
  const alongY = clamp(trayCentreY - height / 2, minY, maxY);
  const placed: Record<TaskbarEdge, { x: number; y: number }> = {
    bottom: { x: alongX, y: maxY },
    top: { x: alongX, y: minY },
    left: { x: minX, y: alongY },
    right: { x: maxX, y: alongY },
  };
  const { x, y } = placed[edge];
  return { x: Math.round(x), y: Math.round(y), width, height };
};

export interface PopupWindowLike {
  isDestroyed(): boolean;
  isVisible(): boolean;
  setBounds(bounds: Rect): void;
  show(): void;
  focus(): void;
  hide(): void;
}

/** A tray click: hide the popup when it is showing, else place it by the icon and show it. */
export const toggleTrayPopup = (window: PopupWindowLike | null, tray: Rect, display: DisplayLike): void => {
  if (window === null || window.isDestroyed()) return;
  if (window.isVisible()) {
    window.hide();
    return;
  }
  window.setBounds(popupBounds(tray, display));
  window.show();
  window.focus();
};
