// A rule (the keywords rule format) ⇄ the form's model: every field has a place in the
// form, empty ones are left out of the rule, and anything the form does not know is kept.

export const TERM_KINDS = [
  ["any", "任一关键词", "出现其中任何一个词（按词语匹配）"],
  ["all", "全部关键词", "这些词都出现"],
  ["contains", "包含文字", "原文里包含这些文字（不分词）"],
  ["exact", "完全一致", "整句话就是这些之一"],
  ["regex", "正则表达式", "匹配这些正则"],
  ["exclude", "排除词", "出现这些词就不命中"],
  ["menu_id", "菜单点击", "客户点了这些菜单编号"],
];
export const MESSAGE_TYPES = [["text", "文本"], ["image", "图片"], ["link", "图文链接"],
                              ["miniprogram", "小程序"], ["menu", "菜单"], ["file", "文件"], ["video", "视频"]];
export const MENU_ITEM_TYPES = [["click", "回复菜单"], ["view", "网页链接"], ["miniprogram", "小程序"]];
export const TEXT_LIMIT = 2048; // WeCom's limit for a kf text, in UTF-8 bytes
const KNOWN = ["id", "name", "priority", "channels", "scope", "when", "hours", "applies",
               "cooldown_seconds", "action", "replies", "tag"];
export const SCOPE_KEYS = ["open_kfid", "chat_id", "userid", "tag"];

export const bytes = (s) => new TextEncoder().encode(s || "").length;

function blankMessage(type = "text") {
  // media / pic_media: a media library file (素材库), by its number.
  return { type, text: "", url: "", media_id: "", media: null, title: "", desc: "", picurl: "", pic_media: null,
           appid: "", pagepath: "", thumb_media_id: "", head: "", tail: "",
           items: [{ type: "click", id: "", content: "", url: "", appid: "", pagepath: "" }] };
}
export const newMessage = blankMessage;
export const newMenuItem = () => ({ type: "click", id: "", content: "", url: "", appid: "", pagepath: "" });

function messageOf(m) {
  const [type] = Object.keys(m);
  const body = m[type];
  const out = blankMessage(type);
  if (type === "text") out.text = body;
  else if (type === "menu") {
    out.head = body.head || "";
    out.tail = body.tail || "";
    out.items = (body.items || []).map((it) => {
      const [kind] = Object.keys(it);
      return { ...newMenuItem(), type: kind, ...it[kind] };
    });
  } else Object.assign(out, body);
  return out;
}

export function toForm(rule) {
  const when = rule.when || {};
  const hours = rule.hours || null;
  return {
    id: rule.id || "", name: rule.name || "", priority: rule.priority ?? 50,
    cooldown_seconds: rule.cooldown_seconds ?? 0, action: rule.action || "reply",
    channels: [...(rule.channels || [])],
    scope: Object.fromEntries(SCOPE_KEYS.map((k) => [k, [...((rule.scope || {})[k] || [])]])),
    tag: [...(rule.tag || [])],
    when: Object.fromEntries(TERM_KINDS.map(([k]) => [k, [...(when[k] || [])]])),
    fuzzy: when.fuzzy || "",
    hoursOn: Boolean(hours),
    hours: { from: hours?.from || "09:00", to: hours?.to || "18:00", days: hours?.days || "mon-fri",
             holidays: hours ? hours.holidays === "cn" : true },
    applies: rule.applies || "inside_hours",
    mode: (rule.replies || {}).mode || "all",
    messages: ((rule.replies || {}).messages || []).map(messageOf),
    extra: Object.fromEntries(Object.entries(rule).filter(([k]) => !KNOWN.includes(k))),
  };
}

const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o[k]).map((k) => [k, o[k]]));

function messageTo(m) {
  if (m.type === "text") return { text: m.text };
  if (m.type === "image") {
    return { image: m.media ? { media: m.media } : m.media_id ? { media_id: m.media_id } : { url: m.url } };
  }
  if (m.type === "file" || m.type === "video") return { [m.type]: { media: m.media } };
  if (m.type === "link") return { link: pick(m, ["title", "url", "desc", m.pic_media ? "pic_media" : "picurl"]) };
  if (m.type === "miniprogram") {
    return { miniprogram: pick(m, ["appid", "pagepath", "title", m.pic_media ? "pic_media" : "thumb_media_id"]) };
  }
  return { menu: { ...pick(m, ["head", "tail"]), items: m.items.map((it) => ({
    [it.type]: pick(it, it.type === "click" ? ["id", "content"] : it.type === "view" ? ["url", "content"]
      : ["appid", "pagepath", "content"]) })) } };
}

export function toRule(f) {
  const rule = { ...f.extra, id: f.id.trim(), name: f.name, priority: Number(f.priority), action: f.action };
  if (Number(f.cooldown_seconds)) rule.cooldown_seconds = Number(f.cooldown_seconds);
  if (f.channels.length) rule.channels = [...f.channels];
  if (f.tag.length) rule.tag = [...f.tag];
  const scope = Object.fromEntries(Object.entries(f.scope).filter(([, v]) => v.length));
  if (Object.keys(scope).length) rule.scope = scope;
  rule.when = Object.fromEntries(Object.entries(f.when).filter(([, v]) => v.length));
  if (f.fuzzy) rule.when.fuzzy = f.fuzzy;
  if (f.hoursOn) {
    rule.hours = { from: f.hours.from, to: f.hours.to, holidays: f.hours.holidays ? "cn" : "none" };
    if (f.hours.days) rule.hours.days = f.hours.days;
    rule.applies = f.applies;
  }
  if (f.messages.length || f.action === "reply") {
    rule.replies = { messages: f.messages.map(messageTo) };
    if (f.mode !== "all") rule.replies.mode = f.mode;
  }
  return rule;
}

// Problems the form can see before saving (the server checks everything again).
export function formProblems(f) {
  const out = [];
  f.messages.forEach((m, i) => {
    if (m.type === "text" && bytes(m.text) > TEXT_LIMIT) {
      out.push({ field: `replies.messages[${i}].text`,
                 message: `第 ${i + 1} 条回复超过企业微信上限 ${TEXT_LIMIT} 字节（当前 ${bytes(m.text)} 字节）` });
    }
  });
  return out;
}
