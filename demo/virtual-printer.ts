// A virtual ESC/POS receipt printer for the demo and the tests: a TCP server (raw port
// 9100 style, here on 127.0.0.1) that speaks the bytes a thermal printer speaks. It
// answers the real-time status queries (DLE EOT 1–4) and GS r 1 from a condition the test
// or the developer dock sets, decodes what it is sent (and refuses what it does not know,
// so a change in what the kiosk sends is seen), and rasterises each receipt like a
// printer does: every character cell from a bitmap font (js-pixel-fonts' "Seven plus",
// 2×2 dots per pixel in a 12×24-dot cell, Font A's size), raster graphics (GS 8 L / GS ( L:
// receiptline sends its QR codes so) dot for dot where the print area and ESC a put them,
// then a PNG (pngjs).
// Demo and test tooling only: never part of a station.
import { createServer, type Server, type Socket } from 'node:net';
import iconv from 'iconv-lite';
import pixelFonts from 'js-pixel-fonts';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import type { PrinterCondition } from '../domain/printer.js';
import { statusAnswer } from '../hardware/escpos-status.js';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;
const LF = 0x0a;

/** A run of characters printed with the same style from `x` (dots from the left margin). */
export interface PrintedRun {
  readonly x: number;
  readonly text: string;
  readonly width: number;
  readonly height: number;
  readonly bold: boolean;
  readonly invert: boolean;
  readonly underline: boolean;
}

/** Raster graphics as printed (GS ( L fn 50): `dots[y * width + x]` is 1 where it is black. */
export interface PrintedGraphic {
  readonly x: number;
  readonly width: number;
  readonly height: number;
  readonly dots: Uint8Array;
}

export interface PrintedLine {
  readonly runs: readonly PrintedRun[];
  /** A line that is a picture (a QR code), not text. */
  readonly graphic?: PrintedGraphic;
  /** The characters of the line in place, runs of spaces between runs (for reading). */
  readonly text: string;
}

export interface PrintedReceipt {
  readonly lines: readonly PrintedLine[];
  /** The receipt as the printer put it on paper. */
  readonly png: Buffer;
  /** The receipt was cut (GS V): the kiosk finished it. */
  readonly cut: boolean;
}

/** Which character table ESC t selected (the ones receiptline's "multilingual" uses). */
const CODE_PAGES: Readonly<Record<number, string>> = { 0: 'cp437', 2: 'cp850', 16: 'cp1252', 17: 'cp866', 18: 'cp852', 19: 'cp858' };

interface Style {
  width: number;
  height: number;
  bold: boolean;
  invert: boolean;
  underline: boolean;
  page: number;
}

const CELL_WIDTH = 12;
const CELL_HEIGHT = 24;
const PAPER_DOTS = 576;
const MARGIN = 16;
/** More graphics data than a printer's buffer holds is no command the virtual printer takes. */
const MAX_GRAPHIC_BYTES = 1 << 20;

/** A line with something on it (text or a picture): paper fed with nothing is no receipt. */
const printedOn = (line: PrintedLine) => line.text !== '' || line.graphic !== undefined;

export class UnknownCommandError extends Error {
  constructor(bytes: readonly number[]) {
    super(`the virtual printer does not know the command ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
    this.name = 'UnknownCommandError';
  }
}

/**
 * Decodes an ESC/POS byte stream as it arrives: `push` consumes every complete command and
 * keeps an incomplete one for the next chunk. Status queries are answered through `answer`.
 */
export class EscPosDecoder {
  private buffer: number[] = [];
  private style: Style = EscPosDecoder.initialStyle();
  private x = 0;
  private runs: PrintedRun[] = [];
  private lines: PrintedLine[] = [];
  /** ESC a (0 left, 1 centre, 2 right), GS L and GS W: where a picture goes. */
  private layout = { align: 0, left: 0, width: PAPER_DOTS };
  /** The graphics stored by GS 8 L / GS ( L fn 112, printed by fn 50. */
  private graphic: Omit<PrintedGraphic, 'x'> | null = null;

  constructor(
    private readonly handlers: {
      readonly answer: (bytes: Uint8Array) => void;
      readonly receipt: (lines: readonly PrintedLine[], cut: boolean) => void;
      /** Whether the printer prints now (paper in, cover shut, on line). */
      readonly printing: () => boolean;
      readonly condition: () => PrinterCondition;
    },
  ) {}

  private static initialStyle(): Style {
    return { width: 1, height: 1, bold: false, invert: false, underline: false, page: 0 };
  }

  push(chunk: Uint8Array): void {
    this.buffer.push(...chunk);
    for (;;) {
      const used = this.step(this.buffer);
      if (used === 0) return;
      this.buffer.splice(0, used);
    }
  }

  /** Ends the stream: what was printed without a cut is a receipt too. */
  end(): void {
    if (this.runs.length > 0) this.newLine();
    // Paper fed after the cut is no receipt.
    if (this.lines.some(printedOn)) this.handlers.receipt(this.lines, false);
    this.lines = [];
  }

  /** Consumes one command or character from `b`: how many bytes it took (0: incomplete). */
  private step(b: readonly number[]): number {
    if (b.length === 0) return 0;
    const [first, second, third] = b as [number, number | undefined, number | undefined];
    const need = (n: number) => b.length >= n;
    const u16 = (i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
    if (first === DLE) {
      if (!need(3)) return 0;
      if (second !== 0x04) throw new UnknownCommandError(b.slice(0, 3));
      this.handlers.answer(statusAnswer(this.handlers.condition()).subarray((third ?? 1) - 1, third ?? 1));
      return 3;
    }
    if (first === ESC) {
      if (!need(2)) return 0;
      switch (second) {
        case 0x40: // ESC @ initialise
          this.style = EscPosDecoder.initialStyle();
          this.x = 0;
          this.layout = { align: 0, left: 0, width: PAPER_DOTS };
          return 2;
        case 0x32: // ESC 2 default line spacing
          return 2;
        case 0x4d: // ESC M font
        case 0x20: // ESC SP right-side character spacing
        case 0x33: // ESC 3 line spacing
        case 0x7b: // ESC { upside down
          return need(3) ? 3 : 0;
        case 0x61: // ESC a justification: receiptline positions text with ESC $ / ESC \ itself, pictures with this
          if (!need(3)) return 0;
          this.layout.align = (third ?? 0) % 48;
          return 3;
        case 0x2d: // ESC - underline
          if (!need(3)) return 0;
          this.style.underline = ((third ?? 0) & 0x0f) !== 0 && third !== 0x30;
          return 3;
        case 0x45: // ESC E emphasised
          if (!need(3)) return 0;
          this.style.bold = ((third ?? 0) & 1) === 1;
          return 3;
        case 0x74: // ESC t character code table
          if (!need(3)) return 0;
          this.style.page = third ?? 0;
          return 3;
        case 0x24: // ESC $ absolute position
          if (!need(4)) return 0;
          this.x = u16(2);
          return 4;
        case 0x5c: // ESC \ relative position
          if (!need(4)) return 0;
          this.x += (u16(2) << 16) >> 16;
          return 4;
        case 0x64: // ESC d feed n lines
          if (!need(3)) return 0;
          for (let i = 0; i < (third ?? 0); i++) this.newLine();
          return 3;
        default:
          throw new UnknownCommandError(b.slice(0, 3));
      }
    }
    if (first === FS) {
      if (!need(2)) return 0;
      switch (second) {
        case 0x2e: // FS . cancel Kanji mode
        case 0x26: // FS & Kanji mode
          return 2;
        case 0x2d: // FS - Kanji underline
        case 0x43: // FS C Kanji code system
          return need(3) ? 3 : 0;
        case 0x53: // FS S Kanji spacing
          return need(4) ? 4 : 0;
        case 0x28: // FS ( A … (Kanji font selection): pL pH then the parameters
          if (!need(5)) return 0;
          return need(5 + u16(3)) ? 5 + u16(3) : 0;
        default:
          throw new UnknownCommandError(b.slice(0, 3));
      }
    }
    if (first === GS) {
      if (!need(2)) return 0;
      switch (second) {
        case 0x61: // GS a automatic status back (the virtual printer sends none)
        case 0x42: // GS B reverse
          if (!need(3)) return 0;
          if (second === 0x42) this.style.invert = ((third ?? 0) & 1) === 1;
          return 3;
        case 0x21: // GS ! character size
          if (!need(3)) return 0;
          this.style.width = ((third ?? 0) >> 4) + 1;
          this.style.height = ((third ?? 0) & 0x0f) + 1;
          return 3;
        case 0x4c: // GS L left margin
          if (!need(4)) return 0;
          this.layout.left = u16(2);
          return 4;
        case 0x57: // GS W print area width
          if (!need(4)) return 0;
          this.layout.width = u16(2);
          return 4;
        case 0x38: {
          // GS 8 L p1 p2 p3 p4 m fn …: graphics with a 32-bit length
          if (!need(7)) return 0;
          if (b[2] !== 0x4c) throw new UnknownCommandError(b.slice(0, 3));
          const length = u16(3) + u16(5) * 0x10000;
          if (length > MAX_GRAPHIC_BYTES) throw new UnknownCommandError(b.slice(0, 7));
          if (!need(7 + length)) return 0;
          this.graphics(b.slice(7, 7 + length));
          return 7 + length;
        }
        case 0x28: {
          // GS ( L pL pH m fn …: graphics; other GS ( functions (GS ( k, a QR code the printer draws) are not sent
          if (!need(5)) return 0;
          if (third !== 0x4c) throw new UnknownCommandError(b.slice(0, 3));
          const length = u16(3);
          if (!need(5 + length)) return 0;
          this.graphics(b.slice(5, 5 + length));
          return 5 + length;
        }
        case 0x56: {
          // GS V cut: m = 0, 1, 48, 49 alone; 65, 66 with a feed
          if (!need(3)) return 0;
          const length = third === 65 || third === 66 ? 4 : 3;
          if (!need(length)) return 0;
          if (this.runs.length > 0) this.newLine();
          if (this.lines.some(printedOn)) this.handlers.receipt(this.lines, true);
          this.lines = [];
          return length;
        }
        case 0x72: // GS r transmit status: 1 paper sensor (bits 2, 3: paper end)
          if (!need(3)) return 0;
          this.handlers.answer(Uint8Array.from([this.handlers.condition() === 'paperOut' ? 0x0c : 0x00]));
          return 3;
        default:
          throw new UnknownCommandError(b.slice(0, 3));
      }
    }
    if (first === LF) {
      this.newLine();
      return 1;
    }
    if (first === 0x0d) return 1;
    if (first < 0x20) throw new UnknownCommandError([first]);
    // Text: up to the next control byte, in the selected character table.
    let end = 0;
    while (end < b.length && (b[end] ?? 0) >= 0x20) end++;
    this.print(b.slice(0, end));
    return end;
  }

  /** A graphics function (m fn …): fn 112 stores a raster picture, fn 50 prints it. */
  private graphics(p: readonly number[]): void {
    const [m, fn] = p;
    if (m !== 0x30) throw new UnknownCommandError([GS, 0x28, 0x4c, ...p.slice(0, 2)]);
    if (fn === 0x32) {
      // Print the stored picture, at the left of the print area, centred or at its right.
      const stored = this.graphic;
      if (!stored || !this.handlers.printing()) return;
      if (this.runs.length > 0) this.newLine();
      const { align, left, width } = this.layout;
      const x = left + (align === 1 ? Math.floor((width - stored.width) / 2) : align === 2 ? width - stored.width : 0);
      this.lines.push({ runs: [], text: '', graphic: { ...stored, x: Math.max(0, x) } });
      return;
    }
    // fn 112: a tone (48: monochrome), bx by (1 or 2: dots doubled), c (49: the first colour), xL xH yL yH, data.
    const [, , tone, bx, by, colour] = p;
    const u16 = (i: number) => (p[i] ?? 0) | ((p[i + 1] ?? 0) << 8);
    const w = u16(6);
    const h = u16(8);
    const rowBytes = (w + 7) >> 3;
    const scaleX = bx ?? 0;
    const scaleY = by ?? 0;
    if (fn !== 0x70 || tone !== 0x30 || colour !== 0x31 || ![1, 2].includes(scaleX) || ![1, 2].includes(scaleY) || p.length !== 10 + rowBytes * h) {
      throw new UnknownCommandError([GS, 0x28, 0x4c, ...p.slice(0, 6)]);
    }
    const width = w * scaleX;
    const height = h * scaleY;
    const dots = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const sx = Math.floor(x / scaleX);
        const byte = p[10 + Math.floor(y / scaleY) * rowBytes + (sx >> 3)] ?? 0;
        dots[y * width + x] = (byte >> (7 - (sx & 7))) & 1;
      }
    }
    this.graphic = { width, height, dots };
  }

  private print(bytes: readonly number[]): void {
    if (!this.handlers.printing()) return;
    const page = CODE_PAGES[this.style.page];
    // Table 1 is Katakana; receiptline draws its rules with its 0x95.
    const text = page ? iconv.decode(Buffer.from(bytes), page) : bytes.map((b) => (b === 0x95 ? '-' : String.fromCharCode(b))).join('');
    const { width, height, bold, invert, underline } = this.style;
    this.runs.push({ x: this.x, text, width, height, bold, invert, underline });
    this.x += text.length * CELL_WIDTH * width;
  }

  private newLine(): void {
    const runs = this.runs;
    this.runs = [];
    this.x = 0;
    let text = '';
    for (const run of [...runs].sort((a, b) => a.x - b.x)) {
      const column = Math.round(run.x / CELL_WIDTH);
      text = text.padEnd(column, ' ') + [...run.text].map((c) => c + ' '.repeat(run.width - 1)).join('');
    }
    this.lines.push({ runs, text: text.trimEnd() });
  }
}

// ------------------------------------------------------------------ rasterising

type Glyph = { readonly offset: number; readonly pixels: readonly (readonly number[])[] };
const FONT: Readonly<Record<string, Glyph>> = pixelFonts.fonts.sevenPlus.glyphs;
/** Font pixels per printer dot, and the glyph's place in its 12×24-dot cell. */
const DOT = 2;
const TOP = 3;

/** Characters the font lacks, drawn as the nearest it has. */
const SUBSTITUTES: Readonly<Record<string, string>> = { '‘': "'", '’': "'", '‚': ',', '“': '"', '”': '"', '„': '"', '«': '"', '»': '"', '\u00a0': ' ', '€': 'E', '–': '-', ß: 'B' };

function glyphOf(char: string): Glyph | undefined {
  // The font has ASCII only: an accented letter is drawn as its letter (é as e).
  const plain = (SUBSTITUTES[char] ?? char).normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return FONT[plain] ?? FONT[''];
}

function lineHeight(line: PrintedLine): number {
  if (line.graphic) return line.graphic.height;
  return CELL_HEIGHT * Math.max(1, ...line.runs.map((run) => run.height));
}

/** Rasterises printed lines the way the printer does: a black-and-white PNG, one pixel a dot. */
export function rasterise(lines: readonly PrintedLine[]): Buffer {
  const height = MARGIN * 2 + lines.reduce((sum, line) => sum + lineHeight(line), 0);
  const png = new PNG({ width: PAPER_DOTS + MARGIN * 2, height, colorType: 0, inputColorType: 0, bitDepth: 8 });
  png.data.fill(255);
  const set = (x: number, y: number, black: boolean) => {
    if (x < 0 || y < 0 || x >= png.width || y >= png.height) return;
    const i = (y * png.width + x) << 2;
    const v = black ? 0 : 255;
    png.data[i] = v;
    png.data[i + 1] = v;
    png.data[i + 2] = v;
    png.data[i + 3] = 255;
  };
  let top = MARGIN;
  for (const line of lines) {
    const cellBottom = top + lineHeight(line);
    const picture = line.graphic;
    if (picture) {
      for (let y = 0; y < picture.height; y++) {
        for (let x = 0; x < picture.width; x++) if (picture.dots[y * picture.width + x]) set(MARGIN + picture.x + x, top + y, true);
      }
    }
    for (const run of line.runs) {
      const sx = DOT * run.width;
      const sy = DOT * run.height;
      const cellWidth = CELL_WIDTH * run.width;
      const cellTop = cellBottom - CELL_HEIGHT * run.height;
      [...run.text].forEach((char, i) => {
        const left = MARGIN + run.x + i * cellWidth;
        if (run.invert) {
          for (let y = cellTop; y < cellBottom; y++) for (let x = left; x < left + cellWidth; x++) set(x, y, true);
        }
        const glyph = glyphOf(char);
        glyph?.pixels.forEach((row, r) =>
          row.forEach((on, c) => {
            if (!on) return;
            for (let dy = 0; dy < sy; dy++) {
              for (let dx = 0; dx < sx + (run.bold ? 1 : 0); dx++) {
                set(left + c * sx + dx, cellTop + (TOP + (r + glyph.offset) * DOT) * run.height + dy, !run.invert);
              }
            }
          }),
        );
        if (run.underline) for (let x = left; x < left + cellWidth; x++) set(x, cellBottom - 1, true);
      });
    }
    top = cellBottom;
  }
  return PNG.sync.write(png, { colorType: 0 });
}

/**
 * Whether the printed image shows `text` as one run in the style of `like` (its size and
 * weight): `text` is rasterised alone and looked for, pixel for pixel, anywhere in `png`.
 * Reads the picture, not the decoded text, so a receipt that lost its code fails.
 */
export function imageShows(png: Buffer, text: string, like: Partial<Omit<PrintedRun, 'x' | 'text'>> = {}): boolean {
  const run: PrintedRun = { x: 0, text, width: 1, height: 1, bold: false, invert: false, underline: false, ...like };
  const needle = PNG.sync.read(rasterise([{ runs: [run], text }]));
  const hay = PNG.sync.read(png);
  // The needle without its margins: the rows and columns where the text is.
  const nx0 = MARGIN;
  const ny0 = MARGIN;
  const nw = text.length * CELL_WIDTH * run.width;
  const nh = CELL_HEIGHT * run.height;
  const darkMap = (img: PNG) => {
    const map = new Uint8Array(img.width * img.height);
    for (let i = 0; i < map.length; i++) map[i] = (img.data[i << 2] ?? 255) < 128 ? 1 : 0;
    return map;
  };
  const h = darkMap(hay);
  const n = darkMap(needle);
  // The needle's dark dots first (few, and most places fail on the first), then every dot.
  const darkDots: [number, number][] = [];
  for (let j = 0; j < nh; j++) for (let i = 0; i < nw; i++) if (n[(ny0 + j) * needle.width + nx0 + i]) darkDots.push([i, j]);
  for (let y = 0; y + nh <= hay.height; y++) {
    for (let x = 0; x + nw <= hay.width; x++) {
      if (!darkDots.every(([i, j]) => h[(y + j) * hay.width + x + i] === 1)) continue;
      let same = true;
      for (let j = 0; j < nh && same; j++) {
        const hr = (y + j) * hay.width + x;
        const nr = (ny0 + j) * needle.width + nx0;
        for (let i = 0; i < nw; i++) {
          if (h[hr + i] !== n[nr + i]) {
            same = false;
            break;
          }
        }
      }
      if (same) return true;
    }
  }
  return false;
}

/** The text of the QR code in a printed image, read as a phone's camera would (jsQR); null when there is none. */
export function qrCodeIn(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  // jsqr is CommonJS: its module is the function, with the function again as `default` (which its types describe).
  return jsqr.default(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

// ------------------------------------------------------------------ the printer on TCP

export interface VirtualPrinter {
  readonly host: string;
  readonly port: number;
  condition(): PrinterCondition;
  /** Paper in or out, cover open, off line… as the dock or a test says. */
  setCondition(condition: PrinterCondition): void;
  /** Every receipt printed, oldest first. */
  receipts(): readonly PrintedReceipt[];
  /** Called after every receipt and every change of condition. */
  subscribe(listener: () => void): () => void;
  /** Status queries answered (DLE EOT n), for tests. */
  statusQueries(): number;
  close(): Promise<void>;
}

export async function startVirtualPrinter(options: { readonly port?: number; readonly condition?: PrinterCondition } = {}): Promise<VirtualPrinter> {
  let condition: PrinterCondition = options.condition ?? 'ready';
  const printed: PrintedReceipt[] = [];
  const listeners = new Set<() => void>();
  const sockets = new Set<Socket>();
  let queries = 0;
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    // Each answer goes out as it is made, as a printer's does (no Nagle delay on loopback).
    socket.setNoDelay(true);
    const decoder = new EscPosDecoder({
      answer: (bytes) => {
        queries++;
        socket.write(bytes);
      },
      receipt: (lines, cut) => {
        printed.push({ lines, png: rasterise(lines), cut });
        changed();
      },
      printing: () => condition === 'ready' || condition === 'paperLow',
      condition: () => condition,
    });
    socket.on('data', (chunk) => {
      try {
        decoder.push(chunk);
      } catch (error) {
        // A real printer would print garbage; this one says what it did not understand.
        socket.destroy(error as Error);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      decoder.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the virtual printer has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    condition: () => condition,
    setCondition(next) {
      condition = next;
      changed();
    },
    receipts: () => printed,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    statusQueries: () => queries,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
