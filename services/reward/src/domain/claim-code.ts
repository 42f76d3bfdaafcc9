// Claim codes are read aloud, typed by office staff and shown as QR: short, upper case, and
// free of characters people confuse (0/O, 1/I/L, and U which turns words rude in Crockford's
// reasoning). 30 symbols, 8 of them → 30^8 ≈ 6.6e11 codes (≈ 39 bits), shown as XXXX-XXXX.
export const CLAIM_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CLAIM_CODE_LENGTH = 8;

/** Builds a code from random bytes (pass crypto.randomBytes); rejection sampling keeps it uniform. */
export function generateClaimCode(randomBytes: (n: number) => Uint8Array): string {
  const n = CLAIM_CODE_ALPHABET.length;
  const limit = 256 - (256 % n); // bytes at or above this would bias the first symbols
  let out = '';
  while (out.length < CLAIM_CODE_LENGTH) {
    for (const byte of randomBytes(CLAIM_CODE_LENGTH * 2)) {
      if (byte < limit && out.length < CLAIM_CODE_LENGTH) out += CLAIM_CODE_ALPHABET[byte % n];
    }
  }
  return out;
}

/** "ABCD2345" → "ABCD-2345", the way people see and say it. */
export function formatClaimCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export type ParsedClaimCode = { ok: true; code: string } | { ok: false; problem: string };

/**
 * Accepts what staff type or a scanner reads: any case, spaces or dashes. Refuses characters
 * that are never in a code with a message that says which ones, so a misread is caught early.
 */
export function parseClaimCode(input: string): ParsedClaimCode {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  const wrong = [...new Set([...code].filter((c) => !CLAIM_CODE_ALPHABET.includes(c)))];
  if (wrong.length > 0) {
    const hint = wrong.some((c) => '01OILU'.includes(c))
      ? ' (codes never contain 0, 1, O, I, L or U — check the letters again)'
      : '';
    return {
      ok: false,
      problem: `"${input}" is not a claim code: it contains ${wrong.join(', ')}${hint}.`,
    };
  }
  if (code.length !== CLAIM_CODE_LENGTH) {
    return {
      ok: false,
      problem: `"${input}" is not a claim code: a code has ${CLAIM_CODE_LENGTH} characters like ABCD-2345, this has ${code.length}.`,
    };
  }
  return { ok: true, code };
}

/** For lists on the staff screen: enough to match the donor's phone, not enough to redeem. */
export function maskClaimCode(code: string): string {
  return `••••-••${code.slice(6)}`;
}
