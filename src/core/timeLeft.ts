/**
 * An estimate of time left, said like one: "almost done", "less than a minute left",
 * "about 3 min left", "about 1 h 5 min left". The web app's strip and queue and
 * `hark status` say it alike, rounded to the minute.
 */
export function timeLeftWords(seconds: number): string {
  if (seconds < 10) return 'almost done';
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} h ${rest > 0 ? `${rest} min ` : ''}left`;
}
