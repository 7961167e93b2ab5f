import type { ProfilesView } from '../../preload/contract.js';
import { loadAppSettings } from './app-settings.js';
import type { AppSession } from './app-session.js';
import { profileLabel } from './profile-key-guard.js';
import { stripeKeyModeOf } from './stripe-api-base.js';

/** Every profile as the Settings switcher lists it: its mark, label, folder and whether it is set up (never a secret). */
export async function profilesView(session: AppSession): Promise<ProfilesView> {
  const activeId = session.profiles.active().id;
  const profiles = await Promise.all(
    session.profiles.list().map(async (profile) => {
      const folder = session.profiles.folderOf(profile.id);
      const settings = profile.id === activeId ? session.settings : loadAppSettings(folder);
      const key = await session.credentialsOf(profile.id).get('stripeApiKey');
      return {
        id: profile.id,
        name: profile.name,
        kind: profile.kind,
        label: profileLabel(profile, settings.demo, key === null ? null : stripeKeyModeOf(key)),
        folder,
        active: profile.id === activeId,
        configured: settings.configured,
        stripeKeySet: key !== null,
      };
    }),
  );
  return { profiles, credentialStore: session.credentials.backendName };
}
