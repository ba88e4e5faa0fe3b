import { type KeyboardEvent, type ReactNode, useEffect, useRef } from 'react';

export interface TabDefinition<Id extends string> {
  id: Id;
  label: string;
  /** A count shown beside the label (omitted when null or zero), with its meaning for screen readers. */
  badge?: { count: number; description: string; tone?: 'accent' | 'danger' } | null;
}

/**
 * The WAI-ARIA tabs pattern: a tablist whose tabs are reached with Tab once,
 * then moved between with the arrow keys, Home and End.
 */
export function TabList<Id extends string>({
  tabs,
  selected,
  onSelect,
  label,
}: {
  tabs: TabDefinition<Id>[];
  selected: Id;
  onSelect: (id: Id) => void;
  label: string;
}) {
  const buttons = useRef(new Map<Id, HTMLButtonElement>());
  // On a phone the tabs scroll sideways (mobile.css): the chosen one is brought into view.
  useEffect(() => {
    buttons.current.get(selected)?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [selected]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.id === selected);
    const last = tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % tabs.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    const tab = next === null ? undefined : tabs[next];
    if (!tab) return;
    event.preventDefault();
    onSelect(tab.id);
    buttons.current.get(tab.id)?.focus();
  };

  return (
    <div className="tablist" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const isSelected = tab.id === selected;
        const count = tab.badge?.count ?? 0;
        return (
          <button
            key={tab.id}
            ref={(element) => {
              if (element) buttons.current.set(tab.id, element);
              else buttons.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={tabId(tab.id)}
            aria-selected={isSelected}
            aria-controls={panelId(tab.id)}
            tabIndex={isSelected ? 0 : -1}
            className="tab"
            onClick={() => onSelect(tab.id)}
          >
            {tab.label}
            {count > 0 && tab.badge ? (
              <span
                className={`tab__badge tab__badge--${tab.badge.tone ?? 'accent'}`}
                title={tab.badge.description}
              >
                <span aria-hidden="true">{count.toLocaleString()}</span>
                <span className="visually-hidden">, {tab.badge.description}</span>
              </span>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}

export function TabPanel({ id, selected, children }: { id: string; selected: boolean; children: ReactNode }) {
  return (
    <div
      role="tabpanel"
      id={panelId(id)}
      aria-labelledby={tabId(id)}
      hidden={!selected}
      className="tabpanel"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the APG tabs pattern focuses the panel after the tablist
      tabIndex={0}
    >
      {children}
    </div>
  );
}

const tabId = (id: string) => `tab-${id}`;
const panelId = (id: string) => `panel-${id}`;
