// Times and sizes as the page shows them.

export function toMillis(t) {
  const n = Number(t);
  if (!Number.isFinite(n) || n <= 0) return null;
  if (n > 1e14) return Math.floor(n / 1000); // microseconds
  if (n < 1e11) return n * 1000; // seconds
  return n;
}

export function formatTime(t) {
  const ms = toMillis(t);
  if (ms === null) return '';
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return hm;
  return `${d.getMonth() + 1}月${d.getDate()}日 ${hm}`;
}

export function fileSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
