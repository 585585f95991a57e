// Image files for the upload tests, built byte by byte: a real PNG (zlib-compressed scan lines,
// every chunk with its CRC), a baseline JPEG and a lossy WebP whose headers carry the
// dimensions, and files of other formats (GIF, SVG) that an upload must refuse.

import { crc32, deflateSync, inflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One PNG chunk: length, type, data, CRC-32 of type and data. */
export function pngChunk(type, data = Buffer.alloc(0)) {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/**
 * A w×h 8-bit RGB PNG with a gradient (filter type 0 on every line). `extra` is a list of
 * additional chunks ([type, data]) placed before IDAT.
 */
export function png(w, h, { extra = [] } = {}) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  // compression, filter and interlace methods 0
  const line = 1 + 3 * w;
  const raw = Buffer.alloc(line * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = y * line + 1 + 3 * x;
      raw[at] = (x * 255) / Math.max(1, w - 1);
      raw[at + 1] = (y * 255) / Math.max(1, h - 1);
      raw[at + 2] = 0x80;
    }
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    ...extra.map(([type, data]) => pngChunk(type, data)),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND'),
  ]);
}

/** A PNG of exactly `size` bytes: a w×h image padded with a private ancillary chunk. */
export function pngOfSize(size, w = 32, h = 32) {
  const bare = png(w, h).length;
  const pad = size - bare - 12; // a chunk's length, type and CRC
  if (pad < 0) throw new Error(`a ${w}×${h} PNG is already ${bare} bytes`);
  return png(w, h, { extra: [['prVt', Buffer.alloc(pad, 0x5a)]] });
}

/**
 * Checks a PNG the way a decoder would: signature, chunk CRCs, IHDR first and IEND last, and
 * IDAT inflating to h lines of 1 + 3w bytes. Answers {width, height}; throws otherwise.
 */
export function decodePng(buf) {
  if (!buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('no PNG signature');
  let at = 8;
  const chunks = [];
  while (at < buf.length) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    if (buf.readUInt32BE(at + 8 + len) !== crc32(buf.subarray(at + 4, at + 8 + len))) {
      throw new Error(`bad CRC on ${type}`);
    }
    chunks.push({ type, data });
    at += 12 + len;
  }
  if (chunks[0]?.type !== 'IHDR' || chunks.at(-1)?.type !== 'IEND') {
    throw new Error('IHDR must come first and IEND last');
  }
  const width = chunks[0].data.readUInt32BE(0);
  const height = chunks[0].data.readUInt32BE(4);
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  if (inflateSync(idat).length !== height * (1 + 3 * width)) throw new Error('IDAT size');
  return { width, height };
}

function u16be(n) {
  return [(n >> 8) & 0xff, n & 0xff];
}

function segment(marker, payload) {
  return [0xff, marker, ...u16be(payload.length + 2), ...payload];
}

/**
 * A w×h grey baseline JPEG: JFIF, one quantisation table, a frame header, one-code Huffman
 * tables, a scan of all-zero blocks (each a DC "no change" and an end of block) and EOI.
 */
export function jpeg(w, h) {
  const blocks = Math.ceil(w / 8) * Math.ceil(h / 8);
  const bits = 2 * blocks; // "0" for DC category 0, "0" for EOB
  const scan = Buffer.alloc(Math.ceil(bits / 8), 0);
  if (bits % 8) scan[scan.length - 1] = 0xff >> (bits % 8); // pad with 1 bits
  const oneCode = (tableClassId) => [tableClassId, 1, ...Array(15).fill(0), 0x00];
  return Buffer.from([
    0xff, 0xd8, // SOI
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0 JFIF
    ...segment(0xdb, [0x00, ...Array(64).fill(1)]), // DQT
    ...segment(0xc0, [8, ...u16be(h), ...u16be(w), 1, 1, 0x11, 0]), // SOF0: 1 component
    ...segment(0xc4, oneCode(0x00)), // DHT: DC table 0
    ...segment(0xc4, oneCode(0x10)), // DHT: AC table 0
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS
    ...scan,
    0xff, 0xd9, // EOI
  ]);
}

/** A lossy WebP (RIFF, "VP8 " chunk) whose key frame header says w×h; the rest is padding. */
export function webp(w, h) {
  const frame = Buffer.alloc(64, 0);
  frame[0] = 0x10; // key frame, version 0, shown; first partition size follows
  frame[3] = 0x9d; // start code
  frame[4] = 0x01;
  frame[5] = 0x2a;
  frame.writeUInt16LE(w & 0x3fff, 6);
  frame.writeUInt16LE(h & 0x3fff, 8);
  const chunk = Buffer.concat([Buffer.from('VP8 '), Buffer.alloc(4), frame]);
  chunk.writeUInt32LE(frame.length, 4);
  const riff = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), chunk]);
  riff.writeUInt32LE(riff.length - 8, 4);
  return riff;
}

/** A 16×16 GIF89a header and an empty image. */
export function gif() {
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'),
    Buffer.from([16, 0, 16, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff]),
    Buffer.from([0x2c, 0, 0, 0, 0, 16, 0, 16, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3b]),
  ]);
}

/** An SVG document with a script in it. */
export const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">' +
  '<script>alert(1)</script><rect width="64" height="64" fill="red"/></svg>';
