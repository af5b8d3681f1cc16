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

// A file size as people read it: "820 KB", "1.5 MB".
export function fileSize(bytes) {
  if (bytes === null || bytes === undefined) return "";
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// UTF-8 bytes of a text (WeCom's limits are in bytes).
export const utf8Bytes = (s) => new TextEncoder().encode(s || "").length;

// A length of time as people read it: "6.2 秒", "3 分 12 秒", "1 小时 5 分", "2 天 3 小时".
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const s = Number(seconds);
  if (s < 60) return `${Math.round(s * 10) / 10} 秒`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} 分 ${whole % 60} 秒`;
  if (whole < 86400) return `${Math.floor(whole / 3600)} 小时 ${Math.floor((whole % 3600) / 60)} 分`;
  return `${Math.floor(whole / 86400)} 天 ${Math.floor((whole % 86400) / 3600)} 小时`;
}

// From one time to another in Beijing time; the end without its day when it is the same day.
export function span(start, end) {
  const a = beijing(start, { seconds: true });
  const b = beijing(end, { seconds: true });
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} – ${b.slice(11)}` : `${a} – ${b}`;
}
