// The admin portal's own pages (audit log, platform settings, users): Alpine components over
// the admin JSON API, registered for Alpine's CSP build like those in app.js.
(() => {
  const { api, when } = window.Wizamart;

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

  document.addEventListener('alpine:init', () => {
    window.Alpine.data('auditLog', auditLog);
  });
})();
