import { useRef, useState } from 'react';
import { api } from '../../api/client';
import type { RevealJson } from '../../api/types';
import { useNotices } from '../notices/NoticesProvider';

/**
 * "Show in folder": Hark opens the note's folder in the file manager of the machine it runs on
 * when the page is on that machine; anywhere else (a paired phone) or without xdg-open, the
 * server answers with the path, shown by FolderPath to copy.
 */
export function ShowInFolderButton({ id, onPath }: { id: string; onPath: (reveal: RevealJson) => void }) {
  const { notify } = useNotices();
  const [busy, setBusy] = useState(false);
  const onClick = async () => {
    setBusy(true);
    try {
      const reveal = await api.revealTranscription(id);
      if (reveal.opened) notify('success', 'The folder is open in your file manager.');
      else onPath(reveal);
    } catch (error) {
      notify('error', `Could not show the folder: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="button" onClick={() => void onClick()} disabled={busy}>
      Show in folder
    </button>
  );
}

/** The folder's path with a Copy button, where Hark could not open it here. */
export function FolderPath({ reveal, onClose }: { reveal: RevealJson; onClose: () => void }) {
  const path = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);
  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(reveal.folder);
      setCopied(true);
    } catch {
      // No clipboard (an insecure page): select the path, for Ctrl+C.
      const element = path.current;
      const selection = window.getSelection();
      if (element && selection) {
        selection.selectAllChildren(element);
      }
    }
  };
  return (
    <div className="note-view__folder" role="status">
      <p className="muted">{reveal.reason ?? 'The folder could not be opened here.'} It is at:</p>
      <div className="note-view__folder-row">
        <code ref={path} className="note-view__folder-path">
          {reveal.folder}
        </code>
        <button type="button" className="button" onClick={() => void onCopy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button
          type="button"
          className="button button--quiet"
          onClick={onClose}
          aria-label="Hide the folder path"
        >
          ×
        </button>
      </div>
    </div>
  );
}
