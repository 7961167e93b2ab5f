import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The tray window's renderer: built to dist/renderer and served to the window as app://renderer/ (main/shell/renderer-protocol.ts). */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true },
});
