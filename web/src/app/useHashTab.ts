import { useCallback, useEffect, useState } from 'react';

/** The selected tab, kept in the address (#tasks) so a reload or a bookmark opens it again. */
export function useHashTab<Id extends string>(ids: readonly Id[], fallback: Id): [Id, (id: Id) => void] {
  const read = useCallback((): Id => {
    const hash = window.location.hash.replace(/^#\/?/, '');
    return (ids as readonly string[]).includes(hash) ? (hash as Id) : fallback;
  }, [ids, fallback]);
  const [selected, setSelected] = useState<Id>(read);

  useEffect(() => {
    const onHashChange = () => setSelected(read());
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [read]);

  const select = useCallback(
    (id: Id) => {
      setSelected(id);
      const hash = id === fallback ? '' : `#${id}`;
      if (window.location.hash !== hash) {
        window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
      }
    },
    [fallback],
  );
  return [selected, select];
}
