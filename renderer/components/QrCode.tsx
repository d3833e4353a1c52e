import QRCode from 'qrcode';
import { useMemo } from 'react';

/**
 * A QR code drawn as SVG from the library's module matrix: crisp at any size, no canvas,
 * no markup from outside React. `label` names it for assistive technology.
 */
export function QrCode({ value, label }: { readonly value: string; readonly label: string }) {
  const path = useMemo(() => {
    const { modules } = QRCode.create(value, { errorCorrectionLevel: 'M' });
    const cells: string[] = [];
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (modules.get(row, col)) cells.push(`M${String(col + 4)} ${String(row + 4)}h1v1h-1z`);
      }
    }
    return { d: cells.join(''), size: modules.size + 8 };
  }, [value]);
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${String(path.size)} ${String(path.size)}`}
      shapeRendering="crispEdges"
      data-qr-value={value}
    >
      {/* A quiet zone of four modules, white, whatever the theme. */}
      <rect width={path.size} height={path.size} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}
