import { useId } from 'react';

/** Searches the words of every transcript (each word matches as a prefix). */
export function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <search className="search-box">
      <label htmlFor={id} className="visually-hidden">
        Search transcriptions
      </label>
      <input
        id={id}
        type="search"
        className="search-box__input"
        placeholder="Search transcriptions"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onChange('');
        }}
        autoComplete="off"
        spellCheck={false}
      />
    </search>
  );
}
