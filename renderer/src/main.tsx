// React Fast Refresh's preamble, imported rather than injected inline: the Content Security Policy
// forbids inline scripts, even in development. It is empty in a production build.
import '@vitejs/plugin-react/preamble';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { BridgeMissing } from './features/shell/BridgeMissing';
import { getKeelConnection } from './services/keelClient';
import { createKeelStore } from './store';
import { KeelStoreProvider } from './store/KeelStoreProvider';

const root = document.getElementById('root');
if (!root) throw new Error('Keel: the page has no #root element.');

const connection = getKeelConnection();
createRoot(root).render(
  <StrictMode>
    {connection.kind === 'bridge-missing' ? (
      <BridgeMissing reason={connection.reason} />
    ) : (
      <KeelStoreProvider store={createKeelStore(connection.keel)}>
        <App />
      </KeelStoreProvider>
    )}
  </StrictMode>,
);
