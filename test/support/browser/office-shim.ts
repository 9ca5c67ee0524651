/**
 * Stands in for office.js in the browser test: served in place of
 * https://appsforoffice.microsoft.com/lib/1/hosted/office.js, it defines `Office` (onReady, requirements, theme,
 * actions, the dialog API) and `Excel` / `OfficeExtension` backed by the in-memory emulator. The test hands in its configuration
 * as `window.__SHIM_CONFIG__` (an init script, so it is there before this runs) and reads the emulator back from
 * `window.__emulator`. A frame inside a page that runs the shim shares that page's emulator: two frames are two
 * runtimes (the pane and the ribbon command) over one workbook.
 */
import { versionAtLeast } from '../../../src/excel/requirements';
import { createExcelEmulator, EmulatedOfficeError, EmulatedWorkbookInit, ExcelEmulator } from '../excel-emulator';

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
  /** Whether `Office.actions.associate` exists (hosts before it call the function file's globals). Default true. */
  readonly actionsApi?: boolean;
  /** Whether `Office.context.ui.displayDialogAsync` exists. Default true. */
  readonly dialogApi?: boolean;
  /** Delay before each `Excel.run` batch starts, so that overlapping batches really overlap. Default 0. */
  readonly runDelayMs?: number;
  /** How many of the first `Excel.run` calls fail (GeneralException) without running their batch. Default 0. */
  readonly failingRuns?: number;
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
  /** The URL of every dialog opened with displayDialogAsync, in order (each is opened as a new window). */
  readonly dialogs: string[];
  /** What the page's dialogs sent with messageParent, in order. */
  readonly dialogMessages: string[];
  /** Called by a dialog's own shim (through window.opener) when the dialog calls messageParent. */
  receiveDialogMessage(message: string, origin: string): void;
}

/** A dialog handler's argument, as office.js passes it. */
type DialogArgs = { message: string; origin: string | undefined } | { error: number };

declare global {
  interface Window {
    __SHIM_CONFIG__?: ShimConfig;
    __emulator?: ExcelEmulator;
    __shim?: ShimControl;
  }
}


function install(): void {
  const config: ShimConfig = window.__SHIM_CONFIG__ ?? { workbook: { sheets: [{ name: 'Sheet1', cells: {} }] } };
  const host = config.host === undefined ? 'Excel' : config.host;
  const excelApi = config.excelApi ?? '1.12';
  // A frame of a page that already runs the shim is another runtime on the same workbook (Excel runs the pane and
  // the ribbon command in separate runtimes over one document): it shares the page's emulator.
  const parent = window.parent !== window ? (window.parent as Window) : undefined;
  const shared = parent?.__emulator;
  const emulator = shared ?? createExcelEmulator(config.workbook);
  if (shared === undefined) for (const sheet of config.protectedSheets ?? []) emulator.setProtected(sheet, true);

  const actions = new Map<string, (event: ShimEvent) => unknown>();
  const dialogs: string[] = [];
  const dialogMessages: string[] = [];
  /** The open dialog's handlers, by event type; office.js allows one dialog at a time. */
  let openDialog: { readonly handlers: Map<string, (args: DialogArgs) => void>; readonly window: Window | null; close(): void } | null = null;
  const info = { host, platform: host === null ? null : 'PC' };

  /** Office.context.ui: a dialog is a new window; messages come back through window.opener. */
  const ui = {
    messageParent(message: string): void {
      const opener = window.opener as Window | null;
      if (!opener?.__shim) throw new Error('messageParent: this page is not a dialog');
      opener.__shim.receiveDialogMessage(String(message), window.location.origin);
    },
    ...(config.dialogApi === false ? {} : {
      displayDialogAsync(url: string, _options: unknown, callback?: (result: unknown) => void): void {
        dialogs.push(url);
        if (openDialog) {
          setTimeout(() => callback?.({ status: 'failed', error: { code: 12007, message: 'A dialog is already open.' } }), 0);
          return;
        }
        const handlers = new Map<string, (args: DialogArgs) => void>();
        const opened = window.open(url, '_blank');
        // Closing the window by hand is the dialog's X: office.js reports it as DialogEventReceived 12006.
        const watch = setInterval(() => {
          if (opened && !opened.closed) return;
          clearInterval(watch);
          if (openDialog?.window !== opened) return;
          openDialog = null;
          handlers.get('dialogEventReceived')?.({ error: 12006 });
        }, 50);
        const dialog = {
          handlers,
          window: opened,
          close(): void {
            clearInterval(watch);
            if (openDialog === dialog) openDialog = null;
            opened?.close();
          },
          addEventHandler(type: string, handler: (args: DialogArgs) => void): void {
            handlers.set(type, handler);
          },
          messageChild(): void {
            throw new Error('messageChild is not emulated');
          },
        };
        openDialog = dialog;
        setTimeout(() => callback?.({ status: 'succeeded', value: dialog }), 0);
      },
    }),
  };
  const office = {
    HostType: { Excel: 'Excel' },
    PlatformType: { PC: 'PC' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    EventType: { DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
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
      ui,
      requirements: {
        isSetSupported(name: string, minVersion?: string): boolean {
          return host !== null && name === 'ExcelApi' && versionAtLeast(excelApi, minVersion ?? '1.1');
        },
      },
    },
    ...(config.actionsApi === false ? {} : {
      actions: {
        associate(id: string, action: (event: ShimEvent) => unknown): void {
          actions.set(id, action);
        },
      },
    }),
  };

  const target = window as unknown as Record<string, unknown>;
  target.Office = office;
  if (host !== null) {
    emulator.installGlobals(window);
    const delay = config.runDelayMs ?? 0;
    let failing = config.failingRuns ?? 0;
    if (delay > 0 || failing > 0) {
      // Excel.run and Excel.run(context, batch), each starting `delay` ms later; the first `failing` of them refused.
      const excel = target.Excel as { run: (...args: unknown[]) => Promise<unknown> };
      const run = excel.run.bind(excel);
      target.Excel = Object.assign(Object.create(excel) as object, {
        run: (...args: unknown[]) => {
          if (failing > 0) {
            failing -= 1;
            return Promise.reject(new EmulatedOfficeError('GeneralException', 'There was an internal error while processing the request.', 'Excel.run'));
          }
          return delay > 0 ? new Promise((wake) => setTimeout(wake, delay)).then(() => run(...args)) : run(...args);
        },
      });
    }
  }
  window.__emulator = emulator;
  window.__shim = {
    actions,
    invoke(id: string, event: ShimEvent): unknown {
      const action = actions.get(id);
      if (!action) throw new Error(`No action associated with '${id}'`);
      return action(event);
    },
    dialogs,
    dialogMessages,
    receiveDialogMessage(message: string, origin: string): void {
      dialogMessages.push(message);
      openDialog?.handlers.get('dialogMessageReceived')?.({ message, origin });
    },
  };
}

install();
