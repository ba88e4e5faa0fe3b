import { useEffect, useRef, useState } from 'react';
import { DevicesList } from './DevicesList';
import { PairPhone } from './PairPhone';

/** The header's "Devices" button and its dialog: pair a phone, see and revoke who may use Hark. */
export function DevicesButton() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Devices
      </button>
      <dialog ref={dialog} className="devices" aria-labelledby="devices-title" onClose={() => setOpen(false)}>
        <div className="devices__head">
          <h2 id="devices-title">Devices</h2>
          <button type="button" className="button button--quiet button--small" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
        <section aria-labelledby="pair-title">
          <h3 id="pair-title">Pair a phone</h3>
          <PairPhone open={open} />
        </section>
        <section aria-labelledby="devices-list-title">
          <h3 id="devices-list-title">Who can use Hark</h3>
          <DevicesList watching={open} />
        </section>
      </dialog>
    </>
  );
}
