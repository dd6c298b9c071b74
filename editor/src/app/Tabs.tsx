import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabDef<T extends string> {
  id: T;
  label: ReactNode;
  testId?: string;
  title?: string;
}

/** An accessible tab strip: arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern). */
export function Tabs<T extends string>({ tabs, active, onChange, label, className }: { tabs: readonly TabDef<T>[]; active: T; onChange(id: T): void; label: string; className?: string }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (event: KeyboardEvent, index: number) => {
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    event.preventDefault();
    onChange(tabs[next]!.id);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className={`tabs ${className ?? ''}`}>
      {tabs.map((tab, i) => (
        <button
          key={tab.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${label}-${tab.id}`.replace(/\s+/g, '-').toLowerCase()}
          aria-selected={tab.id === active}
          tabIndex={tab.id === active ? 0 : -1}
          className={`tab${tab.id === active ? ' active' : ''}`}
          onClick={() => onChange(tab.id)}
          onKeyDown={(e) => onKey(e, i)}
          data-testid={tab.testId}
          title={tab.title}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
