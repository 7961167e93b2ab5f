import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrayController, trayViewFor } from '../../main/shell/tray-controller.js';
import type { TrayMenuActions } from '../../main/shell/tray-menu.js';
import { FakeTraySurface } from './fakes/electron-fakes.js';

const actions: TrayMenuActions = { open() {}, syncNow() {}, setPaused() {}, openLogsFolder() {}, quit() {} };

describe('trayViewFor', () => {
  it('puts the state icon from the icons directory, the detail in the tooltip, and the menu for the state', () => {
    const view = trayViewFor('attention', 'The sync engine stopped. Restart the app.', '/icons', actions);
    expect(view.iconPath).toBe(join('/icons', 'attention.png'));
    expect(view.tooltip).toContain('The sync engine stopped. Restart the app.');
    expect(view.menu.map((item) => item.label).filter(Boolean)).toContain('Quit Stripe Sync');
  });

  it('shows a different icon for each state', () => {
    const paths = (['idle', 'syncing', 'attention', 'paused', 'offline'] as const).map((state) => trayViewFor(state, null, '/icons', actions).iconPath);
    expect(new Set(paths).size).toBe(5);
  });
});

describe('TrayController', () => {
  it('renders image, tooltip and menu together and remembers the state', () => {
    const surface = new FakeTraySurface();
    const controller = new TrayController(surface, '/icons', actions, 'offline');
    expect(controller.state).toBe('offline');
    controller.render('syncing', 'Syncing payouts');
    expect(controller.state).toBe('syncing');
    expect(surface.images).toEqual([trayViewFor('syncing', 'Syncing payouts', '/icons', actions).iconPath]);
    expect(surface.tooltips).toHaveLength(1);
    expect(surface.tooltips[0]).toContain('Syncing payouts');
    expect(surface.menus).toHaveLength(1);
  });
});
