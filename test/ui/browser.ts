import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Launches the system Chromium headless; fails loudly when it is missing, never skips. */
export const TRAY_WINDOW = { width: 420, height: 640 };

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `UI tests need Chromium at ${executablePath}. Install it (Debian: apt-get install -y chromium) or set PLAYWRIGHT_CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
