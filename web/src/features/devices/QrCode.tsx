import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * A QR code drawn in the page (as an SVG image: the CSP allows data: images,
 * no inline markup). Dark on light whatever the theme: phones read that best.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }).then((svg) => {
      if (current) setSource(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      current = false;
    };
  }, [text]);
  return source ? (
    <img className="qr-code" src={source} alt={label} width="240" height="240" />
  ) : (
    <div className="qr-code qr-code--loading" role="img" aria-label={label} />
  );
}
