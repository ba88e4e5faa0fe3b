import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createQueryClient } from './app/queryClient';
import { isPairingPage, PairPage } from './features/devices/PairPage';
import { LiveStateProvider } from './features/live/LiveStateProvider';
import { NoticesProvider } from './features/notices/NoticesProvider';
import { registerServiceWorker } from './features/offline/registerServiceWorker';
import { SignInGate } from './features/signin/SignInGate';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/queue.css';
import './styles/transcriptions.css';
import './styles/devices.css';
import './styles/mobile.css';
import './styles/notebook.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

// A phone that scanned the pairing QR code has no credential yet: the pairing page, outside the sign-in gate.
const pairing = isPairingPage(window.location);

createRoot(root).render(
  <StrictMode>
    {pairing ? (
      <PairPage />
    ) : (
      <SignInGate>
        <QueryClientProvider client={createQueryClient()}>
          <NoticesProvider>
            <LiveStateProvider>
              <App />
            </LiveStateProvider>
          </NoticesProvider>
        </QueryClientProvider>
      </SignInGate>
    )}
  </StrictMode>,
);
registerServiceWorker();
