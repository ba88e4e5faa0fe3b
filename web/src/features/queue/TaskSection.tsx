import { type ReactNode, useId } from 'react';

/**
 * A titled list of tasks. Collapsible sections start closed and fetch
 * nothing until they are opened.
 */
export function TaskSection({
  title,
  count,
  actions,
  collapsible = false,
  expanded = true,
  onToggle,
  children,
}: {
  title: string;
  count: number;
  actions?: ReactNode;
  collapsible?: boolean;
  expanded?: boolean;
  onToggle?: () => void;
  children: ReactNode;
}) {
  const headingId = useId();
  const bodyId = useId();
  const heading = (
    <>
      {title} <span className="task-section__count">({count.toLocaleString()})</span>
    </>
  );
  return (
    <section className="task-section" aria-labelledby={headingId}>
      <div className="task-section__header">
        <h3 className="task-section__title" id={headingId}>
          {collapsible ? (
            <button
              type="button"
              className="disclosure"
              aria-expanded={expanded}
              aria-controls={bodyId}
              onClick={onToggle}
            >
              <span className="disclosure__arrow" aria-hidden="true" />
              {heading}
            </button>
          ) : (
            heading
          )}
        </h3>
        {actions ? <div className="task-section__actions">{actions}</div> : null}
      </div>
      <div id={bodyId} className="task-section__body" hidden={!expanded}>
        {expanded ? children : null}
      </div>
    </section>
  );
}
