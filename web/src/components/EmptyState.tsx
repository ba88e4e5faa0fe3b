import type { ReactNode } from 'react';

/** What an empty list means, in a sentence, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state__title">{title}</p>
      {children ? <p className="empty-state__hint">{children}</p> : null}
    </div>
  );
}
