// The pages, in menu order; `roles` limits who sees a page (everyone when absent).
import { createRouter, createWebHashHistory } from "vue-router";
import Playground from "./pages/PlaygroundPage.vue";
import Rules from "./pages/RulesPage.vue";
import Orders from "./pages/OrdersPage.vue";
import Escalations from "./pages/EscalationsPage.vue";
import Stats from "./pages/StatsPage.vue";
import Welcome from "./pages/WelcomePage.vue";
import Pipelines from "./pages/PipelinesPage.vue";
import Notifications from "./pages/NotificationsPage.vue";
import Outages from "./pages/OutagesPage.vue";
import Unanswered from "./pages/UnansweredPage.vue";
import Tokens from "./pages/TokensPage.vue";
import StaffRoles from "./pages/StaffRolesPage.vue";
import Doctor from "./pages/DoctorPage.vue";
import Customers from "./pages/CustomersPage.vue";
import ContactWays from "./pages/ContactWaysPage.vue";
import Tags from "./pages/TagsPage.vue";
import Media from "./pages/MediaPage.vue";

export const pages = [
  { path: "/playground", name: "playground", title: "演练场", component: Playground, roles: ["admin"] },
  { path: "/rules/:id?", name: "rules", title: "关键词规则", component: Rules },
  { path: "/orders/:no?", name: "orders", title: "订单", component: Orders },
  { path: "/escalations", name: "escalations", title: "转人工", component: Escalations,
    roles: ["admin", "specialist"] },
  { path: "/customers/:id?", name: "customers", title: "客户", component: Customers },
  { path: "/contact-ways/:id?", name: "contact-ways", title: "渠道活码", component: ContactWays },
  { path: "/tags", name: "tags", title: "客户标签", component: Tags },
  { path: "/media", name: "media", title: "素材库", component: Media },
  { path: "/stats", name: "stats", title: "统计", component: Stats },
  { path: "/unanswered", name: "unanswered", title: "未回答问题", component: Unanswered },
  { path: "/welcome", name: "welcome", title: "欢迎语", component: Welcome },
  { path: "/pipelines", name: "pipelines", title: "里程碑模板", component: Pipelines },
  { path: "/notifications", name: "notifications", title: "通知", component: Notifications },
  { path: "/outages", name: "outages", title: "停机补录", component: Outages,
    roles: ["admin", "specialist", "viewer"] },
  { path: "/staff-roles", name: "staff-roles", title: "成员角色", component: StaffRoles, roles: ["admin"] },
  { path: "/tokens", name: "tokens", title: "访问令牌", component: Tokens, roles: ["admin"] },
  { path: "/doctor", name: "doctor", title: "上线检查", component: Doctor, roles: ["admin"] },
];

export const allowed = (me) => pages.filter((p) => !p.roles || (me && p.roles.includes(me.role)));

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [...pages.map((p) => ({ path: p.path, name: p.name, component: p.component,
                                   meta: { title: p.title, roles: p.roles } })),
           { path: "/:rest(.*)*", name: "home", component: { render: () => null } }],
});

// Handing something from one page to the next (statistics → a prefilled rule).
export const handoff = {};
