import { ConfigError } from '../adapters/config/config-file.js';
import { loadAppSettings } from '../app/app-settings.js';
import { chosenProfile, openProfiles, type ProfileSelection } from '../app/profile-config.js';
import { profileCredentials } from '../app/profile-credentials.js';
import { profileLabel } from '../app/profile-key-guard.js';
import { stripeKeyModeOf } from '../app/stripe-api-base.js';
import { headlessCredentialStore } from './secrets-command.js';

/**
 * `s5sync profiles list | use NAME`: the window's settings profiles. `use` makes a profile the
 * active one: the window opens on it at its next start, and commands without --profile use it.
 */

const LABEL_WORDS = { demo: 'demo', test: 'test', live: 'live', 'live-test-key': 'LIVE, Stripe TEST key' } as const;

export async function profilesCommand(action: string | undefined, name: string | undefined, selection: ProfileSelection, json: boolean, env: NodeJS.ProcessEnv, write: (line: string) => void): Promise<number> {
  const registry = openProfiles(selection, env);
  if (action === 'use') {
    if (!name) throw new ConfigError('use: s5sync profiles use NAME');
    const profile = registry.setActive(chosenProfile(registry, name).id);
    write(`profile "${profile.name}" is now the active one (the window opens on it at its next start; switch in Settings → Profiles while it runs)`);
    return 0;
  }
  if (action !== 'list') throw new ConfigError('use: s5sync profiles list [--json] | s5sync profiles use NAME');
  const store = await headlessCredentialStore(env);
  const active = registry.active().id;
  const rows = await Promise.all(
    registry.list().map(async (profile) => {
      const folder = registry.folderOf(profile.id);
      const settings = loadAppSettings(folder);
      // A store that cannot be read shows the key as not set; the label then follows the profile's mark.
      const key = await profileCredentials(store, profile.id).get('stripeApiKey').catch(() => null);
      return { id: profile.id, name: profile.name, kind: profile.kind, label: profileLabel(profile, settings.demo, key === null ? null : stripeKeyModeOf(key)), active: profile.id === active, configured: settings.configured, folder };
    }),
  );
  if (json) {
    write(JSON.stringify(rows, null, 2));
    return 0;
  }
  for (const row of rows) {
    write(`${row.active ? '*' : ' '} ${row.name.padEnd(24)} ${LABEL_WORDS[row.label].padEnd(22)} ${row.configured ? 'set up    ' : 'not set up'} ${row.folder}`);
  }
  return 0;
}
