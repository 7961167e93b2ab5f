import { useRef, type KeyboardEvent } from 'react';

/**
 * WAI-ARIA tabs: one tab stop, arrow keys move between tabs, Home / End jump, Enter or Space
 * (native button behaviour) opens the focused one.
 */
export interface TabItem<Id extends string> {
  id: Id;
  label: string;
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
          role="tab"
          id={`tab-${item.id}`}
          aria-selected={item.id === selected}
          aria-controls={`panel-${item.id}`}
          tabIndex={item.id === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(item.id)}
          onKeyDown={(event) => onKeyDown(event, index)}
        >
          {item.label}
          {item.badge ? <span className="badge" aria-label={`${item.badge} need attention`}>{item.badge}</span> : null}
        </button>
      ))}
    </div>
  );
}
