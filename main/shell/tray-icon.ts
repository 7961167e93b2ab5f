import type { StatusSnapshot, TrayState } from '../../preload/contract.js';

export interface TrayIcon {
  /**
   * The 16 px file, relative to the tray icon folder (build/tray in development, resources/tray
   * when packaged). Electron picks `<name>@1.5x.png` (24 px) and `<name>@2x.png` (32 px) next
   * to it automatically for 150% and 200% display scaling.
   */
  fileName: string;
  tooltip: string;
}

export const TRAY_ICON_SIZES = { '': 16, '@1.5x': 24, '@2x': 32 } as const;

const tooltips: Record<TrayState, string> = {
  idle: 'Stripe Sync for Sage 500: up to date',
  syncing: 'Stripe Sync for Sage 500: syncing…',
  attention: 'Stripe Sync for Sage 500: needs attention',
  paused: 'Stripe Sync for Sage 500: paused',
  offline: 'Stripe Sync for Sage 500: offline, changes are queued',
};

/** Windows truncates tray tooltips at 127 characters. */
const TOOLTIP_LIMIT = 127;

export const trayIconFor = (state: TrayState, detail?: string | null): TrayIcon => {
  const base = tooltips[state];
  const tooltip = detail ? `${base}\n${detail}` : base;
  return {
    fileName: `${state}.png`,
    tooltip: tooltip.length > TOOLTIP_LIMIT ? `${tooltip.slice(0, TOOLTIP_LIMIT - 1)}…` : tooltip,
  };
};

const profileWords: Record<StatusSnapshot['activeProfile']['label'], string> = {
  demo: 'demo',
  test: 'test',
  live: 'live',
  'live-test-key': 'live, Stripe TEST key',
};

/** The tooltip's second line: the profile in use (test and live never confused), then what is not in Sage, in the attention items' own words. */
export const trayDetailFor = (snapshot: StatusSnapshot): string | null => {
  const profile = `Profile ${snapshot.activeProfile.name} (${profileWords[snapshot.activeProfile.label]})`;
  const problems = snapshot.attention.filter((item) => item.severity !== 'info').map((item) => item.title);
  return problems.length > 0 ? `${profile}: ${problems.join('; ')}` : profile;
};
