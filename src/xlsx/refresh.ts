/** Refresh and removal of .xlsx files: read once, plan, apply, write once. */
import * as ExcelJS from 'exceljs';
import { planRefresh, planRemoval, RefreshOptions, WritePlan } from '../engine';
import { applyPlanToWorkbook, applyRemovalToWorkbook, snapshotWithNames } from './apply';
import { writeXlsxFile } from './write';

/** Loads an .xlsx workbook; rejects with a message naming the file when it cannot be read. */
export async function loadWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch (e) {
    throw new Error(`Cannot read "${path}": ${e instanceof Error ? e.message : String(e)}`);
  }
  return wb;
}

/** Refreshes a workbook in memory; returns the plan that was applied. */
export function refreshWorkbook(wb: ExcelJS.Workbook, options: RefreshOptions = {}): WritePlan {
  const plan = planRefresh(snapshotWithNames(wb), options);
  applyPlanToWorkbook(wb, plan);
  return plan;
}

/** Takes every refresh out of a workbook in memory. */
export function removeFromWorkbook(wb: ExcelJS.Workbook): void {
  applyRemovalToWorkbook(wb, planRemoval(snapshotWithNames(wb)));
}

/** Refreshes the file at `input` and writes the result to `output`. */
export async function refreshXlsxFile(input: string, output: string, options: RefreshOptions = {}): Promise<WritePlan> {
  const wb = await loadWorkbook(input);
  const plan = refreshWorkbook(wb, options);
  await writeXlsxFile(wb, output);
  return plan;
}

/** Removes every refresh from the file at `input`, writing the result to `output`. */
export async function removeXlsxFile(input: string, output: string): Promise<void> {
  const wb = await loadWorkbook(input);
  removeFromWorkbook(wb);
  await writeXlsxFile(wb, output);
}
