import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';

/** Debian's fonts-dejavu-core; charts ask for "DejaVu Sans" so the PNG matches the SVG. */
export const fontFiles = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];

let warned = false;

/** SVG → PNG at 2× with resvg (no browser). Without the font file, text is missing: warn once. */
export function rasterise(svg: string): Buffer {
  const fonts = fontFiles.filter((f) => existsSync(f));
  if (fonts.length === 0 && !warned) {
    warned = true;
    process.stderr.write(
      `onesim: no font at ${fontFiles[0]} (apt-get install fonts-dejavu-core): PNG charts will have no text\n`,
    );
  }
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    background: 'white',
    font: { fontFiles: fonts, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
