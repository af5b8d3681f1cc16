// A server-paged list: rows, total, page and size, and the filters that go with them.
import { reactive } from "vue";
import { apiPage } from "./api.js";

export function usePaged(path, filters = {}, { pageSize = 20 } = {}) {
  const state = reactive({ rows: [], total: 0, page: 1, pageSize, loading: false, error: null,
                           filters: reactive({ ...filters }) });
  state.load = async () => {
    state.loading = true;
    try {
      const res = await apiPage(path, { ...state.filters, page: state.page,
                                        page_size: state.pageSize });
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
