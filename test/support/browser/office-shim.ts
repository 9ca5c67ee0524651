/**
 * Stands in for office.js in the browser test: served in place of
 * https://appsforoffice.microsoft.com/lib/1/hosted/office.js, it defines `Office` (onReady, requirements, theme,
 * actions) and `Excel` / `OfficeExtension` backed by the in-memory emulator. The test hands in its configuration
 * as `window.__SHIM_CONFIG__` (an init script, so it is there before this runs) and reads the emulator back from
 * `window.__emulator`.
 */
import { createExcelEmulator, EmulatedWorkbookInit, ExcelEmulator } from '../excel-emulator';

/** What the test chooses about the host. */
export interface ShimConfig {
  readonly workbook: EmulatedWorkbookInit;
  /** The host `Office.onReady` reports; null is a plain browser (no Office). Default "Excel". */
  readonly host?: 'Excel' | null;
  /** Highest ExcelApi version the host supports. Default "1.12". */
  readonly excelApi?: string;
  /** `Office.context.officeTheme`, when the host has one. */
  readonly officeTheme?: {
    readonly bodyBackgroundColor: string;
    readonly bodyForegroundColor: string;
    readonly controlBackgroundColor: string;
    readonly controlForegroundColor: string;
  };
  /** Sheets to protect before the page starts (a refresh must then fail). */
  readonly protectedSheets?: readonly string[];
}

/** A ribbon command's event, as the test fakes it. */
export interface ShimEvent {
  completed(options?: unknown): void;
}

/** What the shim exposes to the test besides the emulator. */
export interface ShimControl {
  readonly actions: Map<string, (event: ShimEvent) => unknown>;
  /** Calls the action associated with `id` (as Excel does when its ribbon button is pressed). */
  invoke(id: string, event: ShimEvent): unknown;
}

declare global {
  interface Window {
    __SHIM_CONFIG__?: ShimConfig;
    __emulator?: ExcelEmulator;
    __shim?: ShimControl;
  }
}

/** Returns true when version `have` ("1.12") is at least `want` ("1.6"), compared part by part. */
function atLeast(have: string, want: string): boolean {
  const a = have.split('.').map(Number);
  const b = want.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

function install(): void {
  const config: ShimConfig = window.__SHIM_CONFIG__ ?? { workbook: { sheets: [{ name: 'Sheet1', cells: {} }] } };
  const host = config.host === undefined ? 'Excel' : config.host;
  const excelApi = config.excelApi ?? '1.12';
  const emulator = createExcelEmulator(config.workbook);
  for (const sheet of config.protectedSheets ?? []) emulator.setProtected(sheet, true);

  const actions = new Map<string, (event: ShimEvent) => unknown>();
  const info = { host, platform: host === null ? null : 'PC' };
  const office = {
    HostType: { Excel: 'Excel' },
    PlatformType: { PC: 'PC' },
    onReady(callback?: (i: typeof info) => void): Promise<typeof info> {
      return new Promise((resolve) => {
        // office.js resolves asynchronously, after the page's own scripts have run.
        setTimeout(() => {
          callback?.(info);
          resolve(info);
        }, 0);
      });
    },
    context: {
      host,
      platform: info.platform,
      officeTheme: config.officeTheme,
      requirements: {
        isSetSupported(name: string, minVersion?: string): boolean {
          return host !== null && name === 'ExcelApi' && atLeast(excelApi, minVersion ?? '1.1');
        },
      },
    },
    actions: {
      associate(id: string, action: (event: ShimEvent) => unknown): void {
        actions.set(id, action);
      },
    },
  };

  const target = window as unknown as Record<string, unknown>;
  target.Office = office;
  if (host !== null) emulator.installGlobals(window);
  window.__emulator = emulator;
  window.__shim = {
    actions,
    invoke(id: string, event: ShimEvent): unknown {
      const action = actions.get(id);
      if (!action) throw new Error(`No action associated with '${id}'`);
      return action(event);
    },
  };
}

install();
