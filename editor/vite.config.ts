import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// The editor imports the server's protocol module (engine/server/protocol) directly: one source of
// truth for REST and WebSocket shapes. `npm run dev:editor` proxies the API to a running server.
export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 8000, sourcemap: false },
  server: {
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/api': 'http://127.0.0.1:8080', '/ws': { target: 'ws://127.0.0.1:8080', ws: true }, '/health': 'http://127.0.0.1:8080', '/metrics': 'http://127.0.0.1:8080' },
  },
});
