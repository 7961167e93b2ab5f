import type { Page } from 'playwright-core';

/**
 * Checks run inside the page: form controls without an accessible name, and text whose
 * contrast against the background it is drawn on is below WCAG AA (4.5:1).
 */

/** Controls (input, select, textarea) that no label, aria-label or aria-labelledby names. */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')]
      .filter((control) => control.type !== 'hidden')
      .filter((control) => (control.labels?.length ?? 0) === 0 && !control.getAttribute('aria-label') && !control.getAttribute('aria-labelledby'))
      .map((control) => control.outerHTML),
  );
}

/** Elements matching `selector` whose text contrast is under 4.5:1, with the ratio found. */
export function lowContrastText(page: Page, selector: string): Promise<{ text: string; ratio: number }[]> {
  return page.evaluate((query) => {
    const rgb = (value: string): [number, number, number, number] => {
      const parts = value.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0];
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const luminance = ([r, g, b]: [number, number, number, number]): number => {
      const channel = (c: number): number => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element: Element | null): [number, number, number, number] => {
      for (let current = element; current; current = current.parentElement) {
        const colour = rgb(getComputedStyle(current).backgroundColor);
        if (colour[3] > 0 && !getComputedStyle(current).backgroundColor.startsWith('rgba(0, 0, 0, 0')) return colour;
      }
      return rgb(getComputedStyle(document.body).backgroundColor);
    };
    return [...document.querySelectorAll(query)]
      .filter((element) => (element.textContent ?? '').trim() !== '')
      .map((element) => {
        const foreground = luminance(rgb(getComputedStyle(element).color));
        const behind = luminance(background(element));
        const ratio = (Math.max(foreground, behind) + 0.05) / (Math.min(foreground, behind) + 0.05);
        return { text: (element.textContent ?? '').trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100 };
      })
      .filter((found) => found.ratio < 4.5);
  }, selector);
}
