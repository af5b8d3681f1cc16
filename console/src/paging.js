// A server-paged list: rows, total, page and size, and the filters that go with them.
import { reactive } from "vue";
import { apiItems, apiPage } from "./api.js";

// `items`: the endpoint answers {items, total} in its body rather than X-Total-Count.
export function usePaged(path, filters = {}, { pageSize = 20, items = false } = {}) {
  const state = reactive({ rows: [], total: 0, page: 1, pageSize, loading: false, error: null,
                           filters: reactive({ ...filters }) });
  state.load = async () => {
    state.loading = true;
    try {
      const query = { ...state.filters, page: state.page, page_size: state.pageSize };
      const res = await (items ? apiItems : apiPage)(path, query);
      state.rows = res.rows;
      state.total = res.total;
      state.error = null;
    } catch (err) {
      if (err.status !== 401) state.error = err;
    } finally {
      state.loading = false;
    }
  };
  // A changed filter starts again from the first page.
  state.search = () => { state.page = 1; return state.load(); };
  return state;
}
