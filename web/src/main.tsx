import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createQueryClient } from './app/queryClient';
import { LiveStateProvider } from './features/live/LiveStateProvider';
import { NoticesProvider } from './features/notices/NoticesProvider';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/queue.css';
import './styles/transcriptions.css';
import './styles/notebook.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <NoticesProvider>
        <LiveStateProvider>
          <App />
        </LiveStateProvider>
      </NoticesProvider>
    </QueryClientProvider>
  </StrictMode>,
);
