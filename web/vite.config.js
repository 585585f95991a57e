import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` serves the UI on :5173 and passes the API to a `caifuhao serve` on :8080.
const api = process.env.CAIFUHAO_API || 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': api, '/uploads': api, '/healthz': api },
  },
  test: {
    include: ['test/**/*.test.js'],
    environment: 'node',
  },
});
