// The corp's tags (as last read from WeCom), shared by the pickers and lists of a page.
import { reactive } from "vue";
import { api } from "./api.js";

export const corpTags = reactive({ groups: [], byId: {}, error: "", loaded: false });
let loading = null;

export function loadTags(again = false) {
  if (!loading || again) {
    loading = api("/tags").then((groups) => {
      corpTags.groups = groups;
      corpTags.byId = Object.fromEntries(groups.flatMap((g) => g.tags.map((t) => [t.tag_id, t])));
      corpTags.error = "";
      corpTags.loaded = true;
      return groups;
    }).catch((err) => { loading = null; corpTags.error = err.message; return []; });
  }
  return loading;
}

// How a rule names a tag: its name when no other tag has it, else "组名/标签名".
export function tagRef(tag) {
  const same = corpTags.groups.flatMap((g) => g.tags).filter((t) => t.name === tag.name);
  return same.length > 1 ? `${tag.group_name}/${tag.name}` : tag.name;
}

export const tagName = (tagId) => (corpTags.byId[tagId] ? corpTags.byId[tagId].name : tagId);
