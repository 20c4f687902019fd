/**
 * Colours of runs and groups: the Okabe–Ito palette (distinct for the common colour-vision deficiencies;
 * its yellow is left out, too faint on white). Members of a group share the group's hue at different
 * lightness, so a group reads as one family on the charts.
 */
export const RUN_PALETTE: readonly string[] = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#000000'];

/** The first palette colour not in `used`; when all are used, the one used least. */
export function pickColor(used: readonly string[]): string {
  const counts = new Map<string, number>(RUN_PALETTE.map((color) => [color, 0]));
  for (const color of used) {
    const count = counts.get(color.toLowerCase());
    if (count !== undefined) counts.set(color.toLowerCase(), count + 1);
  }
  let best = RUN_PALETTE[0] ?? '#0072b2';
  let bestCount = Number.POSITIVE_INFINITY;
  for (const color of RUN_PALETTE) {
    const count = counts.get(color) ?? 0;
    if (count < bestCount) {
      best = color;
      bestCount = count;
    }
  }
  return best;
}

/** Hue (degrees), saturation and lightness (0…1) of a #rrggbb colour. */
export function hexToHsl(hex: string): { hue: number; saturation: number; lightness: number } {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  const value = match?.[1] ? Number.parseInt(match[1], 16) : 0;
  const red = ((value >> 16) & 255) / 255;
  const green = ((value >> 8) & 255) / 255;
  const blue = (value & 255) / 255;
  const max = Math.max(red, green, blue);
  const min = Math.min(red, green, blue);
  const lightness = (max + min) / 2;
  if (max === min) return { hue: 0, saturation: 0, lightness };
  const delta = max - min;
  const saturation = lightness > 0.5 ? delta / (2 - max - min) : delta / (max + min);
  let hue: number;
  if (max === red) hue = (green - blue) / delta + (green < blue ? 6 : 0);
  else if (max === green) hue = (blue - red) / delta + 2;
  else hue = (red - green) / delta + 4;
  return { hue: hue * 60, saturation, lightness };
}

/** Colours of `count` group members: the group's hue and saturation, lightness spread from darker to lighter. */
export function memberColors(groupColor: string, count: number): string[] {
  const { hue, saturation } = hexToHsl(groupColor);
  const colors: string[] = [];
  for (let index = 0; index < count; index += 1) {
    // 30 % … 65 % lightness: every member stays visible on white.
    const lightness = count === 1 ? 45 : 30 + (35 * index) / (count - 1);
    colors.push(`hsl(${Math.round(hue)}, ${Math.round(saturation * 100)}%, ${Math.round(lightness)}%)`);
  }
  return colors;
}
