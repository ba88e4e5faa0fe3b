import { useEffect } from 'react';
import type { QueueStatusJson } from '../api/types';
import { DevicesButton } from '../features/devices/DevicesButton';
import { DropOverlay } from '../features/import/DropOverlay';
import { ImportButton } from '../features/import/ImportButton';
import { ConnectionBanner } from '../features/live/ConnectionBanner';
import { useLiveState } from '../features/live/LiveStateProvider';
import { activeTaskCount, useLiveQueue } from '../features/live/liveQueue';
import { NoticeTray } from '../features/notices/NoticeTray';
import { OutboxBanner } from '../features/offline/OutboxBanner';
import { BackgroundTasksTab } from '../features/queue/BackgroundTasksTab';
import { EngineBanner } from '../features/settings/EngineBanner';
import { SettingsTab } from '../features/settings/SettingsTab';
import { StatsTab } from '../features/stats/StatsTab';
import { StatusStrip } from '../features/status/StatusStrip';
import { TranscriptionsTab } from '../features/transcriptions/TranscriptionsTab';
import { plural } from '../lib/format';
import { TabList, TabPanel } from './Tabs';
import { useHashTab } from './useHashTab';

const TAB_IDS = ['transcriptions', 'tasks', 'stats', 'settings'] as const;
type TabId = (typeof TAB_IDS)[number];

/** What the header shows of the queue: a progress tick changes neither. */
const selectBadges = (queue: QueueStatusJson) => ({
  active: activeTaskCount(queue),
  failed: queue.failed_count,
});

export function App() {
  const badges = useLiveQueue(selectBadges);
  const [selected, select] = useHashTab<TabId>(TAB_IDS, 'transcriptions');
  const active = badges?.active ?? 0;
  const failed = badges?.failed ?? 0;
  const offline = useLiveState().connection === 'unreachable';

  // The window's title counts the work left too, for when the tab is in the background.
  useEffect(() => {
    document.title = active > 0 ? `(${active.toLocaleString()}) Hark` : 'Hark';
  }, [active]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header__brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <h1 className="app-header__title">Hark</h1>
        </div>
        <TabList<TabId>
          label="Views"
          selected={selected}
          onSelect={select}
          tabs={[
            {
              id: 'transcriptions',
              label: 'Transcriptions',
            },
            {
              id: 'tasks',
              label: 'Background Tasks',
              badge:
                failed > 0
                  ? { count: failed, description: plural(failed, 'failed task'), tone: 'danger' }
                  : { count: active, description: `${plural(active, 'background task')} to do` },
            },
            { id: 'stats', label: 'Statistics' },
            { id: 'settings', label: 'Settings' },
          ]}
        />
        <div className="app-header__actions">
          <DevicesButton />
          <ImportButton />
        </div>
      </header>
      <ConnectionBanner />
      <OutboxBanner />
      <EngineBanner onOpenSettings={() => select('settings')} />
      {/* While Hark is unreachable, what is shown is stale: greyed, and every control under it off. */}
      <fieldset className="app-offline-gate" disabled={offline} aria-disabled={offline}>
        <main className={`app-main ${offline ? 'app-main--offline' : ''}`}>
          <TabPanel id="transcriptions" selected={selected === 'transcriptions'}>
            <StatusStrip onOpenTasks={() => select('tasks')} />
            <TranscriptionsTab />
          </TabPanel>
          <TabPanel id="tasks" selected={selected === 'tasks'}>
            <h2 className="visually-hidden">Background Tasks</h2>
            <BackgroundTasksTab />
          </TabPanel>
          <TabPanel id="stats" selected={selected === 'stats'}>
            <h2 className="visually-hidden">Statistics</h2>
            {selected === 'stats' ? <StatsTab /> : null}
          </TabPanel>
          <TabPanel id="settings" selected={selected === 'settings'}>
            <h2 className="visually-hidden">Settings</h2>
            <SettingsTab />
          </TabPanel>
        </main>
      </fieldset>
      <NoticeTray />
      <DropOverlay />
    </div>
  );
}
