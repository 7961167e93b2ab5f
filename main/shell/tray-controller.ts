import { join } from 'node:path';
import type { TrayState } from '../../preload/contract.js';
import { trayIconFor } from './tray-icon.js';
import { trayMenuTemplate, type TrayMenuActions, type TrayMenuItem } from './tray-menu.js';

/** What the main process's tray shows for one state: icon file, tooltip and menu. */
export interface TrayView {
  iconPath: string;
  tooltip: string;
  menu: TrayMenuItem[];
}

/** The tray as a pure function of the sync state (and the detail line of the tooltip). */
export function trayViewFor(state: TrayState, detail: string | null | undefined, iconsDirectory: string, actions: TrayMenuActions): TrayView {
  const icon = trayIconFor(state, detail);
  return { iconPath: join(iconsDirectory, icon.fileName), tooltip: icon.tooltip, menu: trayMenuTemplate(state, actions) };
}

/** The part of Electron's Tray the controller drives (main.ts passes the real Tray and Menu.buildFromTemplate). */
export interface TraySurface {
  setImage(path: string): void;
  setToolTip(tooltip: string): void;
  setMenu(menu: TrayMenuItem[]): void;
}

/** Main process: renders the tray from the latest state, remembering it for the next render. */
export class TrayController {
  #state: TrayState;

  constructor(
    private readonly surface: TraySurface,
    private readonly iconsDirectory: string,
    private readonly actions: TrayMenuActions,
    initialState: TrayState,
  ) {
    this.#state = initialState;
  }

  get state(): TrayState {
    return this.#state;
  }

  render(state: TrayState, detail?: string | null): void {
    this.#state = state;
    const view = trayViewFor(state, detail, this.iconsDirectory, this.actions);
    this.surface.setImage(view.iconPath);
    this.surface.setToolTip(view.tooltip);
    this.surface.setMenu(view.menu);
  }
}
