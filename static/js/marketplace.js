// The Letzshop import pages: the vendor's imports (feed addresses, starting imports, live
// progress, error reports), the staged-product browser with its publish dialog, the admin's
// list of every vendor's imports, and the admin's list of background jobs. Shared helpers come from app.js (window.Wizamart).
(() => {
  const { api, upload, pager, money, toCents, centsToText, when } = window.Wizamart;

  const LANGUAGE_NAMES = { fr: 'French', de: 'German', en: 'English' };
  const STATUS_TEXT = {
    pending: 'waiting', processing: 'importing', completed: 'done',
    completed_with_errors: 'done, with bad rows', failed: 'failed', cancelled: 'cancelled',
  };
  const AVAILABILITY_TEXT = {
    in_stock: 'in stock', out_of_stock: 'out of stock', preorder: 'preorder', backorder: 'backorder',
  };
  const FIELD_TEXT = {
    price: 'price', sale_price: 'sale price', currency: 'currency', brand: 'brand', gtin: 'GTIN',
    condition: 'condition', images: 'images', title: 'title', description: 'description',
  };
  /** How often the import lists ask again while an import runs. */
  const POLL_MS = 2000;

  const isRunning = (job) => ['pending', 'processing', 'queued', 'running'].includes(job.status);
  const JOB_STATUS_TEXT = { queued: 'waiting', running: 'running', succeeded: 'done', failed: 'failed', cancelled: 'cancelled' };

  /** What an import list row shows; shared by the vendor's and the admin's lists. */
  const importRow = {
    statusText(job) { return STATUS_TEXT[job.status] || job.status; },
    statusClass(job) {
      if (job.status === 'completed') return 'ok';
      if (job.status === 'failed' || job.status === 'completed_with_errors') return 'off';
      return '';
    },
    languageName(job) { return LANGUAGE_NAMES[job.language] || job.language; },
    progressText(job) {
      if (job.status === 'pending') return 'waiting for a worker…';
      const rows = job.processed_rows.toLocaleString();
      return isRunning(job) ? `${rows} rows read…` : `${job.total_rows.toLocaleString()} rows`;
    },
    countsText(job) {
      return `${job.created_count} new · ${job.updated_count} changed · ${job.unchanged_count} unchanged`;
    },
    when(value) { return value ? when(value) : ''; },
  };

  /**
   * A list of imports (from the component's `listUrl()`) that reloads itself every POLL_MS
   * while one of them runs, and stops when the component leaves the page.
   */
  const pollingList = (what) => ({
    timer: null,
    /** `quietly`: a poll, which keeps the list on screen instead of showing "Loading". */
    async load(quietly = false) {
      if (!quietly) this.loading = true;
      try {
        const data = await api('GET', this.listUrl());
        Object.assign(this, { items: data.items, total: data.total, loadError: '' });
      } catch (e) {
        this.loadError = `${what} could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
        this.schedule();
      }
    },
    isEmpty() { return this.items.length === 0 && !this.loading && !this.loadError; },
    schedule() {
      clearTimeout(this.timer);
      if (this.items.some(isRunning)) this.timer = setTimeout(() => this.load(true), POLL_MS);
    },
    destroy() { clearTimeout(this.timer); },
  });

  const emptyUrls = () => ({ fr: '', de: '', en: '' });

  const marketplacePage = () => ({
    items: [], total: 0, page: 1, perPage: 20, loading: false, loadError: '', notice: '', error: '', fields: {},
    urls: emptyUrls(), savedUrls: emptyUrls(), configError: '', saving: false,
    language: 'fr', sourceUrl: '', busy: false,
    report: null, reportRows: [], reportTotal: 0, reportPage: 1, reportError: '', reportLoading: false,
    ...pager('imports'),
    ...importRow,
    ...pollingList('Your imports'),
    init() {
      this.load();
      if (this.$root.dataset.canConfigure === 'true') this.loadConfig();
    },
    listUrl() { return `/api/v1/vendor/marketplace/jobs?page=${this.page}&per_page=${this.perPage}`; },
    async loadConfig() {
      try {
        const { csv_urls: urls } = await api('GET', '/api/v1/vendor/marketplace/config');
        this.urls = { fr: urls.fr || '', de: urls.de || '', en: urls.en || '' };
        this.savedUrls = { ...this.urls };
      } catch (e) {
        this.configError = `Your feed addresses could not be loaded: ${e.message}`;
      }
    },
    hasSavedUrls() { return Object.values(this.savedUrls).some((u) => u); },
    fieldError(name) { return (this.fields[name] || []).join(' '); },
    async saveConfig() {
      this.saving = true; this.configError = ''; this.fields = {}; this.notice = '';
      const csvUrls = Object.fromEntries(Object.entries(this.urls).filter(([, u]) => u.trim()).map(([l, u]) => [l, u.trim()]));
      try {
        await api('PUT', '/api/v1/vendor/marketplace/config', { csv_urls: csvUrls });
        this.savedUrls = { ...emptyUrls(), ...csvUrls };
        this.notice = 'Feed addresses saved.';
      } catch (e) {
        this.configError = e.message;
        this.fields = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k.replace('csv_urls.', ''), v]));
      } finally {
        this.saving = false;
      }
    },
    /** Runs a start action, then shows the new imports at the top of the list. */
    async starting(action, done) {
      this.busy = true; this.error = ''; this.notice = '';
      try {
        await action();
        this.notice = done;
        this.page = 1;
        await this.load();
      } catch (e) {
        this.error = e.message;
      } finally {
        this.busy = false;
      }
    },
    importAll() {
      return this.starting(() => api('POST', '/api/v1/vendor/marketplace/import-all'),
        'Imports started, one per language. Their progress shows below.');
    },
    importUrl() {
      if (!this.sourceUrl.trim()) { this.error = 'Enter the address of a feed, starting with https://.'; return null; }
      return this.starting(async () => {
        await api('POST', '/api/v1/vendor/marketplace/import', { source_url: this.sourceUrl.trim(), language: this.language });
        this.sourceUrl = '';
      }, 'Import started. Its progress shows below.');
    },
    importFile() {
      const input = this.$refs.file;
      const file = input.files[0];
      if (!file) { this.error = 'Choose a CSV file first.'; return null; }
      const data = new FormData();
      data.append('file', file);
      return this.starting(async () => {
        await upload(`/api/v1/vendor/marketplace/import/upload?language=${this.language}`, data);
        input.value = '';
      }, `${file.name} uploaded. Its import shows below.`);
    },
    isRunning(job) { return isRunning(job); },
    async cancel(job) {
      if (!window.confirm('Stop this import? What it has already staged stays.')) return;
      try {
        await api('POST', `/api/v1/vendor/marketplace/jobs/${job.id}/cancel`);
        await this.load(true);
      } catch (e) {
        this.error = e.message;
      }
    },
    async openReport(job) {
      this.report = job; this.reportPage = 1;
      this.$refs.report.showModal();
      await this.loadReport();
    },
    async loadReport() {
      this.reportLoading = true; this.reportError = '';
      try {
        const data = await api('GET', `/api/v1/vendor/marketplace/jobs/${this.report.id}/errors?page=${this.reportPage}&per_page=50`);
        Object.assign(this, { reportRows: data.items, reportTotal: data.total });
      } catch (e) {
        this.reportError = `The bad rows could not be loaded: ${e.message}`;
      } finally {
        this.reportLoading = false;
      }
    },
    reportMore(by) { this.reportPage += by; this.loadReport(); },
    reportHasMore() { return this.reportPage * 50 < this.reportTotal; },
    reportKept() {
      const count = this.report ? this.report.error_count : 0;
      return count > this.reportTotal ? `The first ${this.reportTotal.toLocaleString()} of ${count.toLocaleString()} are kept.` : '';
    },
    closeReport() { this.$refs.report.close(); this.report = null; },
  });

  /** The texts of a staged product in the order the page shows them. */
  const textIn = (product, language) =>
    product.translations.find((t) => t.language === language) || product.translations[0] || { title: '', description: '' };

  const stagedBrowser = () => ({
    items: [], total: 0, page: 1, perPage: 20, loading: false, loadError: '', notice: '', requests: 0,
    q: '', brand: '', availability: '', language: '', published: 'false', missing: '',
    selected: [], chosen: {}, detail: null, detailError: '', resetting: false,
    publishForm: { activate: true, stock: false, units: 1, rows: [] }, publishError: '', publishing: false, result: null,
    ...pager('staged products'),
    init() { this.load(); },
    async load() {
      const mine = ++this.requests;
      this.loading = true;
      const params = new URLSearchParams({ page: this.page, per_page: this.perPage });
      for (const [key, value] of [['q', this.q.trim()], ['brand', this.brand.trim()], ['availability', this.availability],
        ['language', this.language], ['published', this.published], ['missing', this.missing]]) {
        if (value) params.set(key, value);
      }
      try {
        const data = await api('GET', `/api/v1/vendor/marketplace/products?${params}`);
        if (mine !== this.requests) return;
        Object.assign(this, { items: data.items, total: data.total, loadError: '' });
        for (const p of data.items) if (this.isSelected(p.id)) this.chosen[p.id] = p;
      } catch (e) {
        if (mine === this.requests) this.loadError = `The staged products could not be loaded: ${e.message}`;
      } finally {
        if (mine === this.requests) this.loading = false;
      }
    },
    isEmpty() { return this.items.length === 0 && !this.loading && !this.loadError; },
    filtered() { return Boolean(this.q.trim() || this.brand.trim() || this.availability || this.language || this.published || this.missing); },
    titleOf(p) { return textIn(p, this.language || 'fr').title || p.external_id; },
    priceOf(p) {
      return p.sale_price_cents === null ? money(p.price_cents, p.currency) : `${money(p.sale_price_cents, p.currency)} (sale)`;
    },
    availabilityText(p) { return AVAILABILITY_TEXT[p.availability] || p.availability; },
    productPath(p) { return `/vendor/${this.$root.dataset.vendor}/products/${p.product_id}`; },
    isSelected(id) { return this.selected.includes(id); },
    toggle(p) {
      if (this.isSelected(p.id)) {
        this.selected = this.selected.filter((s) => s !== p.id);
        delete this.chosen[p.id];
      } else {
        this.selected = [...this.selected, p.id];
        this.chosen[p.id] = p;
      }
    },
    selectable() { return this.items.filter((p) => p.product_id === null); },
    allSelected() { const s = this.selectable(); return s.length > 0 && s.every((p) => this.isSelected(p.id)); },
    toggleAll() {
      const all = this.allSelected();
      for (const p of this.selectable()) if (this.isSelected(p.id) === all) this.toggle(p);
    },
    clearSelection() { this.selected = []; this.chosen = {}; },
    selectedText() { return `${this.selected.length} selected`; },
    chosenList() { return this.selected.map((id) => this.chosen[id]).filter(Boolean); },
    openPublish() {
      const rows = this.chosenList().map((p) => ({
        id: p.id, name: this.titleOf(p), feedPrice: this.priceOf(p), placeholder: centsToText(p.price_cents), price: '', title: '',
        externalId: p.external_id, sku: '',
      }));
      this.publishForm = { activate: true, stock: false, units: 1, rows };
      this.publishError = ''; this.result = null;
      this.$refs.publish.showModal();
    },
    closePublish() { this.$refs.publish.close(); },
    /** The request body, or null with a message when an entry is not usable. */
    publishBody() {
      const overrides = {};
      for (const o of this.publishForm.rows) {
        const change = {};
        if (o.price.trim()) {
          const cents = toCents(o.price);
          if (Number.isNaN(cents)) { this.publishError = `Enter prices like 19.99 (${o.price} is not one).`; return null; }
          change.price_cents = cents;
        }
        if (o.title.trim()) change.title = o.title.trim();
        if (o.sku.trim()) change.sku = o.sku.trim();
        if (Object.keys(change).length) overrides[o.id] = change;
      }
      const body = { ids: this.selected, overrides, activate: this.publishForm.activate };
      if (this.publishForm.stock) {
        const units = Number(this.publishForm.units);
        if (!Number.isInteger(units) || units < 0) { this.publishError = 'Enter a whole number of units, 0 or more.'; return null; }
        body.initial_stock = units;
      }
      return body;
    },
    async publish() {
      this.publishError = '';
      const body = this.publishBody();
      if (!body) return;
      this.publishing = true;
      try {
        this.result = await api('POST', '/api/v1/vendor/marketplace/products/publish', body);
        const done = new Set([...this.result.published.map((p) => p.id), ...this.result.already_published]);
        this.selected = this.selected.filter((id) => !done.has(id));
        for (const id of done) delete this.chosen[id];
        const n = this.result.published.length;
        this.notice = `${n} product${n === 1 ? '' : 's'} published to your catalogue.`;
        await this.load();
      } catch (e) {
        this.publishError = e.message;
      } finally {
        this.publishing = false;
      }
    },
    failedTitle(failure) { const p = this.chosen[failure.id]; return p ? this.titleOf(p) : `#${failure.id}`; },
    async openDetail(p) {
      this.detail = null; this.detailError = '';
      this.$refs.detail.showModal();
      try {
        this.detail = await api('GET', `/api/v1/vendor/marketplace/products/${p.id}`);
      } catch (e) {
        this.detailError = `This product could not be loaded: ${e.message}`;
      }
    },
    closeDetail() { this.$refs.detail.close(); },
    languageName(language) { return LANGUAGE_NAMES[language] || language; },
    rawRows(text) { return Object.entries(text.raw || {}); },
    fieldText(field) { return FIELD_TEXT[field] || field; },
    overriddenList() { return this.detail.overridden || []; },
    overriddenText() { return this.overriddenList().map((f) => FIELD_TEXT[f] || f).join(', '); },
    resetField(field) { return this.reset([field]); },
    resetAll() { return this.reset(null); },
    async reset(fields) {
      this.resetting = true; this.detailError = '';
      try {
        this.detail = await api('POST', `/api/v1/vendor/marketplace/products/${this.detail.id}/reset`, fields ? { fields } : {});
        this.notice = 'The feed\'s values are back; re-imports keep them up to date again.';
      } catch (e) {
        this.detailError = e.message;
      } finally {
        this.resetting = false;
      }
    },
    when(value) { return when(value); },
    money(cents, currency) { return money(cents, currency); },
  });

  const adminImports = () => ({
    items: [], total: 0, page: 1, perPage: 20, status: '', vendor: '', vendors: [], loading: false, loadError: '',
    ...pager('imports'),
    ...importRow,
    ...pollingList('The imports'),
    init() {
      this.load();
      api('GET', '/api/v1/admin/vendors?per_page=100').then((d) => { this.vendors = d.items; }).catch(() => {});
    },
    listUrl() {
      const params = new URLSearchParams({ page: this.page, per_page: this.perPage });
      if (this.status) params.set('status', this.status);
      if (this.vendor) params.set('vendor', this.vendor);
      return `/api/v1/admin/marketplace-import-jobs?${params}`;
    },
    vendorPath(job) { return `/admin/vendors/${job.vendor_id}`; },
  });

  const adminJobs = () => ({
    items: [], total: 0, page: 1, perPage: 20, status: '', kind: '', loading: false, loadError: '',
    ...pager('jobs'),
    ...pollingList('The jobs'),
    init() { this.load(); },
    listUrl() {
      const params = new URLSearchParams({ page: this.page, per_page: this.perPage });
      if (this.status) params.set('status', this.status);
      if (this.kind) params.set('kind', this.kind);
      return `/api/v1/admin/jobs?${params}`;
    },
    jobStatusText(job) { return JOB_STATUS_TEXT[job.status] || job.status; },
    jobClass(job) { return { succeeded: 'ok', failed: 'off' }[job.status] || ''; },
    vendorPath(job) { return `/admin/vendors/${job.vendor_id}`; },
    when(value) { return when(value); },
  });

  document.addEventListener('alpine:init', () => {
    window.Alpine.data('adminJobs', adminJobs);
    window.Alpine.data('marketplacePage', marketplacePage);
    window.Alpine.data('stagedBrowser', stagedBrowser);
    window.Alpine.data('adminImports', adminImports);
  });
})();
