/** The microphone's level while recording. */
export function LevelMeter({ level }: { level: number }) {
  const percent = Math.round(level * 100);
  return (
    <meter
      className="level-meter"
      aria-label="Microphone level"
      min={0}
      max={100}
      low={70}
      high={90}
      optimum={50}
      value={percent}
    >
      {percent}%
    </meter>
  );
}
