import { crc32, deflateRawSync } from 'node:zlib';

/** `lie`: every entry said to inflate to 1 byte; `streamed`: sizes in data descriptors (flag 8), as streaming writers do. */
export interface ZipOptions { lie?: boolean; streamed?: boolean }

/**
 * Hand-made zip archives for the hostile-workbook tests (no dependency): deflated entries, a true
 * central directory. `workbookZip` is the smallest .xlsx exceljs's streaming reader reads.
 */
export function zipOf(entries: { name: string; data: Buffer }[], options: ZipOptions = {}): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const fileName = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    const declared = options.lie ? 1 : data.length;
    const descriptor = Buffer.alloc(options.streamed ? 16 : 0);
    if (options.streamed) {
      local.writeUInt16LE(8, 6);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(packed.length, 8);
      descriptor.writeUInt32LE(declared, 12);
    } else {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(packed.length, 18);
      local.writeUInt32LE(declared, 22);
    }
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(options.streamed ? 8 : 0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, packed, descriptor);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + packed.length + descriptor.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A one-sheet workbook: `sharedStrings` then `sheetXml` (the `<sheetData>` content). */
export function workbookZip(sheetData: string | Buffer, sharedStrings: string[] = [], options: ZipOptions = {}): Uint8Array {
  const text = (s: string) => Buffer.from(s, 'utf8');
  return zipOf([
    { name: 'xl/_rels/workbook.xml.rels', data: text(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`) },
    { name: 'xl/workbook.xml', data: text(`<?xml version="1.0"?><workbook ${NS} xmlns:r="${REL}"><sheets><sheet name="Dettes" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { name: 'xl/sharedStrings.xml', data: text(`<?xml version="1.0"?><sst ${NS}>${sharedStrings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`) },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.concat([text(`<?xml version="1.0"?><worksheet ${NS}><sheetData>`), Buffer.isBuffer(sheetData) ? sheetData : text(sheetData), text('</sheetData></worksheet>')]) },
  ], options);
}

/** A zip bomb: a sheet of blanks inflating to `megabytes` (1 MB on disk for about 1 000 MB). */
export const bombWorkbook = (megabytes = 120, options: ZipOptions = {}) => workbookZip(Buffer.alloc(megabytes * 1_000_000, 0x20), [], options);
