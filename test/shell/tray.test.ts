import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { TrayState } from '../../preload/contract.js';
import { TRAY_ICON_SIZES, trayDetailFor, trayIconFor } from '../../main/shell/tray-icon.js';
import { snapshot } from './fakes/fake-app-service.js';
import { trayMenuTemplate, type TrayMenuActions } from '../../main/shell/tray-menu.js';

const states: TrayState[] = ['idle', 'syncing', 'attention', 'paused', 'offline'];

const actions = (): TrayMenuActions => ({
  open: vi.fn(),
  syncNow: vi.fn(),
  setPaused: vi.fn(),
  openLogsFolder: vi.fn(),
  quit: vi.fn(),
});

const labelled = (state: TrayState, spy = actions()) =>
  trayMenuTemplate(state, spy).filter((item) => item.type !== 'separator');

describe('trayMenuTemplate', () => {
  it.each(states)('always offers Open, Sync now, Pause/Resume, Open logs folder and Quit (%s)', (state) => {
    const labels = labelled(state).map((item) => item.label);
    expect(labels).toHaveLength(5);
    expect(labels[0]).toMatch(/^Open/);
    expect(labels[1]).toMatch(/Sync/);
    expect(labels[2]).toMatch(state === 'paused' ? /^Resume/ : /^Pause/);
    expect(labels[3]).toBe('Open logs folder');
    expect(labels[4]).toMatch(/^Quit/);
  });

  it('disables Sync now while syncing (single flight) and while paused', () => {
    expect(labelled('idle')[1]).toMatchObject({ label: 'Sync now', enabled: true });
    expect(labelled('attention')[1]?.enabled).toBe(true);
    expect(labelled('offline')[1]?.enabled).toBe(true);
    expect(labelled('syncing')[1]).toMatchObject({ label: 'Syncing…', enabled: false });
    expect(labelled('paused')[1]?.enabled).toBe(false);
  });

  it('wires each item to its action; Pause/Resume toggles', () => {
    const spy = actions();
    labelled('idle', spy).forEach((item) => item.click?.());
    expect(spy.open).toHaveBeenCalledOnce();
    expect(spy.syncNow).toHaveBeenCalledOnce();
    expect(spy.setPaused).toHaveBeenCalledWith(true);
    expect(spy.openLogsFolder).toHaveBeenCalledOnce();
    expect(spy.quit).toHaveBeenCalledOnce();
    const resume = actions();
    labelled('paused', resume)[2]?.click?.();
    expect(resume.setPaused).toHaveBeenCalledWith(false);
  });
});

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (file: string): { width: number; height: number } => {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
};

describe('trayIconFor', () => {
  it.each(states)('names a committed icon for %s at 16, 24 and 32 px', (state) => {
    const { fileName } = trayIconFor(state);
    for (const [suffix, size] of Object.entries(TRAY_ICON_SIZES)) {
      const file = join('build', 'tray', fileName.replace('.png', `${suffix}.png`));
      expect(existsSync(file), file).toBe(true);
      expect(pngSize(file)).toEqual({ width: size, height: size });
    }
  });

  it('gives every state its own icon and a tooltip within the Windows limit', () => {
    const icons = states.map((state) => trayIconFor(state, 'x'.repeat(300)));
    expect(new Set(icons.map((icon) => icon.fileName)).size).toBe(states.length);
    icons.forEach((icon) => expect(icon.tooltip.length).toBeLessThanOrEqual(127));
    expect(trayIconFor('paused').tooltip).toMatch(/paused/);
    expect(trayIconFor('attention', '2 payouts blocked').tooltip).toContain('2 payouts blocked');
  });

  it('ships an app icon as a 256 px PNG and a multi-size ICO of PNGs', () => {
    expect(pngSize(join('build', 'icon.png'))).toEqual({ width: 256, height: 256 });
    const ico = readFileSync(join('build', 'icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    expect(count).toBeGreaterThanOrEqual(5);
    const sizes = Array.from({ length: count }, (_, index) => ico.readUInt8(6 + index * 16) || 256);
    expect(sizes).toContain(16);
    expect(sizes).toContain(256);
  });
});

describe('trayDetailFor', () => {
  it('names every problem not in Sage, and leaves info (shadow previews) out', () => {
    const detail = trayDetailFor(
      snapshot({
        attention: [
          { id: 'objects-unplanned', severity: 'error', title: '18 Stripe records not in Sage', detail: '', view: 'errors' },
          { id: 'payouts-blocked', severity: 'warning', title: '1 payout past the arrival date not tied out', detail: '', view: 'payouts' },
          { id: 'shadow-mode', severity: 'info', title: '5 documents previewed', detail: '', view: 'settings' },
        ],
      }),
    );
    expect(detail).toBe('Profile Default (live): 18 Stripe records not in Sage; 1 payout past the arrival date not tied out');
    // Windows cuts tooltips at 127 characters: the profile comes first, so it is never the part cut.
    expect(trayIconFor('attention', detail).tooltip).toBe(`Stripe Sync for Sage 500: needs attention\n${detail}`.slice(0, 126) + '…');
  });

  it('names the profile in use, and says when a live profile runs on a Stripe test key', () => {
    expect(trayDetailFor(snapshot())).toBe('Profile Default (live)');
    expect(trayDetailFor(snapshot({ activeProfile: { id: 'test-co', name: 'Test company', label: 'test' } }))).toBe('Profile Test company (test)');
    expect(trayDetailFor(snapshot({ activeProfile: { id: 'default', name: 'Live', label: 'live-test-key' } }))).toBe('Profile Live (live, Stripe TEST key)');
  });
});
