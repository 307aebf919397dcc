/** formatClock renders simulated ms as mm:ss (hours roll into minutes: 75:00). */
export function formatClock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
