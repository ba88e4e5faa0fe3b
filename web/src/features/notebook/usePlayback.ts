import { type RefObject, useEffect, useState } from 'react';
import { segmentIndexAt, type TimedSpan } from './segmentTimeline';

/**
 * The segment the audio is at, followed while it plays or is moved; a
 * component re-renders only when that index changes, not on every tick.
 */
export function usePlayback(audio: RefObject<HTMLAudioElement | null>, segments: readonly TimedSpan[]) {
  const [current, setCurrent] = useState(-1);
  const [playing, setPlaying] = useState(false);

  useEffect(() => {
    const element = audio.current;
    if (!element) return;
    const follow = () => setCurrent(segmentIndexAt(segments, element.currentTime));
    const onPlay = () => setPlaying(true);
    const onPause = () => setPlaying(false);
    follow();
    element.addEventListener('timeupdate', follow);
    element.addEventListener('seeked', follow);
    element.addEventListener('seeking', follow);
    element.addEventListener('play', onPlay);
    element.addEventListener('pause', onPause);
    element.addEventListener('ended', onPause);
    return () => {
      element.removeEventListener('timeupdate', follow);
      element.removeEventListener('seeked', follow);
      element.removeEventListener('seeking', follow);
      element.removeEventListener('play', onPlay);
      element.removeEventListener('pause', onPause);
      element.removeEventListener('ended', onPause);
    };
  }, [audio, segments]);

  return { current, playing };
}

/** Moves the audio to `seconds` (loading it first if it has not been). */
export function seekTo(element: HTMLAudioElement | null, seconds: number): void {
  if (!element) return;
  element.currentTime = Math.max(0, seconds);
}
