import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';

export type NoticeTone = 'info' | 'success' | 'error';

export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
  /** A button in the message (Undo after a delete); pressing it dismisses the message. */
  action?: NoticeAction | undefined;
}

export interface NoticeAction {
  label: string;
  run: () => void;
}

interface Notices {
  notices: Notice[];
  /** Shows a message and returns its id; errors stay until dismissed, others go after a while. */
  notify: (tone: NoticeTone, text: string, action?: NoticeAction) => number;
  dismiss: (id: number) => void;
}

const NoticesContext = createContext<Notices | null>(null);
const FADE_AFTER_MS = 8000;

/** Short messages about what the user just did: an action refused, a file imported or rejected. */
export function NoticesProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setNotices((current) => current.filter((notice) => notice.id !== id));
  }, []);

  const notify = useCallback(
    (tone: NoticeTone, text: string, action?: NoticeAction) => {
      const id = nextId.current++;
      setNotices((current) => [...current.slice(-5), { id, tone, text, action }]);
      if (tone !== 'error') setTimeout(() => dismiss(id), FADE_AFTER_MS);
      return id;
    },
    [dismiss],
  );

  const value = useMemo(() => ({ notices, notify, dismiss }), [notices, notify, dismiss]);
  return <NoticesContext.Provider value={value}>{children}</NoticesContext.Provider>;
}

export function useNotices(): Notices {
  const notices = useContext(NoticesContext);
  if (!notices) throw new Error('useNotices needs a NoticesProvider');
  return notices;
}

/** Runs a user action, turning a refusal into an error notice. Resolves to whether it succeeded. */
export function useAction() {
  const { notify } = useNotices();
  return useCallback(
    async (action: () => Promise<unknown>, describe: string): Promise<boolean> => {
      try {
        await action();
        return true;
      } catch (error) {
        notify('error', `${describe}: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      }
    },
    [notify],
  );
}
