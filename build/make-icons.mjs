// Generates the tray icons (one per tray state at 16, 24 and 32 px) and the app icon
// (icon.png 256 px, icon.ico with PNG entries) with nothing but node:zlib, so the icons are
// reproducible from source: `node build/make-icons.mjs`. The outputs are committed.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const buildDirectory = dirname(fileURLToPath(import.meta.url));

// ---------- PNG encoding ----------

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const chunk = (type, data) => {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
};

/** RGBA pixels (Uint8Array, row-major) → PNG file bytes: 8-bit RGBA, no interlace, filter 0. */
const encodePng = (size, rgba) => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // colour type: truecolour with alpha
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    rows[y * (size * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};

/** ICO container whose entries are PNGs (supported since Windows Vista). */
const encodeIco = (pngsBySize) => {
  const entries = [...pngsBySize.entries()];
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(([size, png], index) => {
    const at = 6 + index * 16;
    header.writeUInt8(size >= 256 ? 0 : size, at); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt8(0, at + 2); // palette colours
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4); // planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...entries.map(([, png]) => png)]);
};

// ---------- drawing: shapes in unit coordinates, 4×4 supersampled ----------

const hex = (colour) => [1, 3, 5].map((index) => parseInt(colour.slice(index, index + 2), 16));

const distanceToSegment = (px, py, [ax, ay], [bx, by]) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
};

const shapes = {
  disc: (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) <= r,
  ring: (cx, cy, inner, outer, gapFrom = 0, gapTo = 0) => (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    const angle = (Math.atan2(y - cy, x - cx) + 2 * Math.PI) % (2 * Math.PI);
    return d >= inner && d <= outer && !(angle >= gapFrom && angle <= gapTo);
  },
  stroke: (points, width) => (x, y) =>
    points.slice(1).some((point, index) => distanceToSegment(x, y, points[index], point) <= width / 2),
  rect: (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1,
  roundedSquare: (inset, radius) => (x, y) => {
    const cx = Math.max(inset + radius, Math.min(1 - inset - radius, x));
    const cy = Math.max(inset + radius, Math.min(1 - inset - radius, y));
    return Math.hypot(x - cx, y - cy) <= radius;
  },
};

/** Layers are painted in order: [shape, colour]. */
const render = (size, layers) => {
  const samples = 4;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          const hit = layers.findLast(([shape]) => shape(x, y));
          if (!hit) continue;
          const [cr, cg, cb] = hex(hit[1]);
          r += cr;
          g += cg;
          b += cb;
          a += 1;
        }
      }
      const at = (py * size + px) * 4;
      if (a > 0) {
        rgba[at] = Math.round(r / a);
        rgba[at + 1] = Math.round(g / a);
        rgba[at + 2] = Math.round(b / a);
      }
      rgba[at + 3] = Math.round((a / (samples * samples)) * 255);
    }
  }
  return encodePng(size, rgba);
};

// ---------- the icons ----------

const white = '#FFFFFF';
const disc = shapes.disc(0.5, 0.5, 0.47);

const trayStates = {
  idle: [[disc, '#1F8A4C'], [shapes.stroke([[0.28, 0.52], [0.44, 0.68], [0.73, 0.34]], 0.14), white]],
  syncing: [[disc, '#2463D1'], [shapes.ring(0.5, 0.5, 0.17, 0.3, 0, 1.1), white], [shapes.stroke([[0.8, 0.42], [0.72, 0.56], [0.62, 0.44]], 0.1), white]],
  attention: [[disc, '#D97706'], [shapes.rect(0.43, 0.2, 0.57, 0.58), white], [shapes.disc(0.5, 0.74, 0.08), white]],
  paused: [[disc, '#6B7280'], [shapes.rect(0.3, 0.27, 0.43, 0.73), white], [shapes.rect(0.57, 0.27, 0.7, 0.73), white]],
  offline: [[disc, '#374151'], [shapes.ring(0.5, 0.5, 0.2, 0.31), white], [shapes.stroke([[0.27, 0.73], [0.73, 0.27]], 0.12), white]],
};

// Electron loads name@1.5x.png / name@2x.png next to name.png for 150% / 200% scaling.
const trayScales = { '': 16, '@1.5x': 24, '@2x': 32 };

mkdirSync(join(buildDirectory, 'tray'), { recursive: true });
for (const [state, layers] of Object.entries(trayStates)) {
  for (const [suffix, size] of Object.entries(trayScales)) {
    writeFileSync(join(buildDirectory, 'tray', `${state}${suffix}.png`), render(size, layers));
  }
}

const appIconLayers = [
  [shapes.roundedSquare(0.04, 0.2), '#635BFF'],
  [shapes.ring(0.5, 0.5, 0.26, 0.34), white],
  [shapes.stroke([[0.37, 0.51], [0.47, 0.61], [0.65, 0.4]], 0.08), white],
];
const appIconSizes = [16, 24, 32, 48, 64, 128, 256];
const appIcons = new Map(appIconSizes.map((size) => [size, render(size, appIconLayers)]));
writeFileSync(join(buildDirectory, 'icon.png'), appIcons.get(256));
writeFileSync(join(buildDirectory, 'icon.ico'), encodeIco(appIcons));
console.log(`Wrote ${Object.keys(trayStates).length * 3} tray icons, icon.png and icon.ico to ${buildDirectory}`);
