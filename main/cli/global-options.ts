import { ConfigError } from '../adapters/config/config-file.js';

/**
 * The options every command takes, wherever they stand on the command line:
 * `--profile NAME` (a profile of the window) and `--data-dir DIR` (the window's data folder,
 * for a service running under another Windows account). They are taken out before the command
 * parses its own options.
 */
export interface GlobalOptions {
  args: string[];
  profile: string | null;
  dataDir: string | null;
}

const GLOBAL = { '--profile': 'profile', '--data-dir': 'dataDir' } as const;

export function takeGlobalOptions(argv: readonly string[]): GlobalOptions {
  const found: GlobalOptions = { args: [], profile: null, dataDir: null };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!(flag in GLOBAL)) {
      found.args.push(arg);
      continue;
    }
    const value = inline ?? argv[index + 1];
    if (inline === undefined) index += 1;
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new ConfigError(`${flag} needs a value`);
    found[GLOBAL[flag as keyof typeof GLOBAL]] = value;
  }
  return found;
}
