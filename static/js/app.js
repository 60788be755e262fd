// Wizamart page helpers: JSON calls carrying the CSRF token, and the Alpine components the
// admin and vendor pages use, registered with Alpine.data for Alpine's CSP build (no inline
// script, no eval: see static/vendor/alpinejs-csp/README.md). Server values come in through
// data-* attributes. No build step: this file is served as it is.
(() => {
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? '';

  /** Calls the JSON API; throws an Error with the server's `detail` and `fields` on failure. */
  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return answer(response, url);
  }

  /** Posts a multipart form (file uploads) to the API. */
  async function upload(url, formData) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrf() },
      body: formData,
    });
    return answer(response, url);
  }

  async function answer(response, url) {
    if (response.status === 204) return null;
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      // An expired session: reloading lets the server renew it or send us to the login page.
      if (response.status === 401 && !url.endsWith('/login')) window.location.reload();
      const error = new Error(data.detail || `The request failed (${response.status}).`);
      Object.assign(error, { status: response.status, code: data.error_code, fields: data.fields || {} });
      throw error;
    }
    return data;
  }

  const logoutButton = () => ({
    async signOut() {
      const { redirect } = await api('POST', this.$root.dataset.url);
      window.location.assign(redirect);
    },
  });

  const loginForm = () => ({
    email: '', password: '', error: '', busy: false,
    async submit() {
      this.busy = true; this.error = '';
      try {
        const { redirect } = await api('POST', this.$root.dataset.url, { email: this.email, password: this.password });
        window.location.assign(redirect);
      } catch (e) {
        this.error = e.message;
      } finally {
        this.busy = false;
      }
    },
  });

  const emptyVendor = () => ({
    code: '', name: '', subdomain: '', owner_email: '', owner_first_name: '', owner_last_name: '', description: '',
  });

  const vendorLoginPath = (vendor) => `/vendor/${vendor.code}/login`;

  const vendorList = () => ({
    items: [], total: 0, page: 1, perPage: 20, q: '', active: '', verified: '', loading: false, loadError: '',
    showCreate: false, form: emptyVendor(), fields: {}, error: '', busy: false, created: null,
    showImport: false, importReport: null, importError: '',
    init() { this.load(); },
    async load() {
      this.loading = true;
      const params = new URLSearchParams({ page: this.page, per_page: this.perPage });
      if (this.q.trim()) params.set('q', this.q.trim());
      if (this.active) params.set('is_active', this.active);
      if (this.verified) params.set('is_verified', this.verified);
      try {
        const data = await api('GET', `/api/v1/admin/vendors?${params}`);
        Object.assign(this, { items: data.items, total: data.total, loadError: '' });
      } catch (e) {
        this.loadError = e.message;
      } finally {
        this.loading = false;
      }
    },
    search() { this.page = 1; return this.load(); },
    pages() { return Math.max(1, Math.ceil(this.total / this.perPage)); },
    pagerText() { return `Page ${this.page} of ${this.pages()} · ${this.total} vendors`; },
    hasPrevious() { return this.page > 1; },
    hasNext() { return this.page < this.pages(); },
    previous() { if (this.hasPrevious()) { this.page -= 1; this.load(); } },
    next() { if (this.hasNext()) { this.page += 1; this.load(); } },
    isEmpty() { return this.items.length === 0 && !this.loading; },
    dateOf(value) { return new Date(value).toLocaleDateString(); },
    loginPath(vendor) { return vendorLoginPath(vendor); },
    fieldError(name) { return (this.fields[name] || []).join(' '); },
    async importFile(input) {
      const file = input.files[0];
      if (!file) return;
      this.busy = true; this.importError = ''; this.importReport = null;
      const data = new FormData();
      data.append('file', file);
      try {
        this.importReport = await upload('/api/v1/admin/vendors/bulk-import', data);
        await this.search();
      } catch (e) {
        this.importError = e.message;
      } finally {
        this.busy = false; input.value = '';
      }
    },
    async create() {
      this.busy = true; this.error = ''; this.fields = {};
      const body = Object.fromEntries(Object.entries(this.form).filter(([k, v]) => v.trim() !== '' || k === 'code'));
      try {
        this.created = await api('POST', '/api/v1/admin/vendors', body);
        this.form = emptyVendor();
        this.showCreate = false;
        await this.search();
      } catch (e) {
        this.error = e.message; this.fields = e.fields || {};
      } finally {
        this.busy = false;
      }
    },
  });

  const vendorDetail = () => ({
    vendor: null, error: '',
    init() { this.load(); },
    url(path = '') { return `/api/v1/admin/vendors/${this.$root.dataset.vendorId}${path}`; },
    async load() {
      try { this.vendor = await api('GET', this.url()); } catch (e) { this.error = e.message; }
    },
    ownerLine() {
      const o = this.vendor.owner;
      return `${o.first_name} ${o.last_name} <${o.email}>`.trim();
    },
    loginPath() { return vendorLoginPath(this.vendor); },
    async change(path, body) {
      try { await api('PUT', this.url(path), body); await this.load(); } catch (e) { this.error = e.message; }
    },
    toggleVerified() { return this.change('/verify', { is_verified: !this.vendor.is_verified }); },
    toggleActive() { return this.change('/status', { is_active: !this.vendor.is_active }); },
    async remove() {
      if (!window.confirm(`Delete ${this.vendor.name}? Its shop and dashboard close for good.`)) return;
      try { await api('DELETE', this.url()); window.location.assign('/admin/vendors'); } catch (e) { this.error = e.message; }
    },
  });

  document.addEventListener('alpine:init', () => {
    window.Alpine.data('logoutButton', logoutButton);
    window.Alpine.data('loginForm', loginForm);
    window.Alpine.data('vendorList', vendorList);
    window.Alpine.data('vendorDetail', vendorDetail);
  });
})();
