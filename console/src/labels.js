// Chinese names for the machine values the API returns.
export const ROLE = { admin: "管理员", specialist: "服务专员", viewer: "只读", erp: "ERP" };
export const CHANNEL = { kefu: "微信客服", app: "应用消息", aibot: "智能机器人", archive: "会话存档",
                         group: "客户群" };
export const ACTION = { reply: "回复", escalate: "转人工", offer_group: "邀请入群" };
export const CHANGE = { create: "新建", update: "修改", delete: "删除", enable: "启用", disable: "停用",
                        rollback: "回滚", import: "导入" };
export const ESC_STATUS = { open: "待认领", claimed: "处理中", resolved: "已解决" };
export const ESC_REASON = { rule: "规则", unmatched: "连续未识别", menu: "菜单", budget: "消息额度",
                            archive: "会话存档" };
export const NOTIF_STATUS = { pending: "待发送", sent: "已发送", delivered: "已送达", failed: "失败",
                              missed: "已错过", skipped: "已跳过" };
export const WELCOME_OUTCOME = { sent: "已发送", missed: "超时未发", already_sent: "已被发过",
                                 concurrent: "其他应用在发", no_code: "无欢迎语凭证", failed: "失败",
                                 pending: "发送中", too_long: "文本过长未发" };
export const CONTACT_KIND = { contact: "添加客户", kefu: "微信客服" };
export const DOCTOR = { ok: "通过", warn: "注意", fail: "失败", skip: "跳过" };
export const MILESTONE_SOURCE = { api: "控制台", erp: "ERP", staff: "员工指令", console: "控制台",
                                  playground: "演练场" };
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
                               group_task: "群发任务" };
export const TEAM_ROLE = { specialist: "专员", designer: "设计师", installer: "安装师傅", others: "其他成员" };
