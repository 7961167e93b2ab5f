import { useState } from 'react';
import { call } from '../bridge.js';
import { useRequest } from '../use-request.js';

/**
 * "Restart to update" on Home once a new version has downloaded in the background (the shell's
 * main/shell/update-policy.ts); nothing otherwise. Looked up again after each run, so a download
 * that finished while the window was open shows without reopening it.
 */
export function UpdateBanner({ refreshKey }: { refreshKey: unknown }) {
  const update = useRequest(() => call('getUpdateStatus', undefined), [refreshKey]);
  const [notice, setNotice] = useState('');
  if (update.value?.phase !== 'ready') return null;
  const restart = (): void => {
    call('restartToUpdate', undefined).then(
      ({ restarting }) => setNotice(restarting ? 'Restarting…' : 'The update is no longer waiting; it installs when the app next starts.'),
      (failure: unknown) => setNotice(String(failure)),
    );
  };
  return (
    <div className="card update-ready" role="status">
      <span>Version {update.value.version} of Stripe Sync is ready. Restarting the app installs it; syncing resumes by itself.</span>
      <span className="row">
        <button type="button" className="primary" onClick={restart}>Restart to update</button>
        <span className="muted small" aria-live="polite">{notice}</span>
      </span>
    </div>
  );
}
