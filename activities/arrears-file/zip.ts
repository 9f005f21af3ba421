import { ARREARS_FILE_LIMITS, ArrearsFileError, figure } from './cells';

/**
 * The caps of an .xlsx (a zip archive) read from its central directory, before a byte is inflated:
 * how many entries, and how large they say they are once uncompressed. A 1 MB workbook whose sheet
 * inflates to gigabytes (a zip bomb) is refused here, in the API's check and again in the import,
 * in time proportional to the directory (at most 1 000 entries), never to what it would inflate to.
 *
 * What this cannot see: an archive whose directory lies about sizes (the streaming reader, unzipper,
 * inflates the local entries whatever the directory says). Such a file is still bounded by the row
 * and shared-string caps and by the reading time budget (arrears-file.ts), not by this check.
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
