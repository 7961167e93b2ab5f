import type { ReactElement } from 'react';

/**
 * Small line icons for the view tabs. Decorative: every tab also shows its name, so the
 * icons are hidden from screen readers. Drawn in currentColor so they follow the theme.
 */
export type TabIconName = 'home' | 'activity' | 'errors' | 'payouts' | 'receipts' | 'mapping' | 'settings';

const paths: Record<TabIconName, ReactElement> = {
  home: <path d="M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z" />,
  activity: <path d="M3 12h4l3 7 4-14 3 7h4" />,
  errors: (
    <>
      <path d="M12 3 2 21h20z" />
      <path d="M12 10v5M12 18v.5" />
    </>
  ),
  payouts: (
    <>
      <rect x="3" y="6" width="18" height="12" rx="2" />
      <circle cx="12" cy="12" r="2.5" />
    </>
  ),
  receipts: <path d="M6 3h12v18l-3-2-3 2-3-2-3 2zM9 8h6M9 12h6" />,
  mapping: <path d="M4 6h6M14 6h6M4 18h6M14 18h6M10 6l4 12M10 18l4-12" />,
  settings: (
    <>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1" />
    </>
  ),
};

export function TabIcon({ name }: { name: TabIconName }) {
  return (
    <svg className="tab-icon" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {paths[name]}
    </svg>
  );
}
