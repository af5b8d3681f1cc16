// The console's entry: page modules register themselves (in this order in the menu), then boot.
import { boot } from "/admin/static/lib.js";
import "/admin/static/pages/playground.js";
import "/admin/static/pages/rules.js";
import "/admin/static/pages/orders.js";
import "/admin/static/pages/escalations.js";
import "/admin/static/pages/stats.js";
import "/admin/static/pages/welcome.js";
import "/admin/static/pages/pipelines.js";
import "/admin/static/pages/notifications.js";
import "/admin/static/pages/tokens.js";
import "/admin/static/pages/doctor.js";

boot();
