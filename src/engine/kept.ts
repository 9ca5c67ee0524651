/**
 * Readings kept for the texts seen last. A report repeats its texts ("N/A", "17%", ">85%", "TBC"); a pure reading of
 * each is made once while it is among the last `limit` distinct texts read, and the store is emptied when it fills,
 * so that what is kept stays bounded however many workbooks one process refreshes.
 */
export function keptReadings<T>(read: (text: string) => T, limit = 16_384): (text: string) => T {
  const kept = new Map<string, T>();
  return (text) => {
    if (kept.has(text)) return kept.get(text) as T;
    const reading = read(text);
    if (kept.size >= limit) kept.clear();
    kept.set(text, reading);
    return reading;
  };
}
