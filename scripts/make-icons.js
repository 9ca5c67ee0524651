#!/usr/bin/env node
// Draws the add-in's icons (a scorecard glyph: a card with green / amber / red bars, and a refresh variant with a
// circular arrow) and writes them as PNG files to assets/. Run: node scripts/make-icons.js [outDir]
//
// Shapes are laid out on a 16-unit grid so that straight edges fall on whole pixels at 16, 32, 64, 80 and 128 px;
// each pixel is supersampled so that the round parts (corners, arrow) are anti-aliased.
'use strict';

const fs = require('fs');
const path = require('path');
const { PNG } = require('pngjs');

const SIZES = [16, 32, 64, 80, 128];
const GRID = 16;
const SUPERSAMPLE = 8;

// Fluent UI palette; the outline stays visible on both light and dark ribbons.
const COLOURS = {
  outline: [0x60, 0x5e, 0x5c, 255],
  card: [0xff, 0xff, 0xff, 255],
  green: [0x10, 0x7c, 0x10, 255],
  amber: [0xe8, 0xa2, 0x02, 255],
  red: [0xd1, 0x34, 0x38, 255],
  arrow: [0x0f, 0x6c, 0xbd, 255],
};

/** Returns whether (x, y) lies inside the rectangle [x0, x1] × [y0, y1] with corners rounded by radius r. */
function isInRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** Returns whether (x, y) lies inside the triangle a, b, c (either winding). */
function isInTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  const hasNegative = d1 < 0 || d2 < 0 || d3 < 0;
  const hasPositive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(hasNegative && hasPositive);
}

/** The card: a rounded square with an outline, holding three status bars of the given lengths (grid units). */
function cardLayers(bounds, barEnds) {
  const [x0, y0, x1, y1] = bounds;
  const barColours = [COLOURS.green, COLOURS.amber, COLOURS.red];
  const layers = [
    { colour: COLOURS.outline, isInside: (x, y) => isInRoundedRect(x, y, x0, y0, x1, y1, 2.5) },
    { colour: COLOURS.card, isInside: (x, y) => isInRoundedRect(x, y, x0 + 1, y0 + 1, x1 - 1, y1 - 1, 1.5) },
  ];
  barEnds.forEach((end, i) => {
    const top = y0 + 2 + i * 4;
    layers.push({
      colour: barColours[i],
      isInside: (x, y) => isInRoundedRect(x, y, x0 + 2, top, end, top + 2, 0.35),
    });
  });
  return layers;
}

/**
 * A clockwise circular arrow centred on (cx, cy): a ring with a gap at the top right, and an arrowhead at the
 * ring's clockwise end pointing on round the circle. It sits on a disc of the card colour, which keeps the blue
 * arrow legible on a dark ribbon as well as a light one.
 */
function refreshArrowLayers(cx, cy) {
  const outer = 4.5;
  const inner = 2.5;
  const middle = (outer + inner) / 2;
  const halo = outer + 1;
  // Angles in screen coordinates (y grows downwards), measured clockwise from the positive x axis.
  const gapStart = -100 * (Math.PI / 180);
  const gapEnd = -5 * (Math.PI / 180);
  const isInRingArc = (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    if (d < inner || d > outer) return false;
    const a = Math.atan2(y - cy, x - cx);
    return !(a > gapStart && a < gapEnd);
  };
  // The arrowhead sits where the arc ends (gapStart, going clockwise) and points clockwise (tangent direction).
  const tipAngle = gapStart;
  const base = [cx + middle * Math.cos(tipAngle), cy + middle * Math.sin(tipAngle)];
  const radial = [Math.cos(tipAngle), Math.sin(tipAngle)];
  const tangent = [-Math.sin(tipAngle), Math.cos(tipAngle)];
  const head = 2.5;
  const length = 2.8;
  const a = [base[0] + radial[0] * head, base[1] + radial[1] * head];
  const b = [base[0] - radial[0] * head, base[1] - radial[1] * head];
  const tip = [base[0] + tangent[0] * length, base[1] + tangent[1] * length];
  return [
    { colour: COLOURS.card, isInside: (x, y) => Math.hypot(x - cx, y - cy) <= halo },
    { colour: COLOURS.arrow, isInside: isInRingArc },
    { colour: COLOURS.arrow, isInside: (x, y) => isInTriangle(x, y, a, b, tip) },
  ];
}

const ICONS = {
  // The scorecard: a card with three bars, longest green, then amber, then red.
  icon: cardLayers([1, 1, 15, 15], [13, 11, 9]),
  // Refresh: the same card, bars shortened to make room for a circular arrow at the bottom right.
  refresh: [...cardLayers([0, 0, 14, 14], [12, 7, 5]), ...refreshArrowLayers(11.5, 11.5)],
};

/** Paints the layers (later ones on top) into an RGBA PNG of size × size pixels. */
function renderIcon(layers, size) {
  const png = new PNG({ width: size, height: size });
  const scale = GRID / size;
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) * scale;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) * scale;
          let colour = null;
          for (const layer of layers) {
            if (layer.isInside(x, y)) colour = layer.colour;
          }
          if (colour) {
            r += colour[0];
            g += colour[1];
            b += colour[2];
            a += 255;
          }
        }
      }
      const i = (py * size + px) * 4;
      const covered = a / 255;
      // Colour is averaged over the covered samples only (straight, not premultiplied, alpha).
      png.data[i] = covered ? Math.round(r / covered) : 0;
      png.data[i + 1] = covered ? Math.round(g / covered) : 0;
      png.data[i + 2] = covered ? Math.round(b / covered) : 0;
      png.data[i + 3] = Math.round(a / samples);
    }
  }
  return PNG.sync.write(png);
}

/** Writes every icon at every size to outDir; returns the paths written. */
function makeIcons(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const written = [];
  for (const [name, layers] of Object.entries(ICONS)) {
    for (const size of SIZES) {
      const file = path.join(outDir, `${name}-${size}.png`);
      fs.writeFileSync(file, renderIcon(layers, size));
      written.push(file);
    }
  }
  return written;
}

module.exports = { makeIcons, SIZES };

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] || path.join(__dirname, '..', 'assets'));
  for (const file of makeIcons(outDir)) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
