import '@xyflow/react/dist/style.css';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { live } from './api/stream.ts';
import { captureToken } from './api/token.ts';
import { App } from './app/App.tsx';
import { init } from './app/store.ts';
import { warmLayout } from './graph/layout.ts';

window.__barflow = { scriptMs: performance.now() };

// the token arrives in the URL fragment once; keep it for this tab and clean the address bar
captureToken();
live.connect();
warmLayout();
// the pipeline starts loading before the first render
void init();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
