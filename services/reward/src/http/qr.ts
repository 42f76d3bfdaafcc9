import QRCode from 'qrcode';

// Medium error correction survives a cracked phone screen; the margin is what scanners need.
const OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 2 };

export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...OPTIONS, type: 'png', width: 320 });
}

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...OPTIONS, type: 'svg' });
}
