import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The tray window's renderer: built to dist/renderer and loaded from file:// by the shell. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true },
});
