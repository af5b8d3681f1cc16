// Chinese names for the machine values the API returns.
export const ROLE = { admin: "管理员", specialist: "服务专员", viewer: "只读", erp: "ERP" };
export const CHANNEL = { kefu: "微信客服", app: "应用消息", aibot: "智能机器人", archive: "会话存档",
                         group: "客户群", survey: "满意度评价" };
export const ACTION = { reply: "回复", escalate: "转人工", offer_group: "邀请入群", order_progress: "查询订单进度",
                        tag: "打标签" };
export const CHANGE = { create: "新建", update: "修改", delete: "删除", enable: "启用", disable: "停用",
                        rollback: "回滚", import: "导入" };
export const ESC_STATUS = { open: "待认领", claimed: "处理中", resolved: "已解决" };
export const ESC_REASON = { rule: "规则", unmatched: "连续未识别", menu: "菜单", budget: "消息额度",
                            archive: "会话存档", rating: "低分评价" };
export const NOTIF_STATUS = { pending: "待发送", sent: "已发送", delivered: "已送达", failed: "失败",
                              missed: "已错过", skipped: "已跳过" };
export const WELCOME_OUTCOME = { sent: "已发送", missed: "超时未发", already_sent: "已被发过",
                                 concurrent: "其他应用在发", no_code: "无欢迎语凭证", failed: "失败",
                                 pending: "发送中", too_long: "文本过长未发" };
export const CONTACT_KIND = { contact: "添加客户", kefu: "微信客服" };
export const DOCTOR = { ok: "通过", warn: "注意", fail: "失败", skip: "跳过" };
export const MILESTONE_SOURCE = { api: "控制台", erp: "ERP", staff: "员工指令", console: "控制台",
                                  playground: "演练场", chat: "员工指令" };
// WeCom API names as people know them (notification kinds).
export const API_NAME = {
  message_send: "应用消息", kf_send_msg: "客服消息", kf_send_msg_on_event: "客服欢迎语",
  send_welcome_msg: "新客户欢迎语", add_msg_template: "群发任务", get_groupmsg_send_result: "群发结果",
  groupchat_add_join_way: "加群二维码", user_get: "成员信息",
};
// The built-in order type is "default"; others are named by whoever made them.
export const orderType = (t) => (t === "default" ? "默认" : t);
export const label = (map, key) => (key === null || key === undefined ? "" : map[key] || key);
export const TIMELINE_KIND = { milestone: "里程碑", bound: "绑定客户群", join_qr: "加群二维码",
                               joined: "成员入群", confirm_ask: "请群主确认群发", overdue: "超期提醒",
                               group_task: "群发任务", welcome: "入群欢迎", reach_ask: "请专员联系客户",
                               appointment: "提出预约",
                               appointment_chosen: "客户选定时间", appointment_declined: "客户希望换时间",
                               appointment_reminder: "预约前一天提醒", rating: "客户评价" };
// How a milestone's notice reached the customer (the timeline's reach).
export const REACH_CHANNEL = { kefu: "微信客服", group: "客户群（群发任务，待群主确认）" };
export const REACH_ASKED = { sent: "已请专员亲自联系客户", today: "今天已请专员联系过这位客户（每单每天最多一次）" };
export const APPOINTMENT_STATUS = { proposed: "等客户选择", chosen: "已选定", declined: "客户要求换时间",
                                    replaced: "已被新预约替换" };
export const RATED_ROLE = { servicer: "接待人员", specialist: "专员", designer: "设计师", installer: "安装师傅" };
export const TEAM_ROLE = { specialist: "专员", designer: "设计师", installer: "安装师傅", others: "其他成员" };
// The media library and rich messages.
export const MEDIA_KIND = { image: "图片", video: "视频", voice: "语音", file: "文件" };
// What WeCom's media/upload takes (protocol-2.md §4.1), shown beside the upload.
export const MEDIA_LIMITS = {
  image: { max: 10 * 1024 * 1024, formats: ["jpg", "jpeg", "png"], text: "JPG、PNG，最大 10 MB" },
  video: { max: 10 * 1024 * 1024, formats: ["mp4"], text: "MP4，最大 10 MB" },
  voice: { max: 2 * 1024 * 1024, formats: ["amr"], text: "AMR，最大 2 MB" },
  file: { max: 20 * 1024 * 1024, formats: null, text: "任意格式，最大 20 MB" },
};
export const ATTACHMENT_TYPE = { image: "图片", link: "链接", miniprogram: "小程序", video: "视频", file: "文件" };
// The customer record.
export const CUSTOMER_EVENT = { message_in: "客户消息", message_out: "回复客户", welcome: "欢迎语", tag: "标签",
                                contact: "联系人", group: "客户群", milestone: "里程碑", notice: "订单通知",
                                escalation: "转人工" };
export const FOLLOW_STATUS = { active: "联系中", deleted_by_staff: "成员已删除客户",
                               deleted_by_customer: "客户已删除成员", gone: "企业微信中已不存在" };
export const SYNC_STATUS = { never: "从未同步", running: "同步中", done: "已完成", failed: "失败" };
export const KF_SESSION = { 0: "未处理", 1: "智能助手接待", 2: "待接入池", 3: "人工接待", 4: "已结束" };
export const TAG_OUTCOME = { marked: "已同步到企业微信", local: "仅本系统（客户只在微信客服出现）", seen: "来自企业微信" };
// Outages and what reconciliation found (停机补录).
export const MISSED_KIND = { contact_add: "新客户添加", group_join: "入群", group_leave: "退群",
                             group_dismissed: "群解散" };
// Callback event types as people know them (what an outage lost, by type).
export const EVENT_TYPE = {
  "change_external_contact.add_external_contact": "添加客户",
  "change_external_contact.add_half_external_contact": "客户申请添加（待成员通过）",
  "change_external_contact.edit_external_contact": "编辑客户",
  "change_external_contact.del_external_contact": "成员删除客户",
  "change_external_contact.del_follow_user": "客户删除成员",
  "change_external_contact.transfer_fail": "客户接替失败",
  "change_external_contact.msg_audit_approved": "客户同意会话存档",
  "change_external_chat.create": "客户群创建",
  "change_external_chat.update": "客户群变更（入群、退群等）",
  "change_external_chat.dismiss": "客户群解散",
  change_external_tag: "企业客户标签变更",
  kf_msg_or_event: "微信客服消息通知（会重新拉取）",
  text: "成员发给应用的文字", image: "成员发给应用的图片", voice: "成员发给应用的语音",
  video: "成员发给应用的视频", location: "成员发给应用的位置", link: "成员发给应用的链接",
  click: "应用菜单点击", view: "应用菜单跳转", enter_agent: "进入应用",
  template_card_event: "模板卡片操作",
  unknown: "其他（未识别或未逐条记录）",
};
// A type not listed: its family, else the type itself.
export function eventType(t) {
  if (EVENT_TYPE[t]) return EVENT_TYPE[t];
  if (t.startsWith("aibot.")) return "智能机器人消息";
  if (t.startsWith("kf.")) return "微信客服消息";
  if (t.startsWith("change_external_contact.")) return "客户联系变更";
  if (t.startsWith("change_external_chat.")) return "客户群变更";
  return t;
}
