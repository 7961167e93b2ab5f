import type { TrayState } from '../../preload/contract.js';

export interface TrayMenuActions {
  open(): void;
  syncNow(): void;
  setPaused(paused: boolean): void;
  openLogsFolder(): void;
  quit(): void;
}

/** Structurally a subset of Electron's MenuItemConstructorOptions, so main.ts passes it straight through. */
export interface TrayMenuItem {
  type?: 'separator';
  label?: string;
  enabled?: boolean;
  click?: () => void;
}

/**
 * The tray menu for a state. Every item is always present (on Windows the menu is the main way
 * in besides double-click), so only labels and enabled flags change with state.
 */
export const trayMenuTemplate = (state: TrayState, actions: TrayMenuActions): TrayMenuItem[] => {
  const paused = state === 'paused';
  const syncing = state === 'syncing';
  return [
    { label: 'Open Stripe Sync', click: actions.open },
    {
      label: syncing ? 'Syncing…' : 'Sync now',
      // Single-flight: a second run cannot start while one is going; paused means "no runs".
      enabled: !syncing && !paused,
      click: actions.syncNow,
    },
    {
      label: paused ? 'Resume syncing' : 'Pause syncing',
      click: () => actions.setPaused(!paused),
    },
    { type: 'separator' },
    { label: 'Open logs folder', click: actions.openLogsFolder },
    { type: 'separator' },
    { label: 'Quit Stripe Sync', click: actions.quit },
  ];
};
