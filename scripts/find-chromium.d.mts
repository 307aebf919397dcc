/** Types for find-chromium.mjs (used by the browser benchmark). */
export function findChromium(): { path: string; source: string } | undefined;
export const HOW_TO_GET_CHROMIUM: string;
