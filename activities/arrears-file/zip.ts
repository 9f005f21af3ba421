import { createInflateRaw } from 'node:zlib';
import { ARREARS_FILE_LIMITS, ArrearsFileError, figure } from './cells';

/**
 * The caps of an .xlsx (a zip archive) read from its central directory, before a byte is inflated:
 * how many entries, and how large they say they are once uncompressed. A 1 MB workbook whose sheet
 * inflates to gigabytes (a zip bomb) is refused here, in the API's check and again in the import,
 * in time proportional to the directory (at most 1 000 entries), never to what it would inflate to.
 *
 * The directory can lie (the streaming reader, unzipper, inflates the local entries whatever it
 * says): before reading, the import also inflates every local entry as unzipper would find them,
 * counting and discarding the bytes, and stops past the cap (`checkInflatedSize`).
 */

export interface ZipEntry { name: string; uncompressedSize: number }

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const MAX_COMMENT = 0xffff;

const unreadable = () => new ArrearsFileError('Le classeur .xlsx est illisible (fichier abîmé ou protégé par un mot de passe) : enregistrez-le à nouveau ou envoyez-le en CSV UTF-8.');
const tooLarge = () => new ArrearsFileError(
  `Le classeur dépasse ${figure(ARREARS_FILE_LIMITS.maxUncompressedBytes / 1_000_000)} Mo une fois décompressé : `
  + 'découpez-le en plusieurs fichiers, ou envoyez-le en CSV UTF-8.',
);

/** The entries of the central directory; refuses an archive over the caps or without a directory. */
export function zipEntries(content: Uint8Array): ZipEntry[] {
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  let eocd = -1;
  for (let i = content.length - 22; i >= Math.max(0, content.length - 22 - MAX_COMMENT); i--) {
    if (view.getUint32(i, true) === EOCD) { eocd = i; break; }
  }
  if (eocd < 0) throw unreadable();
  const count = view.getUint16(eocd + 10, true);
  const offset = view.getUint32(eocd + 16, true);
  // 0xffff / 0xffffffff: a ZIP64 archive, which no workbook of 20 MB at most needs.
  if (count === 0xffff || offset === 0xffffffff) throw tooLarge();
  if (count > ARREARS_FILE_LIMITS.maxZipEntries) {
    throw new ArrearsFileError(`Le classeur contient plus de ${figure(ARREARS_FILE_LIMITS.maxZipEntries)} éléments : enregistrez-le à nouveau ou envoyez-le en CSV UTF-8.`);
  }
  const entries: ZipEntry[] = [];
  let total = 0;
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > content.length || view.getUint32(at, true) !== CENTRAL) throw unreadable();
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const next = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (next > content.length) throw unreadable();
    total += size;
    if (size === 0xffffffff || total > ARREARS_FILE_LIMITS.maxUncompressedBytes) throw tooLarge();
    entries.push({ name: Buffer.from(content.buffer, content.byteOffset + at + 46, nameLength).toString('utf8'), uncompressedSize: size });
    at = next;
  }
  return entries;
}

const LOCAL = 0x04034b50;
const DESCRIPTOR = Buffer.from([0x50, 0x4b, 0x07, 0x08]);

/** Bytes a deflated entry inflates to, counted and discarded (zlib works off the main thread); stops past `cap`. */
function inflatedSize(data: Uint8Array, cap: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw();
    let size = 0;
    inflater.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        inflater.destroy();
        resolve(size);
      }
    });
    inflater.on('end', () => resolve(size));
    inflater.on('error', () => reject(unreadable()));
    inflater.end(data);
  });
}

/**
 * The import's second look at a workbook, before exceljs reads it: the local entries walked in
 * order, as unzipper does (an entry's size from its local header, or up to its data descriptor),
 * each inflated and counted; over 100 MB in all, or over 1 000 entries, it is refused.
 */
export async function checkInflatedSize(content: Uint8Array): Promise<void> {
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  let total = 0;
  let at = 0;
  for (let n = 0; at + 30 <= bytes.length && bytes.readUInt32LE(at) === LOCAL; n++) {
    if (n >= ARREARS_FILE_LIMITS.maxZipEntries) throw tooLarge();
    const flags = bytes.readUInt16LE(at + 6);
    const method = bytes.readUInt16LE(at + 8);
    const size = bytes.readUInt32LE(at + 18);
    if (size === 0xffffffff) throw tooLarge();
    const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    const sizeKnown = !(flags & 0x08) || size > 0;
    const end = sizeKnown ? start + size : bytes.indexOf(DESCRIPTOR, start);
    if (end < 0 || end > bytes.length) throw unreadable();
    // unzipper inflates every entry whose method is not 0 (stored).
    total += method === 0 ? end - start : await inflatedSize(bytes.subarray(start, end), ARREARS_FILE_LIMITS.maxUncompressedBytes - total);
    if (total > ARREARS_FILE_LIMITS.maxUncompressedBytes) throw tooLarge();
    at = sizeKnown ? end : end + 16;
  }
}
