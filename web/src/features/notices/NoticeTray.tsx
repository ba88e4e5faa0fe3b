import { useNotices } from './NoticesProvider';

/** The messages, in a live region so screen readers hear them too. */
export function NoticeTray() {
  const { notices, dismiss } = useNotices();
  return (
    <section className="notice-tray" aria-label="Messages" aria-live="polite" aria-relevant="additions">
      {notices.map((notice) => (
        <div
          key={notice.id}
          className={`notice notice--${notice.tone}`}
          role={notice.tone === 'error' ? 'alert' : 'status'}
        >
          <p className="notice__text">{notice.text}</p>
          {notice.action ? (
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                dismiss(notice.id);
                notice.action?.run();
              }}
            >
              {notice.action.label}
            </button>
          ) : null}
          <button
            type="button"
            className="icon-button"
            onClick={() => dismiss(notice.id)}
            aria-label="Dismiss message"
            title="Dismiss"
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
