import type { StatusSnapshot } from '../../../preload/contract.js';

/**
 * The profile the window works on, in the app frame above every view, so test and live are
 * never confused: Demo (simulated Stripe, practice Sage), Test (a Stripe test key) or Live
 * (real money into the Sage books).
 */
export function ProfileBar({ status }: { status: StatusSnapshot }) {
  const profile =
    status.testMode === 'demo'
      ? { kind: 'demo', badge: 'Demo', note: 'Demo: simulated Stripe data and a practice Sage company. Nothing here is real money.' }
      : status.testMode === 'test-key'
        ? { kind: 'test', badge: 'Test', note: 'Test mode: a Stripe test key is in use. Nothing here is real money.' }
        : { kind: 'live', badge: 'Live', note: status.shadowMode ? 'Live Stripe account, shadow mode: nothing is written to Sage yet.' : 'Live: real Stripe money into your Sage books.' };
  return (
    <p className={`profile-bar profile-${profile.kind}`} role="status" aria-label={`Profile: ${profile.badge}. ${profile.note}`}>
      <span className="profile-badge">{profile.badge}</span> {profile.note}
    </p>
  );
}
