// The WeCom directory (members the app sees), read once per page load and shared by every
// picker and list that shows members by name.
import { reactive } from "vue";
import { api } from "./api.js";

export const directory = reactive({ members: [], names: {}, error: "", loaded: false });
let loading = null;

export function loadDirectory() {
  if (!loading) {
    loading = api("/directory/members").then((members) => {
      directory.members = members;
      directory.names = Object.fromEntries(members.map((m) => [m.userid, m.name]));
      directory.error = "";
      directory.loaded = true;
      return members;
    }).catch((err) => { loading = null; directory.error = err.message; return []; });
  }
  return loading;
}

// 「张伟」 for a userid the directory knows, else the userid itself.
export const staffName = (userid) => directory.names[userid] || userid;
