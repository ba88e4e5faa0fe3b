import { useEffect, useId, useRef, useState } from 'react';
import { api, messageOf } from '../../api/client';
import { noteHref } from '../notebook/useNoteRoute';
import { useNotices } from '../notices/NoticesProvider';
import { answerDuplicate, useNextDuplicate } from './duplicates';

/**
 * "This recording is already a note": an import whose audio Hark already
 * has. Open the existing note, or import it anyway as a second one.
 */
export function DuplicateDialog() {
  const duplicate = useNextDuplicate();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [sending, setSending] = useState(false);
  const { notify } = useNotices();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (duplicate && !element.open) element.showModal();
    if (!duplicate && element.open) element.close();
  }, [duplicate]);

  const openExisting = () => {
    if (!duplicate) return;
    answerDuplicate();
    window.location.hash = noteHref(duplicate.existingId);
  };

  const importAnyway = async () => {
    if (!duplicate) return;
    setSending(true);
    try {
      await api.importFile(duplicate.file, { allowDuplicate: true, language: duplicate.language });
      notify('success', `${duplicate.file.name} is in the background queue.`);
    } catch (error) {
      notify('error', `${duplicate.file.name} was not imported: ${messageOf(error)}`);
    } finally {
      setSending(false);
      answerDuplicate();
    }
  };

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      // Escape, or the dialog closed some other way: the file is not imported.
      onClose={() => {
        if (duplicate && !sending) answerDuplicate();
      }}
    >
      {duplicate ? (
        <>
          <h2 id={titleId} className="dialog__title">
            This recording is already a note
          </h2>
          <p>
            <strong>{duplicate.file.name}</strong> has the same audio as a note you already have. Open that
            note, or import this file anyway as a second note.
          </p>
          <div className="dialog__actions">
            <button type="button" className="button" onClick={answerDuplicate} disabled={sending}>
              Cancel
            </button>
            <button type="button" className="button" onClick={() => void importAnyway()} disabled={sending}>
              {sending ? 'Importing…' : 'Import anyway'}
            </button>
            <button
              type="button"
              className="button button--primary"
              onClick={openExisting}
              disabled={sending}
            >
              Open existing
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
