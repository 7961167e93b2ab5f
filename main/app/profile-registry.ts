import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { profileKindNames } from '../../preload/contract.js';
import { AppServiceError } from './app-service-error.js';

/**
 * The settings profiles of one installation (for example "Live" on the live Sage company with
 * the live Stripe key, and "Test" on a test company with a test key), kept in `profiles.json`
 * in the app's data folder. Each profile has a data folder of its own (its settings.json,
 * ledger, site template and locks), so a test profile's history never mixes with live's, and
 * its own secrets in the credential store (profile-credentials.ts).
 *
 * The first profile is the installation as it was before profiles existed: its data folder is
 * the app's data folder itself and its secrets keep their bare names. Upgrading therefore moves
 * no file and no secret, so nothing can be lost half-way; later profiles live in
 * `profiles/<id>/`.
 */

export const PROFILES_FILE_NAME = 'profiles.json';
/** The id of the profile whose data folder is the app's data folder (the installation before profiles). */
export const FIRST_PROFILE_ID = 'default';
export const PROFILES_FOLDER = 'profiles';
const NAME_LIMIT = 40;

/**
 * What the profile's Sage company is: `test` (a test company, practice data) or `live` (the
 * real books). null until the setup wizard finishes on a profile created before the mark
 * existed; it then takes the Stripe key's mode (profile-key-guard.ts).
 */
export type ProfileKind = (typeof profileKindNames)[number];

const profileSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
  name: z.string().min(1).max(NAME_LIMIT),
  kind: z.enum(profileKindNames).nullable(),
});
export type Profile = z.infer<typeof profileSchema>;

const registrySchema = z.object({ version: z.literal(1), active: z.string(), profiles: z.array(profileSchema).min(1) });
type RegistryFile = z.infer<typeof registrySchema>;

/**
 * The single profile of an installation from before profiles, named and marked after what its
 * settings said it was: the window called it "demo", "test" (a Stripe test key) or "live".
 */
function migratedProfile(rootDir: string): Profile {
  const settingsPath = join(rootDir, 'settings.json');
  const old: unknown = existsSync(settingsPath) ? JSON.parse(readFileSync(settingsPath, 'utf8')) : null;
  const said = typeof old === 'object' && old !== null && 'profile' in old ? old.profile : null;
  if (said === 'live') return { id: FIRST_PROFILE_ID, name: 'Live', kind: 'live' };
  if (said === 'test') return { id: FIRST_PROFILE_ID, name: 'Test', kind: 'test' };
  if (said === 'demo') return { id: FIRST_PROFILE_ID, name: 'Demo', kind: 'test' };
  return { id: FIRST_PROFILE_ID, name: 'Default', kind: null };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** Profiles whose folders exist under profiles/ (a rebuilt list): named by their id, not marked until their wizard is run again. */
function profilesOnDisk(rootDir: string): Profile[] {
  const folder = join(rootDir, PROFILES_FOLDER);
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[a-z0-9][a-z0-9-]{0,39}$/.test(entry.name) && existsSync(join(folder, entry.name, 'settings.json')))
    .map((entry) => ({ id: entry.name, name: entry.name, kind: null }));
}

/** A folder-safe id from a name ("Test company 2" → "test-company-2"), never one in use or left on disk by a deleted profile. */
function newProfileId(name: string, taken: (id: string) => boolean): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30) || 'profile';
  for (let n = 1; ; n += 1) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!taken(id)) return id;
  }
}

export class ProfileRegistry {
  private constructor(
    readonly rootDir: string,
    private file: RegistryFile,
  ) {}

  /** Reads profiles.json; an installation without one becomes a single profile holding its ledger and secrets as they are. */
  static load(rootDir: string): ProfileRegistry {
    const path = join(rootDir, PROFILES_FILE_NAME);
    if (existsSync(path)) {
      const parsed = registrySchema.safeParse(readJson(path));
      if (parsed.success) {
        const registry = new ProfileRegistry(rootDir, parsed.data);
        if (!parsed.data.profiles.some((profile) => profile.id === parsed.data.active)) registry.file.active = parsed.data.profiles[0]!.id;
        return registry;
      }
      // A damaged list must not stop the app (no dead end): it is kept aside and the list rebuilt from the folders on disk.
      renameSync(path, `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    }
    const first = migratedProfile(rootDir);
    const registry = new ProfileRegistry(rootDir, { version: 1, active: first.id, profiles: [first, ...profilesOnDisk(rootDir)] });
    registry.save();
    return registry;
  }

  list(): Profile[] {
    return this.file.profiles.map((profile) => ({ ...profile }));
  }

  active(): Profile {
    return { ...this.require(this.file.active) };
  }

  /** The profile's data folder: the app's data folder for the first profile, `profiles/<id>` for the others. */
  folderOf(id: string): string {
    return id === FIRST_PROFILE_ID ? this.rootDir : join(this.rootDir, PROFILES_FOLDER, id);
  }

  /** By id, or by name ignoring case (what `s5sync --profile NAME` accepts). */
  find(idOrName: string): Profile | null {
    const wanted = idOrName.trim().toLowerCase();
    const found = this.file.profiles.find((profile) => profile.id === wanted) ?? this.file.profiles.find((profile) => profile.name.toLowerCase() === wanted);
    return found ? { ...found } : null;
  }

  require(id: string): Profile {
    const found = this.file.profiles.find((profile) => profile.id === id);
    if (!found) throw new AppServiceError('not-found', `There is no profile "${id}".`);
    return found;
  }

  add(name: string, kind: ProfileKind): Profile {
    const clean = this.checkedName(name, null);
    const id = newProfileId(clean, (candidate) => candidate === FIRST_PROFILE_ID || this.file.profiles.some((profile) => profile.id === candidate) || existsSync(this.folderOf(candidate)));
    const profile: Profile = { id, name: clean, kind };
    mkdirSync(this.folderOf(id), { recursive: true });
    this.file.profiles.push(profile);
    this.save();
    return { ...profile };
  }

  rename(id: string, name: string): Profile {
    const profile = this.require(id);
    profile.name = this.checkedName(name, id);
    this.save();
    return { ...profile };
  }

  /** Marks an unmarked profile (the wizard does, from the Stripe key's mode); a marked one keeps its mark. */
  markIfUnmarked(id: string, kind: ProfileKind): void {
    const profile = this.require(id);
    if (profile.kind !== null) return;
    profile.kind = kind;
    this.save();
  }

  /** Takes the profile off the list; its data folder stays on disk (the caller says where). */
  remove(id: string): Profile {
    const profile = this.require(id);
    if (id === this.file.active) throw new AppServiceError('invalid-request', `"${profile.name}" is the profile in use: switch to another profile first.`);
    this.file.profiles = this.file.profiles.filter((other) => other.id !== id);
    this.save();
    return { ...profile };
  }

  setActive(id: string): Profile {
    const profile = this.require(id);
    mkdirSync(this.folderOf(id), { recursive: true });
    this.file.active = id;
    this.save();
    return { ...profile };
  }

  private checkedName(name: string, renaming: string | null): string {
    const clean = name.trim().replace(/\s+/g, ' ');
    if (clean.length === 0 || clean.length > NAME_LIMIT) throw new AppServiceError('invalid-request', `A profile name has 1 to ${NAME_LIMIT} characters.`);
    const clash = this.file.profiles.find((profile) => profile.id !== renaming && profile.name.toLowerCase() === clean.toLowerCase());
    if (clash) throw new AppServiceError('invalid-request', `There is already a profile called "${clash.name}".`);
    return clean;
  }

  /** Through a temporary file, so a crash never leaves half a profile list. */
  private save(): void {
    mkdirSync(this.rootDir, { recursive: true });
    const path = join(this.rootDir, PROFILES_FILE_NAME);
    writeFileSync(`${path}.tmp`, JSON.stringify(this.file, null, 2));
    renameSync(`${path}.tmp`, path);
  }
}
