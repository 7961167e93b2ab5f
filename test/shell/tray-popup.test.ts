import { describe, expect, it } from 'vitest';
import { POPUP_MIN_WIDTH, POPUP_SIZE, popupBounds, taskbarEdge, toggleTrayPopup, type DisplayLike, type Rect } from '../../main/shell/tray-popup.js';
import { FakePopupWindow } from './fakes/electron-fakes.js';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };
const taskbarAt = {
  bottom: { bounds: screen, workArea: { x: 0, y: 0, width: 1920, height: 1040 } },
  top: { bounds: screen, workArea: { x: 0, y: 40, width: 1920, height: 1040 } },
  left: { bounds: screen, workArea: { x: 60, y: 0, width: 1860, height: 1080 } },
  right: { bounds: screen, workArea: { x: 0, y: 0, width: 1860, height: 1080 } },
} satisfies Record<string, DisplayLike>;

const inside = (inner: Rect, outer: Rect): boolean =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

describe('popupBounds', () => {
  it('finds the taskbar on each edge', () => {
    for (const edge of ['bottom', 'top', 'left', 'right'] as const) expect(taskbarEdge(taskbarAt[edge])).toBe(edge);
  });

  it('sits above a bottom taskbar at the designed size, centred on the icon', () => {
    const tray = { x: 1400, y: 1048, width: 24, height: 24 };
    const bounds = popupBounds(tray, taskbarAt.bottom);
    expect(bounds).toEqual({ x: 1412 - 210, y: 1040 - 8 - 640, width: POPUP_SIZE.width, height: POPUP_SIZE.height });
    expect(inside(bounds, taskbarAt.bottom.workArea)).toBe(true);
  });

  it('keeps to the screen when the icon is in the corner, below a top taskbar, and beside side taskbars', () => {
    const corner = popupBounds({ x: 1890, y: 1050, width: 24, height: 24 }, taskbarAt.bottom);
    expect(corner.x + corner.width).toBe(1920 - 8);
    const top = popupBounds({ x: 1800, y: 8, width: 24, height: 24 }, taskbarAt.top);
    expect(top.y).toBe(48);
    const left = popupBounds({ x: 18, y: 1000, width: 24, height: 24 }, taskbarAt.left);
    expect(left.x).toBe(68);
    expect(left.y + left.height).toBe(1080 - 8);
    const right = popupBounds({ x: 1878, y: 500, width: 24, height: 24 }, taskbarAt.right);
    expect(right.x + right.width).toBe(1860 - 8);
    for (const bounds of [corner, top, left, right]) expect(bounds).toMatchObject({ width: POPUP_SIZE.width, height: POPUP_SIZE.height });
  });

  it('shrinks to a small screen but never below the narrowest layout the window holds', () => {
    const small = { bounds: { x: 0, y: 0, width: 1024, height: 600 }, workArea: { x: 0, y: 0, width: 1024, height: 560 } };
    const bounds = popupBounds({ x: 990, y: 570, width: 24, height: 24 }, small);
    expect(bounds.height).toBe(560 - 16);
    expect(bounds.width).toBe(POPUP_SIZE.width);
    expect(POPUP_SIZE.width).toBeGreaterThanOrEqual(POPUP_MIN_WIDTH);
    expect(inside(bounds, small.workArea)).toBe(true);
  });
});

describe('toggleTrayPopup', () => {
  it('places and shows the hidden window by the icon, and hides it on the next click', () => {
    const window = new FakePopupWindow();
    const tray = { x: 1700, y: 1048, width: 24, height: 24 };
    toggleTrayPopup(window, tray, taskbarAt.bottom);
    expect(window.calls).toEqual(['setBounds', 'show', 'focus']);
    expect(window.bounds).toEqual(popupBounds(tray, taskbarAt.bottom));
    toggleTrayPopup(window, tray, taskbarAt.bottom);
    expect(window.visible).toBe(false);
    window.destroyed = true;
    toggleTrayPopup(window, tray, taskbarAt.bottom);
    expect(window.calls).toEqual(['setBounds', 'show', 'focus', 'hide']);
  });
});
