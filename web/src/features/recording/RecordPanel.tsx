import { useCallback } from 'react';
import { api } from '../../api/client';
import type { FinishedRecordingJson, QueueStatusJson } from '../../api/types';
import { formatClock } from '../../lib/format';
import { useLiveQueue } from '../live/liveQueue';
import { useAction, useNotices } from '../notices/NoticesProvider';
import { LevelMeter } from './LevelMeter';
import { recordingSupported, useRecorder } from './useRecorder';

const selectRecordingState = (queue: QueueStatusJson) => queue.recording_state;

/** The large Record button, the elapsed time and the level meter. */
export function RecordPanel() {
  const { notify } = useNotices();
  const serverState = useLiveQueue(selectRecordingState) ?? 'Idle';
  const run = useAction();

  const onFinished = useCallback(
    (result: FinishedRecordingJson) => {
      if (result.error) {
        notify(
          'error',
          `Your recording is saved, but it could not be transcribed now (${result.error}). It waits in the background queue.`,
        );
      } else if (result.transcription.status === 'no_speech') {
        notify('info', 'Your recording is saved; no speech was heard in it.');
      } else {
        notify('success', 'Your recording is saved and transcribed.');
      }
    },
    [notify],
  );
  const onError = useCallback((message: string) => notify('error', message), [notify]);
  const onKept = useCallback(
    () =>
      notify(
        'info',
        'Hark is out of reach: your recording is kept on this device and uploaded as soon as Hark is reachable again.',
      ),
    [notify],
  );
  const recorder = useRecorder({ onFinished, onError, onKept });

  const busyElsewhere = recorder.phase === 'idle' && serverState !== 'Idle';
  const supported = recordingSupported();
  const recording = recorder.phase === 'recording';

  return (
    <section
      className={`record-panel ${recording ? 'record-panel--live' : ''}`}
      aria-label="Record a voice note"
    >
      <button
        type="button"
        className={`record-button ${recording ? 'record-button--stop' : ''}`}
        onClick={recording ? recorder.stop : recorder.start}
        disabled={!supported || busyElsewhere || recorder.phase === 'starting' || recorder.phase === 'saving'}
        aria-label={recording ? 'Stop recording and transcribe' : 'Record a voice note'}
      >
        <span className="record-button__icon" aria-hidden="true" />
        <span className="record-button__text">{recording ? 'Stop' : 'Record'}</span>
      </button>
      <div className="record-panel__status">
        {recording ? (
          <>
            <p className="record-panel__elapsed">
              <span className="record-panel__dot" aria-hidden="true" />
              Recording <time>{formatClock(recorder.elapsedSeconds)}</time>
            </p>
            <LevelMeter level={recorder.level} />
            <button type="button" className="button button--small button--quiet" onClick={recorder.discard}>
              Discard
            </button>
          </>
        ) : recorder.phase === 'saving' ? (
          <p className="record-panel__saving" role="status">
            <span className="spinner" aria-hidden="true" /> Transcribing your recording…
          </p>
        ) : recorder.phase === 'starting' ? (
          <p role="status">Opening the microphone…</p>
        ) : !supported ? (
          <p>This browser cannot record audio. You can still import recordings made elsewhere.</p>
        ) : busyElsewhere ? (
          <p>
            {serverState === 'Recording'
              ? 'A recording is under way in another window.'
              : 'Hark is transcribing a recording.'}{' '}
            {serverState === 'Recording' ? (
              <button
                type="button"
                className="link-button"
                onClick={() => void run(() => api.cancelRecording(), 'Could not cancel that recording')}
              >
                Cancel it
              </button>
            ) : null}
          </p>
        ) : (
          <p className="muted">
            Press Record for a voice note. It is transcribed on this computer as soon as you stop, before any
            background work.
          </p>
        )}
        {recorder.unsent && recorder.phase === 'idle' ? (
          <p className="record-panel__unsent">
            <button type="button" className="button button--small" onClick={recorder.resend}>
              Send the recording again
            </button>
          </p>
        ) : null}
      </div>
    </section>
  );
}
