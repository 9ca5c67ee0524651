/**
 * Follows the Office theme: when the host tells us its colours (`Office.context.officeTheme`), the pane's background
 * and text take them and the rest of the palette switches to light or dark to match; otherwise the palette follows
 * the browser's prefers-color-scheme (one set of dark tokens in the stylesheet, chosen by `data-theme`).
 */

const HEX_COLOUR = /^#?([0-9a-f]{6})$/i;

/** Returns "#rrggbb" for a host colour string, or undefined when it is not one. */
function normaliseColour(colour: unknown): string | undefined {
  if (typeof colour !== 'string') return undefined;
  const m = HEX_COLOUR.exec(colour.trim());
  return m?.[1] === undefined ? undefined : `#${m[1].toLowerCase()}`;
}

/** Returns the relative luminance (0 black … 1 white) of "#rrggbb". */
function luminance(hex: string): number {
  const channel = (i: number): number => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function readOfficeTheme(): Office.OfficeTheme | undefined {
  try {
    return Office.context?.officeTheme ?? undefined;
  } catch {
    // Hosts without theme support throw on the property rather than returning undefined.
    return undefined;
  }
}

/**
 * Applies the host's theme colours to `root` (the document element). Returns true when the host gave colours;
 * otherwise the light or dark palette follows the browser's prefers-color-scheme, and false is returned.
 */
export function applyOfficeTheme(root: HTMLElement): boolean {
  const theme = readOfficeTheme();
  const background = normaliseColour(theme?.bodyBackgroundColor);
  const foreground = normaliseColour(theme?.bodyForegroundColor);
  if (!theme || !background || !foreground) {
    const dark = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
    root.dataset.theme = dark ? 'dark' : 'light';
    return false;
  }
  root.dataset.theme = luminance(background) < 0.4 ? 'dark' : 'light';
  root.style.setProperty('--colorNeutralBackground1', background);
  root.style.setProperty('--colorNeutralForeground1', foreground);
  const controlBackground = normaliseColour(theme.controlBackgroundColor);
  const controlForeground = normaliseColour(theme.controlForegroundColor);
  if (controlBackground) root.style.setProperty('--colorControlBackground', controlBackground);
  if (controlForeground) root.style.setProperty('--colorControlForeground', controlForeground);
  return true;
}
