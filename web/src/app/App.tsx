import { useEffect } from 'react';
import type { QueueStatusJson } from '../api/types';
import { DevicesButton } from '../features/devices/DevicesButton';
import { DropOverlay } from '../features/import/DropOverlay';
import { ImportButton } from '../features/import/ImportButton';
import { ConnectionBanner } from '../features/live/ConnectionBanner';
import { activeTaskCount, useLiveQueue } from '../features/live/liveQueue';
import { NoticeTray } from '../features/notices/NoticeTray';
import { OutboxBanner } from '../features/offline/OutboxBanner';
import { BackgroundTasksTab } from '../features/queue/BackgroundTasksTab';
import { EngineBanner } from '../features/settings/EngineBanner';
import { SettingsTab } from '../features/settings/SettingsTab';
import { StatsTab } from '../features/stats/StatsTab';
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
              badge: { count: active, description: `${plural(active, 'background task')} to do` },
            },
            {
              id: 'tasks',
              label: 'Background Tasks',
              badge:
                failed > 0
                  ? { count: failed, description: plural(failed, 'failed task'), tone: 'danger' }
                  : null,
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
      <main className="app-main">
        <TabPanel id="transcriptions" selected={selected === 'transcriptions'}>
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
      <NoticeTray />
      <DropOverlay />
    </div>
  );
}
