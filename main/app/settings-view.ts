import type { SettingsView } from '../../preload/contract.js';
import type { CredentialStore } from '../adapters/credentials/credential-store.js';
import type { AppSettings } from './app-settings.js';

/** Settings as the window sees them: secrets reduced to "is set" flags and the key's mode. */
export async function toSettingsView(
  profiles: { active: string; names: string[] },
  settings: AppSettings,
  credentials: CredentialStore,
  demoKeyMode: boolean,
  previewed: SettingsView['previewed'] = null,
): Promise<SettingsView> {
  const stripeKey = await credentials.get('stripeApiKey');
  const keyMode: SettingsView['stripe']['keyMode'] = demoKeyMode ? 'test' : stripeKey === null ? null : /_live_/.test(stripeKey) ? 'live' : 'test';
  return {
    profile: profiles.active,
    profiles: profiles.names,
    demo: settings.demo,
    stripe: { apiBase: settings.stripe.apiBase, keySet: demoKeyMode || stripeKey !== null, keyMode },
    sage: { ...settings.sage, passwordSet: await credentials.isSet('sqlPassword') },
    schedule: settings.schedule,
    paused: settings.paused,
    shadowMode: settings.shadowMode,
    startAtLogin: settings.startAtLogin,
    notifications: settings.notifications,
    logLevel: settings.logLevel,
    credentialStore: { name: credentials.backendName, fallbackReason: credentials.fallbackReason },
    goLiveDate: settings.goLiveDate,
    historyFrom: settings.historyFrom,
    setupSteps: settings.setupChecks,
    previewed,
  };
}
