import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, type NotePatch } from '../../api/client';
import type { NoteJson } from '../../api/types';
import { useNotices } from '../notices/NoticesProvider';
import { type CacheSnapshot, changeNoteInCaches, refreshNotes, restoreCaches } from './noteCache';
import { titleOf } from './noteModel';

/**
 * Saves an edit (title, text, segments) with PATCH, shown at once: the
 * caches take the edit before the server answers and get their old contents
 * back if it refuses; the caller shows the error (`mutation.error`).
 */
export function useSaveNote(id: string) {
  const client = useQueryClient();
  return useMutation<NoteJson, Error, NotePatch, CacheSnapshot>({
    mutationFn: (patch) => api.updateTranscription(id, patch),
    onMutate: async (patch) => {
      await client.cancelQueries({ queryKey: ['transcriptions'] });
      return changeNoteInCaches(client, id, (note) => ({
        ...note,
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.text !== undefined ? { transcription_text: patch.text } : {}),
        ...(patch.segments !== undefined ? { segments: patch.segments } : {}),
        edited: patch.text !== undefined || patch.segments !== undefined ? true : note.edited,
      }));
    },
    onError: (_error, _patch, snapshot) => {
      if (snapshot) restoreCaches(client, snapshot);
    },
    onSuccess: (saved) => {
      changeNoteInCaches(client, id, () => saved);
    },
    onSettled: () => refreshNotes(client),
  });
}

/**
 * Moves a note to the trash, taking it out of the lists at once, and offers
 * Undo (a restore) in the message that says so. Resolves to whether the
 * server took it.
 */
export function useTrashNote(): (note: NoteJson) => Promise<boolean> {
  const client = useQueryClient();
  const { notify } = useNotices();
  const restore = useRestoreNote();
  return useCallback(
    async (note: NoteJson) => {
      await client.cancelQueries({ queryKey: ['transcriptions'] });
      const snapshot = changeNoteInCaches(client, note.id, () => null);
      const title = titleOf(note);
      try {
        await api.trashTranscription(note.id);
      } catch (error) {
        restoreCaches(client, snapshot);
        notify('error', `“${title}” was not moved to the Trash: ${messageOf(error)}`);
        return false;
      } finally {
        void refreshNotes(client);
      }
      notify('success', `“${title}” is in the Trash.`, { label: 'Undo', run: () => void restore(note) });
      return true;
    },
    [client, notify, restore],
  );
}

/** Takes a note out of the trash, back into the list. */
export function useRestoreNote(): (note: NoteJson) => Promise<boolean> {
  const client = useQueryClient();
  const { notify } = useNotices();
  return useCallback(
    async (note: NoteJson) => {
      const snapshot = changeNoteInCaches(client, note.id, (trashed) =>
        trashed.trashed_at ? null : trashed,
      );
      try {
        await api.restoreTranscription(note.id);
        notify('success', `“${titleOf(note)}” is back in your notes.`);
        return true;
      } catch (error) {
        restoreCaches(client, snapshot);
        notify('error', `“${titleOf(note)}” was not restored: ${messageOf(error)}`);
        return false;
      } finally {
        void refreshNotes(client);
      }
    },
    [client, notify],
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
