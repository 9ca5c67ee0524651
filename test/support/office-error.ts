import { EmulatedOfficeError } from './excel-emulator';

/** Awaits a promise that must reject with an EmulatedOfficeError; returns the error. */
export async function officeError(promise: Promise<unknown>): Promise<EmulatedOfficeError> {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof EmulatedOfficeError)) throw new Error(`expected an EmulatedOfficeError, got ${String(caught)}`);
  return caught;
}
