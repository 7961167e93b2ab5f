import type { StatusSnapshot } from '../../../preload/contract.js';

/**
 * The profile the window works on, in the app frame above every view, so test and live are
 * never confused: its name and what it is: Demo (simulated Stripe, practice Sage), Test (a
 * test Sage company, a Stripe test key), Live (real money into the Sage books), or Live with a
 * test key (test payments into the live company: allowed, never unlabelled).
 */
function describe(status: StatusSnapshot): { kind: string; badge: string; note: string } {
  const label = status.activeProfile.label;
  if (!status.configured) {
    return label === 'test'
      ? { kind: 'test', badge: 'Test', note: 'Setting up a test profile.' }
      : { kind: 'setup', badge: 'Setup', note: 'Setting up this profile.' };
  }
  switch (label) {
    case 'demo':
      return { kind: 'demo', badge: 'Demo', note: 'Demo: simulated Stripe data and a practice Sage company. Nothing here is real money.' };
    case 'test':
      return { kind: 'test', badge: 'Test', note: 'Test mode: a Stripe test key and a test Sage company. Nothing here is real money.' };
    case 'live-test-key':
      return { kind: 'live-test-key', badge: 'Live, test key', note: 'A live profile using a Stripe TEST key: test payments, not real ones, go to the live Sage company.' };
    case 'live':
      return { kind: 'live', badge: 'Live', note: status.shadowMode ? 'Live Stripe account, shadow mode: nothing is written to Sage yet.' : 'Live: real Stripe money into your Sage books.' };
  }
}

export function ProfileBar({ status }: { status: StatusSnapshot }) {
  const profile = describe(status);
  const name = status.activeProfile.name;
  return (
    <p className={`profile-bar profile-${profile.kind}`} role="status" aria-label={`Profile: ${profile.badge}. ${name}. ${profile.note}`}>
      <span className="profile-badge">{profile.badge}</span> <span className="profile-name">{name}</span> <span className="profile-note">{profile.note}</span>
    </p>
  );
}
