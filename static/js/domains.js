// Custom domains: the vendor's page (add, see the DNS record, check, remove) and the admin's
// list of every vendor's domains. Alpine components over the domains API.
(() => {
  const { api, pager, when } = window.Wizamart;

  const domainSettings = () => ({
    items: [], domain: '', loading: true, loadError: '', error: '', notice: '', busy: false,
    async init() {
      try {
        this.items = await api('GET', '/api/v1/vendor/domains');
      } catch (e) {
        this.loadError = `Your domains could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    async run(work) {
      this.busy = true; this.error = ''; this.notice = '';
      try {
        await work();
      } catch (e) {
        const fields = Object.values(e.fields || {}).map((f) => f[0]);
        this.error = fields.length ? fields.join(' ') : e.message;
      } finally {
        this.busy = false;
      }
    },
    add() {
      return this.run(async () => {
        const added = await api('POST', '/api/v1/vendor/domains', { domain: this.domain });
        this.items.push(added);
        this.domain = '';
        this.notice = `Added ${added.domain}. Now create its DNS record, then check it.`;
      });
    },
    check(d) {
      return this.run(async () => {
        Object.assign(d, await api('POST', `/api/v1/vendor/domains/${d.id}/check`, {}));
        this.notice = d.status === 'verified' ? `${d.domain} now opens your shop.` : `${d.domain}: the record was not found yet.`;
      });
    },
    remove(d) {
      if (!window.confirm(`Remove ${d.domain}? It stops opening your shop at once.`)) return null;
      return this.run(async () => {
        await api('DELETE', `/api/v1/vendor/domains/${d.id}`);
        this.items = this.items.filter((x) => x.id !== d.id);
        this.notice = `${d.domain} removed.`;
      });
    },
    when(value) { return when(value); },
  });

  const adminDomains = () => ({
    items: [], total: 0, page: 1, perPage: 20, verified: '', loading: false, loadError: '', notice: '', busy: false,
    ...pager('domains'),
    init() { this.load(); },
    async load() {
      const params = new URLSearchParams({ page: this.page, per_page: this.perPage });
      if (this.verified) params.set('verified', this.verified);
      this.loading = true; this.loadError = '';
      try {
        const page = await api('GET', `/api/v1/admin/domains?${params}`);
        this.items = page.items; this.total = page.total;
      } catch (e) {
        this.loadError = `The domains could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    async act(work, done) {
      this.busy = true; this.notice = ''; this.loadError = '';
      try {
        await work();
        this.notice = done;
      } catch (e) {
        this.loadError = e.message;
      } finally {
        this.busy = false;
      }
    },
    verify(d, force) {
      if (force && !window.confirm(`Verify ${d.domain} without its DNS record? It opens ${d.vendor_code}'s shop at once.`)) return null;
      return this.act(async () => {
        Object.assign(d, await api('POST', `/api/v1/admin/domains/${d.id}/verify`, { force }));
      }, `${d.domain}: ${force ? 'verified' : 'checked'}.`);
    },
    remove(d) {
      if (!window.confirm(`Remove ${d.domain} from ${d.vendor_code}?`)) return null;
      return this.act(async () => {
        await api('DELETE', `/api/v1/admin/domains/${d.id}`);
        this.items = this.items.filter((x) => x.id !== d.id);
      }, `${d.domain} removed.`);
    },
    when(value) { return when(value); },
  });

  document.addEventListener('alpine:init', () => {
    window.Alpine.data('domainSettings', domainSettings);
    window.Alpine.data('adminDomains', adminDomains);
  });
})();
