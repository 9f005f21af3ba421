import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard, in Node's standard library: no native add-on to build
 * on a fresh machine). Parameters are stored with each hash, so they can be raised later and old
 * hashes still verify. N = 2^15, r = 8, p = 3 is one of the settings OWASP's password storage cheat
 * sheet lists as equivalent to its minimum (2^17, 8, 1), with a quarter of the memory (32 MiB) per
 * sign-in, which matters when several people sign in at once on a small machine.
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 3 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions & { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 128 * options.N * options.r * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  // An account without a password (reference users, disabled sign-in) still costs one derivation:
  // the answer time does not tell which e-mail addresses exist.
  const parts = (stored ?? '').split('$');
  const [, n, r, p, salt = '', expected = ''] = parts;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (parts.length !== 6 || parts[0] !== 'scrypt' || !saneParams(params) || !salt || !expected) {
    await derive(password, randomBytes(16), PARAMS);
    return false;
  }
  const key = await derive(password, Buffer.from(salt, 'base64url'), params);
  const wanted = Buffer.from(expected, 'base64url');
  return wanted.length === key.length && timingSafeEqual(wanted, key);
}

/** Parameters read from the database are bounded: a damaged row must not crash or stall sign-in. */
function saneParams({ N, r, p }: { N: number; r: number; p: number }): boolean {
  const powerOfTwo = Number.isInteger(Math.log2(N));
  return powerOfTwo && N >= 2 ** 14 && N <= 2 ** 20 && Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 16;
}

/** The rule people are told: long enough to resist guessing, no arbitrary composition rules (ANSSI, NIST). */
export const PASSWORD_MIN_LENGTH = 12;
