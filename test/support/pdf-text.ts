import zlib from 'node:zlib';

/**
 * The text a PDF shows, for tests: every stream of the file (inflated when pdfkit compressed it),
 * then the strings of its text operators (`<hex> Tj`, `[<hex> kerning <hex>] TJ`, pdfkit's way
 * with standard fonts), decoded from WinAnsi. One line per text operator. Not a PDF parser: enough
 * to read what pdfkit writes, so that a test checks the words of the document, not its size.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  const streams = /stream\r?\n/g;
  for (let match = streams.exec(raw); match; match = streams.exec(raw)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    const bytes = pdf.subarray(start, end);
    let content: string;
    try {
      content = zlib.inflateSync(bytes).toString('latin1');
    } catch {
      content = bytes.toString('latin1');
    }
    for (const operator of content.matchAll(/\[((?:[^\]])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hexes = operator[1] !== undefined ? [...operator[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]!) : [operator[2]!];
      lines.push(hexes.map((hex) => winAnsiDecode(Buffer.from(hex, 'hex'))).join(''));
    }
    streams.lastIndex = end;
  }
  return lines.join('\n');
}

// WinAnsi is Latin-1 but for 0x80–0x9F (Node's TextDecoder reads that range as C1 controls).
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
function winAnsiDecode(bytes: Buffer): string {
  return [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_HIGH[b - 0x80]! : String.fromCharCode(b))).join('');
}

/** How many pages the PDF declares. */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;
}
