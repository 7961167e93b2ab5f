import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type SyncConfig } from '../adapters/config/config-file.js';
import { loadAppSettings } from './app-settings.js';
import { PROFILES_FILE_NAME, ProfileRegistry, type Profile } from './profile-registry.js';
import { syncConfigFrom } from './runtime-config.js';
import { savedMappingIn } from './saved-mapping.js';

/**
 * The window's profiles for headless runs: `s5sync --profile NAME sync --once` (or
 * S5SYNC_PROFILE) runs the same profile the window shows, with its settings, mapping, ledger
 * folder and secrets, so a scheduled task or service needs no config file of its own.
 */

/** Electron's userData folder: the app data folder of this Windows account, then the product name (package.json productName). */
const PRODUCT_FOLDER = 'Stripe Sync for Sage 500';

export interface ProfileSelection {
  /** The window's data folder (--data-dir or S5SYNC_DATA_DIR), else this account's. */
  dataDir: string | null;
  /** A profile's name or id (--profile or S5SYNC_PROFILE), else the window's active one. */
  profile: string | null;
}

/** Where the tray app of this account keeps its data: %APPDATA%\Stripe Sync for Sage 500 on Windows. */
export function windowDataFolder(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_FOLDER);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_FOLDER);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_FOLDER);
}

/** Whether the window has been set up in this data folder (so a command without --config may use its profiles). */
export function hasWindowProfiles(selection: ProfileSelection, env: NodeJS.ProcessEnv): boolean {
  const root = selection.dataDir ?? windowDataFolder(env);
  return existsSync(join(root, PROFILES_FILE_NAME)) || existsSync(join(root, 'settings.json'));
}

/** The window's profile list; exit 2 with the folder when there is none. */
export function openProfiles(selection: ProfileSelection, env: NodeJS.ProcessEnv): ProfileRegistry {
  const root = selection.dataDir ?? windowDataFolder(env);
  if (!hasWindowProfiles({ ...selection, dataDir: root }, env)) {
    throw new ConfigError(`no profiles in ${root}: set up the app in its window first, or pass --data-dir (S5SYNC_DATA_DIR) with the window's data folder, or --config FILE`);
  }
  return ProfileRegistry.load(root);
}

export function chosenProfile(registry: ProfileRegistry, wanted: string | null): Profile {
  if (wanted === null) return registry.active();
  const found = registry.find(wanted);
  if (!found) throw new ConfigError(`there is no profile "${wanted}"; the profiles are ${registry.list().map((profile) => `"${profile.name}"`).join(', ')} (s5sync profiles list)`);
  return found;
}

/** The engine config of a profile, as the window would open it. */
export function profileSyncConfig(registry: ProfileRegistry, profile: Profile): SyncConfig {
  const folder = registry.folderOf(profile.id);
  const settings = loadAppSettings(folder);
  if (!settings.configured) throw new ConfigError(`profile "${profile.name}" is not set up yet: finish the setup wizard in the window first`);
  if (settings.demo) throw new ConfigError(`profile "${profile.name}" is the demo, which runs only in the window (or try \`s5sync demo\`)`);
  return syncConfigFrom(settings, folder, savedMappingIn(folder), null);
}
