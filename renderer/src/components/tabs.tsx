import { useRef, type KeyboardEvent } from 'react';
import { TabIcon, type TabIconName } from './tab-icons.js';

/**
 * WAI-ARIA tabs: one tab stop, arrow keys move between tabs, Home / End jump, Enter or Space
 * (native button behaviour) opens the focused one. Icon over a short name, six equal columns,
 * so all six fit the 420 px tray window without scrolling.
 */
export interface TabItem<Id extends string> {
  id: Id;
  label: string;
  icon: TabIconName;
  badge?: number;
}

export function Tabs<Id extends string>({ items, selected, onSelect }: { items: readonly TabItem<Id>[]; selected: Id; onSelect: (id: Id) => void }) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const focusAt = (index: number): void => buttons.current[(index + items.length) % items.length]?.focus();
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: items.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    focusAt(target);
  };
  return (
    <div role="tablist" aria-label="Views" className="tabs">
      {items.map((item, index) => (
        <button
          key={item.id}
          ref={(element) => {
            buttons.current[index] = element;
          }}
          type="button"
          role="tab"
          id={`tab-${item.id}`}
          aria-selected={item.id === selected}
          aria-controls={`panel-${item.id}`}
          tabIndex={item.id === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(item.id)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          <span className="tab-glyph">
            <TabIcon name={item.icon} />
            {/* The count is drawn over the icon; its words are for screen readers. Space is kept so nothing shifts. */}
            {item.badge ? <span className="badge" aria-hidden="true">{item.badge > 99 ? '99+' : item.badge}</span> : null}
          </span>
          <span className="tab-label">{item.label}</span>
          {item.badge ? <span className="visually-hidden">, {item.badge} need attention</span> : null}
        </button>
      ))}
    </div>
  );
}
