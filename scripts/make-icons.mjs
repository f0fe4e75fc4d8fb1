// Renders the home-screen icons (public/icons/*.png) once from SVG with sharp; the PNGs are
// committed, so builds need no font. Run again only when the icon changes:
//   node scripts/make-icons.mjs   (needs a CJK font, e.g. Debian fonts-noto-cjk)
import sharp from "sharp";

const glyph = (size, scale) =>
  `<text x="${size / 2}" y="${size / 2 + size * 0.2 * scale}" font-size="${size * 0.58 * scale}" text-anchor="middle" fill="#fff" font-family="Noto Sans CJK SC" font-weight="700">议</text>`;
// "any": a rounded square; "maskable": full bleed, the glyph inside the 80 % safe zone.
const any = (size) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}" rx="${size * 0.22}" fill="#b71c1c"/>${glyph(size, 1)}</svg>`;
const maskable = (size) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}" fill="#b71c1c"/>${glyph(size, 0.75)}</svg>`;

for (const [name, svg] of [
  ["icon-192.png", any(192)],
  ["icon-512.png", any(512)],
  ["maskable-512.png", maskable(512)],
  ["apple-touch-icon.png", maskable(180)],
]) {
  await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toFile(`public/icons/${name}`);
  console.log(name);
}
