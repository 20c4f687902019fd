/**
 * Translucent variants of a run's colour (faint raw values, thin group members, group bands). Run
 * colours come from the store as CSS strings; the palette uses #rrggbb or hsl(), and anything else is
 * handed to the browser's color-mix() rather than guessed at.
 */
const HEX6 = /^#([0-9a-f]{6})$/i;
const HEX3 = /^#([0-9a-f]{3})$/i;
const FUNCTIONAL = /^(rgb|hsl)a?\(\s*([^)]*?)\s*\)$/i;

export function withAlpha(color: string, alpha: number): string {
  const trimmed = color.trim();
  const hex6 = HEX6.exec(trimmed);
  const hex3 = HEX3.exec(trimmed);
  const hex = hex6?.[1] ?? (hex3?.[1] ? [...hex3[1]].map((digit) => digit + digit).join('') : null);
  if (hex) {
    const value = Number.parseInt(hex, 16);
    return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
  }
  const functional = FUNCTIONAL.exec(trimmed);
  if (functional?.[1] && functional[2] !== undefined) {
    // Keep the colour's own channels, drop any alpha it had: "hsl(210 80% 45%)" or "hsl(210, 80%, 45%)".
    const channels = functional[2].split('/')[0]?.trim() ?? '';
    const parts = channels.includes(',') ? channels.split(',').map((part) => part.trim()).slice(0, 3) : channels.split(/\s+/).slice(0, 3);
    return `${functional[1].toLowerCase()}a(${parts.join(', ')}, ${alpha})`;
  }
  return `color-mix(in srgb, ${trimmed} ${Math.round(alpha * 100)}%, transparent)`;
}
