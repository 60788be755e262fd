// The admin portal's own pages (audit log, platform settings, users): Alpine components over
// the admin JSON API, registered for Alpine's CSP build like those in app.js.
(() => {
  const { api, pager, when } = window.Wizamart;

  /** A `YYYY-MM-DD` date input as the start of that day in the browser's time zone. */
  const dayStart = (day, plusDays = 0) => {
    const d = new Date(`${day}T00:00:00`);
    d.setDate(d.getDate() + plusDays);
    return d.toISOString();
  };

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
    window.Alpine.data('userList', userList);
    window.Alpine.data('vendorSupport', vendorSupport);
    window.Alpine.data('platformSettings', platformSettings);
    window.Alpine.data('auditLog', auditLog);
  });
})();
