// The admin portal's pages (vendors, users, audit log, platform settings, support sessions):
// Alpine components over the admin JSON API, registered for Alpine's CSP build like those in
// app.js.
(() => {
  const { api, upload, pager, when } = window.Wizamart;

  /** A `YYYY-MM-DD` date input as the start of that day in the browser's time zone. */
  const dayStart = (day, plusDays = 0) => {
    const d = new Date(`${day}T00:00:00`);
    d.setDate(d.getDate() + plusDays);
    return d.toISOString();
  };

  const emptyVendor = () => ({
    code: '', name: '', subdomain: '', owner_email: '', owner_first_name: '', owner_last_name: '', description: '',
  });

  const vendorLoginPath = (vendor) => `/vendor/${vendor.code}/login`;

  const MASS_TEXT = { start_imports: 'Start Letzshop imports', activate: 'Activate', deactivate: 'Deactivate' };

  const vendorList = () => ({
    items: [], total: 0, page: 1, perPage: 20, q: '', active: '', verified: '', loading: false, loadError: '',
    showCreate: false, form: emptyVendor(), fields: {}, error: '', busy: false, created: null,
    showImport: false, importReport: null, importError: '', importJob: null, preview: null, chosenFile: null,
    selected: [], mass: null, massError: '',
    init() { this.load(); },
    isSelected(v) { return this.selected.includes(v.id); },
    toggle(v) { this.selected = this.isSelected(v) ? this.selected.filter((id) => id !== v.id) : this.selected.concat([v.id]); },
    /** Starts an action over the selected vendors (or, for imports, every vendor with a feed) and follows it. */
    async massAction(action, everyFeed) {
      if (everyFeed) await this.runMass('/api/v1/admin/vendors/mass-actions/all-feeds', {});
      else await this.runMass('/api/v1/admin/vendors/mass-actions', { action, vendor_ids: this.selected });
    },
    /** Starts the first Letzshop import of the vendors a bulk import just created. */
    async importNewVendors() {
      const ids = this.importReport.created.map((c) => c.vendor.id);
      await this.runMass('/api/v1/admin/vendors/mass-actions', { action: 'start_imports', vendor_ids: ids });
    },
    async runMass(url, body) {
      this.busy = true; this.massError = ''; this.mass = null;
      try {
        this.mass = await api('POST', url, body);
        while (this.mass.status === 'pending' || this.mass.status === 'processing') {
          await new Promise((resolve) => { setTimeout(resolve, 1000); });
          this.mass = await api('GET', `/api/v1/admin/vendors/mass-actions/${this.mass.id}`);
        }
        this.selected = [];
        await this.load();
      } catch (e) {
        this.massError = e.message;
      } finally {
        this.busy = false;
      }
    },
    massProgress() {
      const m = this.mass;
      if (!m) return '';
      const done = m.status === 'completed' || m.status === 'failed';
      return `${MASS_TEXT[m.action] || m.action}: ${m.results.length} of ${m.total} vendor(s) ${done ? 'done' : 'done so far…'}`;
    },
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
    ...pager('vendors'),
    isEmpty() { return this.items.length === 0 && !this.loading; },
    dateOf(value) { return new Date(value).toLocaleDateString(); },
    loginPath(vendor) { return vendorLoginPath(vendor); },
    fieldError(name) { return (this.fields[name] || []).join(' '); },
    /** Reads a chosen file as a dry run: what it would create and every row it would refuse. */
    async previewFile(input) {
      const file = input.files[0];
      if (!file) return;
      this.busy = true; this.importError = ''; this.importReport = null; this.importJob = null; this.preview = null;
      const data = new FormData();
      data.append('file', file);
      try {
        this.preview = await upload('/api/v1/admin/vendors/bulk-import/preview', data);
        this.chosenFile = file;
      } catch (e) {
        this.importError = e.message;
      } finally {
        this.busy = false; input.value = '';
      }
    },
    /** Imports the previewed file for real. */
    async commitImport() {
      if (!this.chosenFile) return;
      this.busy = true; this.importError = '';
      const data = new FormData();
      data.append('file', this.chosenFile);
      try {
        const answer = await upload('/api/v1/admin/vendors/bulk-import', data);
        this.preview = null; this.chosenFile = null;
        // A large file answers its background import (it has a status); a small one its report.
        if (answer.status) {
          this.importJob = answer;
          await this.followImport();
        } else {
          this.importReport = answer;
        }
        await this.search();
      } catch (e) {
        this.importError = e.message;
      } finally {
        this.busy = false;
      }
    },
    cancelPreview() { this.preview = null; this.chosenFile = null; },
    /** Asks every 2 s until the background import ends, then shows its report. */
    async followImport() {
      while (this.importJob.status === 'pending' || this.importJob.status === 'processing') {
        await new Promise((resolve) => { setTimeout(resolve, 2000); });
        this.importJob = await api('GET', `/api/v1/admin/vendors/bulk-import/${this.importJob.id}`);
      }
      if (this.importJob.status === 'failed') throw new Error(`The import failed: ${this.importJob.failure}`);
      this.importReport = { created: this.importJob.created, failed: this.importJob.failed };
    },
    importProgress() {
      const job = this.importJob;
      if (!job) return '';
      if (job.status === 'pending') return `${job.file_name}: waiting for a worker…`;
      if (job.status === 'processing') return `${job.file_name}: ${job.processed_rows} of ${job.total_rows} rows done…`;
      return `${job.file_name}: ${job.total_rows} rows done.`;
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

  /** The dashboard header's vendor switcher, for members of several vendors. */
  const auditLog = () => ({
    items: [], next: null, actor: '', vendor: '', action: '', from: '', to: '', loading: false, loadError: '',
    init() { this.search(); },
    filters() {
      const params = new URLSearchParams();
      if (this.actor) params.set('actor', this.actor);
      if (this.vendor) params.set('vendor', this.vendor);
      if (this.action) params.set('action', this.action);
      if (this.from) params.set('from', dayStart(this.from));
      if (this.to) params.set('to', dayStart(this.to, 1));
      return params;
    },
    exportHref() { return `/api/v1/admin/audit-logs/export?${this.filters()}`; },
    async fetchPage(after) {
      const params = this.filters();
      if (after) params.set('after', after);
      this.loading = true; this.loadError = '';
      try {
        return await api('GET', `/api/v1/admin/audit-logs?${params}`);
      } catch (e) {
        const field = Object.values(e.fields || {})[0];
        this.loadError = field ? `${e.message}: ${field[0]}` : `The audit log could not be loaded: ${e.message}`;
        return null;
      } finally {
        this.loading = false;
      }
    },
    async search() {
      const page = await this.fetchPage(null);
      this.items = page ? page.items : [];
      this.next = page ? page.next : null;
    },
    async more() {
      const page = await this.fetchPage(this.next);
      if (page) { this.items = this.items.concat(page.items); this.next = page.next; }
    },
    reset() { this.actor = ''; this.vendor = ''; this.action = ''; this.from = ''; this.to = ''; this.search(); },
    detailsText(e) {
      const text = JSON.stringify(e.details);
      return text === '{}' ? '' : text;
    },
    when(value) { return when(value); },
  });

  const LABELS = {
    platform_name: 'Platform name', support_email: 'Support e-mail', default_currency: 'Default currency',
    default_vat_rate_basis_points: 'Default VAT rate (basis points: 1700 = 17 %)',
    registration_open: 'Customer registration open', max_import_file_mb: 'Largest import file (MB)',
  };

  const platformSettings = () => ({
    items: [], drafts: {}, errors: {}, saved: '', busy: '', loading: true, loadError: '',
    async init() {
      try {
        this.items = await api('GET', '/api/v1/admin/settings');
        this.items.forEach((s) => { this.drafts[s.key] = String(s.value); });
      } catch (e) {
        this.loadError = `The settings could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    label(s) { return LABELS[s.key] || s.key; },
    /** The draft as the setting's type: numbers and yes/no are sent as JSON numbers and booleans. */
    typed(s) {
      const draft = this.drafts[s.key];
      if (s.kind === 'boolean') return draft === 'true';
      if (s.kind === 'integer') return draft === '' ? null : Number(draft);
      return draft;
    },
    async save(s) {
      this.busy = s.key; this.saved = ''; this.errors[s.key] = '';
      try {
        const updated = await api('PUT', `/api/v1/admin/settings/${s.key}`, { value: this.typed(s) });
        Object.assign(s, updated);
        this.drafts[s.key] = String(updated.value);
        this.saved = s.key;
      } catch (e) {
        this.errors[s.key] = (e.fields && e.fields[s.key] && `Expected ${e.fields[s.key][0]}.`) || e.message;
      } finally {
        this.busy = '';
      }
    },
    changedText(s) {
      return s.updated_at ? `Changed by ${s.updated_by || 'someone'} on ${when(s.updated_at)}` : 'Default value';
    },
  });

  /**
   * Opens a support session from a page (mixed into its component): `support` holds the
   * target while the form shows; on success the browser goes to what the person sees.
   */
  const supportForm = () => ({
    support: null, supportError: '', busy: false,
    offerSupport(vendorId, vendorName, kind, email) {
      this.support = { vendor_id: vendorId, vendor_name: vendorName, kind, email: email || '', reason: '' };
      this.supportError = '';
    },
    async startSupport() {
      this.busy = true; this.supportError = '';
      try {
        const { vendor_id, kind, email, reason } = this.support;
        const { redirect } = await api('POST', '/admin/login-as', { vendor_id, kind, email, reason: reason.trim() });
        window.location.assign(redirect);
      } catch (e) {
        const fields = Object.values(e.fields || {}).map((f) => f[0]);
        this.supportError = fields.length ? fields.join(' ') : e.message;
      } finally {
        this.busy = false;
      }
    },
  });

  const vendorSupport = () => ({
    ...supportForm(),
    openFor(vendorName) { this.offerSupport(Number(this.$root.dataset.vendorId), vendorName, 'member', ''); },
  });

  const userList = () => ({
    ...supportForm(),
    items: [], total: 0, page: 1, perPage: 20, q: '', vendor: '', active: '', admins: '',
    loading: false, loadError: '', notice: '', secret: null,
    ...pager('users'),
    init() { this.load(); },
    async load() {
      const params = new URLSearchParams({ page: this.page, per_page: this.perPage });
      if (this.q) params.set('q', this.q);
      if (this.vendor) params.set('vendor', this.vendor);
      if (this.active) params.set('is_active', this.active);
      if (this.admins) params.set('is_platform_admin', this.admins);
      this.loading = true; this.loadError = '';
      try {
        const page = await api('GET', `/api/v1/admin/users?${params}`);
        this.items = page.items; this.total = page.total;
      } catch (e) {
        this.loadError = `The users could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    /** Runs one change on a user and puts the answer in its row. */
    async change(u, method, path, body, done) {
      this.busy = true; this.notice = ''; this.loadError = '';
      try {
        const answer = await api(method, `/api/v1/admin/users/${u.id}/${path}`, body);
        Object.assign(u, answer.user || answer);
        this.notice = done;
        return answer;
      } catch (e) {
        this.loadError = e.message;
        return null;
      } finally {
        this.busy = false;
      }
    },
    async setActive(u, active) {
      if (!active && !window.confirm(`Switch off ${u.email}? They are signed out everywhere at once.`)) return;
      await this.change(u, 'PUT', 'status', { is_active: active }, `${u.email} is ${active ? 'active again' : 'switched off'}.`);
    },
    async setAdmin(u, admin) {
      const question = admin ? `Make ${u.email} a platform admin?` : `Revoke ${u.email}'s platform admin rights?`;
      if (!window.confirm(question)) return;
      await this.change(u, 'PUT', 'admin', { is_platform_admin: admin }, `${u.email} is ${admin ? 'now' : 'no longer'} a platform admin.`);
    },
    async resetPassword(u) {
      if (!window.confirm(`Give ${u.email} a temporary password? Their current one stops working.`)) return;
      const answer = await this.change(u, 'POST', 'password-reset', {}, '');
      if (answer) this.secret = answer;
    },
    /** The teams the user can be signed in to for support (active member, active account). */
    supportable(u) { return u.is_active ? u.memberships.filter((m) => m.is_active) : []; },
    when(value) { return when(value); },
  });

  document.addEventListener('alpine:init', () => {
    window.Alpine.data('vendorList', vendorList);
    window.Alpine.data('vendorDetail', vendorDetail);
    window.Alpine.data('userList', userList);
    window.Alpine.data('vendorSupport', vendorSupport);
    window.Alpine.data('platformSettings', platformSettings);
    window.Alpine.data('auditLog', auditLog);
  });
})();
