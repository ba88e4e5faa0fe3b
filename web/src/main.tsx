import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createQueryClient } from './app/queryClient';
import { isPairingPage, PairPage } from './features/devices/PairPage';
import { LiveStateProvider } from './features/live/LiveStateProvider';
import { NoticesProvider } from './features/notices/NoticesProvider';
import { registerServiceWorker } from './features/offline/registerServiceWorker';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/queue.css';
import './styles/transcriptions.css';
import './styles/devices.css';
import './styles/mobile.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

// A phone that scanned the pairing QR code has no credential yet: only the pairing page, no event stream.
const pairing = isPairingPage(window.location);

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <NoticesProvider>
        {pairing ? (
          <PairPage />
        ) : (
          <LiveStateProvider>
            <App />
          </LiveStateProvider>
        )}
      </NoticesProvider>
    </QueryClientProvider>
  </StrictMode>,
);
registerServiceWorker();
