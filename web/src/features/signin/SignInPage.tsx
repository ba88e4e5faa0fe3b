import type { SignInReason } from './session';
import '../../styles/signin.css';

const PROBLEMS: Record<Exclude<SignInReason, 'none'>, string> = {
  'used-or-expired':
    'That sign-in link has been used already or has expired: each link works once, for 10 minutes.',
  'too-many-tries': 'Too many wrong codes were tried from here. Wait a minute, then use a fresh link.',
  'pairing-failed':
    'That pairing code has been used already or has expired: show a new QR code on the computer Hark runs on.',
};

/** What someone without a session sees: how to get in, and nothing of the notes. */
export function SignInPage({ reason }: { reason: SignInReason }) {
  return (
    <main className="signin">
      <section className="signin__card" aria-labelledby="signin-title">
        <div className="signin__brand">
          <img src="/favicon.svg" alt="" width="36" height="36" />
          <h1 id="signin-title" className="signin__title">
            Sign in to Hark
          </h1>
        </div>
        {reason !== 'none' && (
          <p className="signin__problem" role="alert">
            {PROBLEMS[reason]}
          </p>
        )}
        <p>Your voice notes are private: this page needs a sign-in link from the computer Hark runs on.</p>
        <ol className="signin__steps">
          <li>
            Open the link <code>hark start</code> printed in its terminal. It looks like{' '}
            <code>http://127.0.0.1:4477/?code=…</code>
          </li>
          <li>
            Or run <code>hark open</code> in a terminal: it opens Hark in your browser, signed in.
          </li>
        </ol>
        <p className="signin__hint">
          On a phone? Pair it from Hark on your computer: it shows a QR code to scan.
        </p>
      </section>
    </main>
  );
}
