/** CHAOS_SCALE=long (`npm run test:chaos`) runs the long variants; the default is short. */
export const LONG = process.env.CHAOS_SCALE === 'long';

export function scaled<T>(short: T, long: T): T {
  return LONG ? long : short;
}
