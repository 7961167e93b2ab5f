import { useEffect, useState } from 'react';
import type { EventPayloads, StatusSnapshot } from '../../preload/contract.js';
import { call, subscribe } from './bridge.js';
import { Tabs, type TabItem } from './components/tabs.js';
import { ErrorMessage } from './components/message.js';
import { DashboardView } from './views/dashboard-view.js';
import { ActivityView } from './views/activity-view.js';
import { ErrorsView } from './views/errors-view.js';
import { PayoutsView } from './views/payouts-view.js';
import { MappingView } from './views/mapping-view.js';
import { SettingsView } from './views/settings-view.js';
import { WizardView } from './views/wizard-view.js';

export type ViewId = EventPayloads['navigate']['view'];

/** The tray window: the setup wizard until configured, then the tabbed views. */
export function App() {
  const [status, setStatus] = useState<StatusSnapshot | null>(null);
  const [view, setView] = useState<ViewId>('dashboard');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // Snapshot first, then live updates: the order the contract asks for.
    let active = true;
    call('getStatus', undefined).then(
      (snapshot) => active && setStatus(snapshot),
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
    const stopStatus = subscribe('status', (snapshot) => setStatus(snapshot));
    const stopNavigate = subscribe('navigate', ({ view: target }) => setView(target));
    return () => {
      active = false;
      stopStatus();
      stopNavigate();
    };
  }, []);

  if (!status) return <main className="app"><ErrorMessage text={error} />{error ? null : <p aria-busy="true">Loading…</p>}</main>;
  if (!status.configured) return <main className="app"><WizardView onDone={() => call('getStatus', undefined).then(setStatus, () => undefined)} /></main>;

  const failing = status.counts.failed + status.counts.dead;
  const tabs: TabItem<ViewId>[] = [
    { id: 'dashboard', label: 'Home' },
    { id: 'activity', label: 'Activity' },
    { id: 'errors', label: 'Errors', badge: failing },
    { id: 'payouts', label: 'Payouts' },
    { id: 'mapping', label: 'Mapping' },
    { id: 'settings', label: 'Settings' },
  ];
  return (
    <main className="app">
      <Tabs items={tabs} selected={view} onSelect={setView} />
      <section role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`} className="panel" tabIndex={-1}>
        {view === 'dashboard' && <DashboardView status={status} onNavigate={setView} />}
        {view === 'activity' && <ActivityView status={status} />}
        {view === 'errors' && <ErrorsView status={status} />}
        {view === 'payouts' && <PayoutsView status={status} />}
        {view === 'mapping' && <MappingView />}
        {view === 'settings' && <SettingsView />}
      </section>
    </main>
  );
}
