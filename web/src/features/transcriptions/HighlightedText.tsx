import { Fragment } from 'react';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The words the search matched (as prefixes, like the server's search), marked. */
export function HighlightedText({ text, query }: { text: string; query: string }) {
  const words = query
    .split(/[^\p{L}\p{N}']+/u)
    .map((word) => word.replace(/'/g, ''))
    .filter((word) => word.length > 0);
  if (words.length === 0) return <>{text}</>;
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${words.map(escapeRegExp).join('|')})[\\p{L}\\p{N}']*`,
    'giu',
  );
  const parts: { text: string; match: boolean; at: number }[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) parts.push({ text: text.slice(last, at), match: false, at: last });
    parts.push({ text: match[0], match: true, at });
    last = at + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false, at: last });
  return (
    <>
      {parts.map((part) =>
        part.match ? <mark key={part.at}>{part.text}</mark> : <Fragment key={part.at}>{part.text}</Fragment>,
      )}
    </>
  );
}
