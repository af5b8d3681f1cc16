// How people read values: times in 北京时间 (UTC+8, no daylight saving), names before ids.

const pad = (n) => String(n).padStart(2, "0");

// "2026-12-05 15:04" in Beijing time, whatever the browser's own zone is.
export function beijing(iso, { seconds = false } = {}) {
  if (!iso) return "";
  const t = typeof iso === "number" ? iso * 1000 : Date.parse(iso);
  if (Number.isNaN(t)) return String(iso);
  const d = new Date(t + 8 * 3600e3);
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return `${day} ${time}${seconds ? `:${pad(d.getUTCSeconds())}` : ""}`;
}

// Today (or offsetDays from it) as a Beijing calendar day, "2026-12-05".
export function beijingDay(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
}

export function ago(iso) {
  const min = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  if (min < 60) return `${min} 分钟前`;
  if (min < 1440) return `${Math.round(min / 60)} 小时前`;
  return `${Math.round(min / 1440)} 天前`;
}
