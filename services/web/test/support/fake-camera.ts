// A video file Chromium's fake camera plays (--use-file-for-fake-video-capture): the QR code of
// `text`, drawn from the qrcode module's matrix into YUV4MPEG2 frames (a text header, then per
// frame "FRAME\n" and the raw Y, U and V planes of 4:2:0 video). The scanner sees the code as
// it would through a tablet's camera held over the donor's phone.
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

export function qrY4m(file: string, text: string, width = 640, height = 480, frames = 15): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const quiet = 4;
  const scale = Math.floor((Math.min(width, height) * 0.9) / (size + 2 * quiet));
  const side = scale * (size + 2 * quiet);
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const y = Buffer.alloc(width * height, 235); // white (video range)
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (!qr.modules.get(row, col)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const start = (top + (row + quiet) * scale + dy) * width + left + (col + quiet) * scale;
        y.fill(16, start, start + scale); // black
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128); // no colour
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F15:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}
