import { useCallback, useSyncExternalStore } from 'react';
import { type NoteRoute, noteHref, parseNoteRoute } from './noteRoute';

export { noteHref };

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const readHash = () => window.location.hash;

export function useNoteRoute(): [NoteRoute, (route: NoteRoute) => void] {
  const hash = useSyncExternalStore(subscribe, readHash);
  const go = useCallback((route: NoteRoute) => {
    const next = route.view === 'note' ? noteHref(route.id) : route.view === 'trash' ? '#trash' : '';
    if (window.location.hash === next) return;
    // A pushed entry: Back closes the note again.
    window.history.pushState(null, '', `${window.location.pathname}${window.location.search}${next}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }, []);
  return [parseNoteRoute(hash), go];
}
