import type { AppService, LogLevelName } from '../../preload/contract.js';

/**
 * Makes a process's logger follow the "Log level" setting: the saved level when the service
 * opens, and the new one as soon as Settings (or the log view) saves it, without a restart.
 * Electron-free: the engine process passes its pino logger's level setter.
 */
export async function followLogLevel<S extends Pick<AppService, 'getSettings' | 'saveSettings'>>(service: S, setLevel: (level: LogLevelName) => void): Promise<S> {
  setLevel((await service.getSettings(undefined)).logLevel);
  return {
    ...service,
    saveSettings: async (change) => {
      const saved = await service.saveSettings(change);
      setLevel(saved.logLevel);
      return saved;
    },
  };
}
