import { useState } from 'react';
import type { ProfileLabelName, ProfilesView, ProfileView } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from './message.js';
import { useRequest } from '../use-request.js';

/**
 * Settings → Profiles: every settings profile (for example the live books with the live key,
 * and a test company with a test key), each with its own ledger and secrets. Switching stops
 * the engine after any run in progress and starts it on the other profile; adding one makes
 * it the active profile, which the window then sets up with the wizard.
 */

export const profileLabelWords: Record<ProfileLabelName, string> = {
  demo: 'Demo',
  test: 'Test',
  live: 'Live',
  'live-test-key': 'Live, test key',
};

const FIRST_PROFILE_ID = 'default';

function DeleteConfirmation({ profile, store, onDone }: { profile: ProfileView; store: string; onDone: (changed: string | null) => void }) {
  const secrets =
    profile.id === FIRST_PROFILE_ID
      ? `Its Stripe key and SQL password stay in ${store} under their original names (a service started with --config may read them); delete them there if no longer needed.`
      : `Its Stripe key and SQL password are removed from ${store}.`;
  return (
    <div className="card attention-warning" role="group" aria-label={`Delete profile ${profile.name}`}>
      <p>
        Delete the profile "{profile.name}"? Its ledger, settings and history are kept on this computer in {profile.folder}; nothing in Sage or Stripe changes. {secrets}
      </p>
      <div className="row">
        <button type="button" onClick={() => call('deleteProfile', { id: profile.id }).then(() => onDone(`Profile "${profile.name}" deleted; its folder is kept.`), (failure: unknown) => onDone(String(failure)))}>
          Delete profile
        </button>
        <button type="button" onClick={() => onDone(null)}>Keep it</button>
      </div>
    </div>
  );
}

function RenameForm({ profile, onDone }: { profile: ProfileView; onDone: (changed: string | null) => void }) {
  const [name, setName] = useState(profile.name);
  return (
    <form
      className="row"
      aria-label={`Rename profile ${profile.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        call('renameProfile', { id: profile.id, name }).then(() => onDone(`Renamed to "${name.trim()}".`), (failure: unknown) => onDone(String(failure)));
      }}
    >
      <label>
        New name for {profile.name}
        <input value={name} maxLength={40} onChange={(event) => setName(event.target.value)} />
      </label>
      <button type="submit">Save name</button>
      <button type="button" onClick={() => onDone(null)}>Cancel</button>
    </form>
  );
}

function AddForm({ onDone }: { onDone: (changed: string | null) => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'test' | 'live'>('test');
  return (
    <form
      className="stack"
      aria-label="Add a profile"
      onSubmit={(event) => {
        event.preventDefault();
        call('addProfile', { name, kind }).then(() => onDone(`Profile "${name.trim()}" added: set it up in the wizard.`), (failure: unknown) => onDone(String(failure)));
      }}
    >
      <label>
        Profile name
        <input value={name} maxLength={40} required onChange={(event) => setName(event.target.value)} />
      </label>
      <fieldset>
        <legend>Its Sage company is</legend>
        <label className="check">
          <input type="radio" name="profile-kind" checked={kind === 'test'} onChange={() => setKind('test')} />
          A test company (practice data; only a Stripe test key is accepted)
        </label>
        <label className="check">
          <input type="radio" name="profile-kind" checked={kind === 'live'} onChange={() => setKind('live')} />
          The live books (a test key is allowed but labelled "Live, test key" everywhere)
        </label>
      </fieldset>
      <div className="row">
        <button type="submit" className="primary">Add and set up</button>
        <button type="button" onClick={() => onDone(null)}>Cancel</button>
      </div>
    </form>
  );
}

type Editing = { kind: 'rename' | 'delete'; id: string } | { kind: 'add' } | null;

export function ProfilesSection({ onSwitched }: { onSwitched: () => void }) {
  const profiles = useRequest(() => call('listProfiles', undefined), []);
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState('');
  const [switching, setSwitching] = useState<string | null>(null);
  const done = (changed: string | null): void => {
    setEditing(null);
    if (changed !== null) setNotice(changed);
    profiles.reload();
  };
  const switchTo = (profile: ProfileView): void => {
    setSwitching(profile.name);
    call('switchProfile', { id: profile.id }).then(
      () => {
        setSwitching(null);
        setNotice(`Switched to "${profile.name}".`);
        profiles.reload();
        onSwitched();
      },
      (failure: unknown) => {
        setSwitching(null);
        setNotice(String(failure));
      },
    );
  };
  const value: ProfilesView | null = profiles.value;
  return (
    <fieldset>
      <legend>Profiles</legend>
      <p className="muted small">Each profile has its own Stripe key, Sage company, mapping, schedule, go-live date and ledger, so test history never mixes with live.</p>
      <ErrorMessage text={profiles.error} />
      <p className="notice" aria-live="polite">{switching ? `Switching to "${switching}": finishing the run in progress first…` : notice}</p>
      {value ? (
        <ul className="list compact" aria-label="Profiles">
          {value.profiles.map((profile) => (
            <li key={profile.id} className="stack">
              <div className="row">
                <span className={`profile-chip profile-${profile.label}`}>{profileLabelWords[profile.label]}</span>
                <strong>{profile.name}</strong>
                <span className="muted small">{profile.active ? 'in use' : profile.configured ? 'set up' : 'not set up yet'}</span>
              </div>
              <div className="row">
                {profile.active ? null : (
                  <button type="button" disabled={switching !== null} onClick={() => switchTo(profile)}>
                    Switch to {profile.name}
                  </button>
                )}
                <button type="button" onClick={() => setEditing({ kind: 'rename', id: profile.id })}>Rename {profile.name}</button>
                {profile.active ? null : (
                  <button type="button" onClick={() => setEditing({ kind: 'delete', id: profile.id })}>Delete {profile.name}</button>
                )}
              </div>
              {editing?.kind === 'rename' && editing.id === profile.id ? <RenameForm profile={profile} onDone={done} /> : null}
              {editing?.kind === 'delete' && editing.id === profile.id ? <DeleteConfirmation profile={profile} store={value.credentialStore} onDone={done} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {editing?.kind === 'add' ? (
        <AddForm onDone={done} />
      ) : (
        <button type="button" onClick={() => setEditing({ kind: 'add' })}>Add a profile</button>
      )}
    </fieldset>
  );
}

/** In the wizard of a profile not set up yet: the way back to a profile that is, so a new profile is never a dead end. */
export function WizardProfileExit() {
  const profiles = useRequest(() => call('listProfiles', undefined), []);
  const others = profiles.value?.profiles.filter((profile) => !profile.active) ?? [];
  if (others.length === 0) return null;
  return (
    <div className="row" role="group" aria-label="Other profiles">
      {others.map((profile) => (
        <button key={profile.id} type="button" onClick={() => void call('switchProfile', { id: profile.id }).catch(() => undefined)}>
          Back to profile {profile.name}
        </button>
      ))}
    </div>
  );
}
