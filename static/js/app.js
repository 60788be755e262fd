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
      if (response.status === 401 && !url.endsWith('/login') && !url.endsWith('/session')) window.location.reload();
      const error = new Error(data.detail || `The request failed (${response.status}).`);
      Object.assign(error, { status: response.status, code: data.error_code, fields: data.fields || {} });
      throw error;
    }
    return data;
  }

  /**
   * Page-by-page navigation for a component with `page`, `perPage`, `total` (and, for capped
   * search counts, `capped`) and a `load()` method.
   */
  const pager = (noun) => ({
    search() { this.page = 1; return this.load(); },
    pages() { return Math.max(1, Math.ceil(this.total / this.perPage)); },
    pagerText() {
      const count = this.capped ? `more than ${this.total.toLocaleString()}` : this.total.toLocaleString();
      return `Page ${this.page} of ${this.capped ? 'many' : this.pages()} · ${count} ${noun}`;
    },
    hasPrevious() { return this.page > 1; },
    hasNext() { return this.page < this.pages() || (this.capped && this.page * this.perPage < this.total); },
    previous() { if (this.hasPrevious()) { this.page -= 1; this.load(); } },
    next() { if (this.hasNext()) { this.page += 1; this.load(); } },
  });

  /** Cents as the shop owner reads them: 1999, 'EUR' -> "€19.99" (in the browser's language). */
  const money = (cents, currency) =>
    new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'EUR' }).format(cents / 100);

  /** What an owner types as a price ("19.99", "19,99", "20") in cents; NaN if it is not one. */
  const toCents = (text) => {
    const clean = String(text).trim().replace(',', '.');
    if (!/^\d+(\.\d{1,2})?$/.test(clean)) return NaN;
    return Math.round(Number(clean) * 100);
  };

  const centsToText = (cents) => (cents === null || cents === undefined ? '' : (cents / 100).toFixed(2));
  const when = (value) => new Date(value).toLocaleString();
  const signed = (n) => (n > 0 ? `+${n}` : `${n}`);

  const productList = () => ({
    items: [], total: 0, capped: false, page: 1, perPage: 20,
    q: '', active: '', featured: '', inStock: '', sort: 'relevance',
    selected: [], loading: false, loadError: '', busy: false, notice: '', requests: 0,
    ...pager('products'),
    init() { this.load(); },
    async load() {
      // Type-ahead sends a request per pause; only the latest one's answer is shown.
      const mine = ++this.requests;
      this.loading = true;
      const params = new URLSearchParams({ page: this.page, per_page: this.perPage, sort: this.sort });
      if (this.q.trim()) params.set('q', this.q.trim());
      if (this.active) params.set('is_active', this.active);
      if (this.featured) params.set('is_featured', this.featured);
      if (this.inStock) params.set('in_stock', this.inStock);
      try {
        const data = await api('GET', `/api/v1/vendor/products?${params}`);
        if (mine !== this.requests) return;
        Object.assign(this, { items: data.items, total: data.total, capped: data.total_is_capped, loadError: '' });
      } catch (e) {
        if (mine === this.requests) this.loadError = `Your products could not be loaded: ${e.message}`;
      } finally {
        if (mine === this.requests) this.loading = false;
      }
    },
    isEmpty() { return this.items.length === 0 && !this.loading && !this.loadError; },
    filtered() { return Boolean(this.q.trim() || this.active || this.featured || this.inStock); },
    editPath(p) { return `/vendor/${this.$root.dataset.vendor}/products/${p.id}`; },
    priceOf(p) {
      const sale = p.sale_price_cents;
      return sale === null ? money(p.price_cents, p.currency) : `${money(sale, p.currency)} (sale)`;
    },
    isSelected(id) { return this.selected.includes(id); },
    toggle(id) {
      this.selected = this.isSelected(id) ? this.selected.filter((s) => s !== id) : [...this.selected, id];
    },
    allSelected() { return this.items.length > 0 && this.items.every((p) => this.isSelected(p.id)); },
    toggleAll() { this.selected = this.allSelected() ? [] : this.items.map((p) => p.id); },
    clearSelection() { this.selected = []; },
    selectedText() { return `${this.selected.length} selected`; },
    async bulk(active) {
      this.busy = true; this.notice = '';
      try {
        const { changed } = await api('POST', '/api/v1/vendor/products/bulk-status', { ids: this.selected, is_active: active });
        this.notice = `${changed} product${changed === 1 ? '' : 's'} ${active ? 'activated' : 'deactivated'}.`;
        this.selected = [];
        await this.load();
      } catch (e) {
        this.loadError = e.message;
      } finally {
        this.busy = false;
      }
    },
  });

  const LANGUAGES = ['fr', 'de', 'en'];
  const emptyTexts = () => Object.fromEntries(LANGUAGES.map((l) => [l, { title: '', description: '' }]));

  const productEditor = () => ({
    product: null, ready: false, loading: false, loadError: '', notice: '', error: '', fields: {},
    busy: false, conflict: false, canEdit: false, tab: 'fr', texts: emptyTexts(),
    form: { sku: '', price: '', sale: '', brand: '', gtin: '', condition: 'new', low: 0, active: true, featured: false },
    images: [], imageError: '', uploading: false, dragFrom: null,
    stock: [], movements: [], adjustForm: { location: '', name: '', delta: '', reason: 'received', note: '' }, adjustError: '',
    init() {
      this.canEdit = this.$root.dataset.canEdit === 'true';
      if (new URLSearchParams(window.location.search).has('created')) {
        this.notice = 'Product created. Add images and stock below.';
      }
      if (this.id()) this.reload(); else this.ready = true;
    },
    id() { return this.$root.dataset.productId; },
    url(path = '') { return `/api/v1/vendor/products/${this.id()}${path}`; },
    exists() { return this.product !== null; },
    heading() {
      if (this.product) return this.product.title || this.product.sku;
      return this.id() ? 'Product' : 'New product';
    },
    fieldError(name) { return (this.fields[name] || []).join(' '); },
    async reload() {
      this.loading = true; this.loadError = '';
      try {
        this.fill(await api('GET', this.url()));
        this.ready = true; this.conflict = false; this.error = '';
        await this.loadStock();
      } catch (e) {
        this.loadError = e.status === 404
          ? 'This product does not exist (or was deleted).'
          : `The product could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    fill(p) {
      this.product = p;
      this.images = p.images;
      this.texts = emptyTexts();
      for (const t of p.translations) this.texts[t.language] = { title: t.title, description: t.description };
      this.tab = p.language;
      this.form = {
        sku: p.sku, price: centsToText(p.price_cents), sale: centsToText(p.sale_price_cents), brand: p.brand,
        gtin: p.gtin || '', condition: p.condition, low: p.low_inventory_threshold, active: p.is_active, featured: p.is_featured,
      };
    },
    /** The request body, or null (with field messages) when something is clearly wrong. */
    body() {
      const fields = {};
      const price = toCents(this.form.price);
      if (Number.isNaN(price)) fields.price_cents = ['Enter a price like 19.99.'];
      const sale = this.form.sale.trim() === '' ? null : toCents(this.form.sale);
      if (Number.isNaN(sale)) fields.sale_price_cents = ['Enter a sale price like 14.99, or leave it empty.'];
      const written = [this.product?.language || this.tab, ...LANGUAGES].filter((l) => this.texts[l].title.trim());
      if (written.length === 0) fields.title = ['Enter a title in at least one language.'];
      const low = Number(this.form.low);
      if (!Number.isInteger(low) || low < 0) fields.low_inventory_threshold = ['Enter a whole number, 0 or more.'];
      if (Object.keys(fields).length) { this.fields = fields; this.error = 'Please correct the fields marked in red.'; return null; }
      const main = written[0];
      const translations = {};
      for (const l of LANGUAGES) {
        if (l !== main && this.texts[l].title.trim()) translations[l] = this.texts[l];
      }
      return {
        sku: this.form.sku.trim(), language: main, title: this.texts[main].title, description: this.texts[main].description,
        translations, price_cents: price, sale_price_cents: sale, brand: this.form.brand,
        gtin: this.form.gtin.trim() || null, condition: this.form.condition, low_inventory_threshold: low,
      };
    },
    async save() {
      this.error = ''; this.fields = {}; this.notice = '';
      const body = this.body();
      if (!body) return;
      this.busy = true;
      try {
        if (!this.product) {
          const created = await api('POST', '/api/v1/vendor/products',
            { ...body, gtin: body.gtin || undefined, is_active: this.form.active, is_featured: this.form.featured });
          window.location.assign(`/vendor/${this.$root.dataset.vendor}/products/${created.id}?created=1`);
          return;
        }
        let saved = await api('PUT', this.url(), { ...body, version: this.product.version });
        if (saved.is_active !== this.form.active) saved = await api('PUT', this.url('/toggle-active'));
        if (saved.is_featured !== this.form.featured) saved = await api('PUT', this.url('/toggle-featured'));
        this.fill(saved);
        this.notice = 'Saved.';
      } catch (e) {
        if (e.code === 'VERSION_CONFLICT') {
          this.conflict = true;
          this.error = 'Someone changed this product after you opened it, so nothing was saved. Load the latest version, then make your change again.';
        } else {
          this.error = e.message; this.fields = e.fields || {};
        }
      } finally {
        this.busy = false;
      }
    },
    async uploadImage(input) {
      const file = input.files[0];
      if (!file) return;
      this.uploading = true; this.imageError = '';
      const data = new FormData();
      data.append('file', file);
      try {
        this.images = [...this.images, await upload(this.url('/images'), data)];
      } catch (e) {
        this.imageError = e.message;
      } finally {
        this.uploading = false; input.value = '';
      }
    },
    async removeImage(image) {
      if (!window.confirm('Remove this image?')) return;
      try {
        await api('DELETE', this.url(`/images/${image.id}`));
        this.images = this.images.filter((i) => i.id !== image.id);
      } catch (e) {
        this.imageError = e.message;
      }
    },
    dragStart(index) { this.dragFrom = index; },
    dropOn(index) {
      const from = this.dragFrom;
      this.dragFrom = null;
      if (from === null || from === index) return;
      const list = [...this.images];
      const [moved] = list.splice(from, 1);
      list.splice(index, 0, moved);
      this.saveOrder(list);
    },
    move(index, by) {
      const list = [...this.images];
      [list[index], list[index + by]] = [list[index + by], list[index]];
      this.saveOrder(list);
    },
    async saveOrder(list) {
      const before = this.images;
      this.images = list; this.imageError = '';
      try {
        this.images = await api('PUT', this.url('/images/order'), { ids: list.map((i) => i.id) });
      } catch (e) {
        this.images = before; this.imageError = e.message;
      }
    },
    async loadStock() {
      let answers;
      try {
        answers = await Promise.all([
          api('GET', '/api/v1/vendor/inventory/locations'),
          api('GET', `/api/v1/vendor/inventory?product_id=${this.id()}&per_page=100`),
          api('GET', `/api/v1/vendor/inventory/movements?product_id=${this.id()}&per_page=20`),
        ]);
      } catch (e) {
        if (e.status !== 403) this.loadError = `Stock could not be loaded: ${e.message}`;
        return;
      }
      const [locations, rows, moves] = answers;
      this.stock = locations.map((l) => {
        const row = rows.items.find((r) => r.location === l.code);
        return {
          location: l.code, name: l.name, quantity: row ? row.quantity : 0,
          reserved_quantity: row ? row.reserved_quantity : 0, available: row ? row.available : 0,
        };
      });
      this.movements = moves.items;
    },
    when(value) { return when(value); },
    signed(n) { return signed(n); },
    openAdjust(row) {
      this.adjustForm = { location: row.location, name: row.name, delta: '', reason: 'received', note: '' };
      this.adjustError = '';
      this.$refs.adjust.showModal();
    },
    closeAdjust() { this.$refs.adjust.close(); },
    async adjust() {
      const delta = Number(this.adjustForm.delta);
      if (!Number.isInteger(delta) || delta === 0) {
        this.adjustError = 'Enter a whole number of units other than 0, like 5 or -2.';
        return;
      }
      this.busy = true; this.adjustError = '';
      try {
        await api('POST', '/api/v1/vendor/inventory/adjust', {
          product_id: Number(this.id()), location: this.adjustForm.location, delta,
          reason: this.adjustForm.reason, note: this.adjustForm.note.trim() || undefined,
        });
        this.closeAdjust();
        this.notice = 'Stock updated.';
        await this.loadStock();
      } catch (e) {
        this.adjustError = e.message;
      } finally {
        this.busy = false;
      }
    },
  });

  const inventoryPage = () => ({
    rows: [], total: 0, page: 1, perPage: 50, low: false, location: '', locations: [], loading: false, loadError: '',
    movements: [], movementPage: 1, movementTotal: 0,
    ...pager('inventory rows'),
    init() {
      this.load();
      this.loadMovements();
      api('GET', '/api/v1/vendor/inventory/locations').then((l) => { this.locations = l; }).catch(() => {});
    },
    async load() {
      this.loading = true;
      const params = new URLSearchParams({ page: this.page, per_page: this.perPage });
      if (this.low) params.set('low', 'true');
      if (this.location) params.set('location', this.location);
      try {
        const data = await api('GET', `/api/v1/vendor/inventory?${params}`);
        Object.assign(this, { rows: data.items, total: data.total, loadError: '' });
      } catch (e) {
        this.loadError = `Inventory could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    async loadMovements() {
      try {
        const data = await api('GET', `/api/v1/vendor/inventory/movements?page=${this.movementPage}&per_page=20`);
        Object.assign(this, { movements: data.items, movementTotal: data.total });
      } catch (e) {
        this.loadError = `Stock changes could not be loaded: ${e.message}`;
      }
    },
    hasOlder() { return this.movementPage * 20 < this.movementTotal; },
    moreMovements(by) { this.movementPage += by; this.loadMovements(); },
    isEmpty() { return this.rows.length === 0 && !this.loading && !this.loadError; },
    productPath(r) { return `/vendor/${this.$root.dataset.vendor}/products/${r.product_id}`; },
    when(value) { return when(value); },
    signed(n) { return signed(n); },
  });

  /** The platform's own look, which a shop without a theme has (see static/css/app.css). */
  const DEFAULT_THEME = { primary_color: '#2f5bd3', accent_color: '#1e8e5a', font: 'system', layout: 'grid', logo_url: '' };
  const FONT_STACKS = {
    system: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    serif: 'Georgia, "Times New Roman", serif',
    rounded: 'ui-rounded, "Nunito", system-ui, sans-serif',
    mono: 'ui-monospace, "SFMono-Regular", Menlo, monospace',
  };

  const themeEditor = () => ({
    form: { ...DEFAULT_THEME }, ready: false, loading: false, loadError: '', error: '', notice: '', fields: {}, busy: false,
    async init() {
      this.loading = true;
      try {
        const theme = await api('GET', '/api/v1/vendor/settings/theme');
        this.form = Object.fromEntries(Object.entries(DEFAULT_THEME).map(([k, v]) => [k, theme[k] ?? v]));
        this.ready = true;
      } catch (e) {
        this.loadError = e.status === 403
          ? 'Your role cannot change the shop\'s look. Ask the shop\'s owner.'
          : `Your theme could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
      // The preview follows every change; CSS variables set through the CSSOM pass the CSP.
      this.$watch('form', () => this.paint());
      this.paint();
    },
    paint() {
      const style = this.$refs.preview?.style;
      if (!style) return;
      style.setProperty('--primary', this.form.primary_color);
      style.setProperty('--ok', this.form.accent_color);
      style.setProperty('--font', FONT_STACKS[this.form.font] || FONT_STACKS.system);
    },
    shopName() { return this.$root.dataset.vendor; },
    fieldError(name) { return (this.fields[name] || []).join(' '); },
    reset() { this.form = { ...DEFAULT_THEME, logo_url: this.form.logo_url }; },
    async uploadLogo(input) {
      const file = input.files[0];
      if (!file) return;
      this.busy = true; this.error = ''; this.notice = '';
      const data = new FormData();
      data.append('file', file);
      try {
        const theme = await upload('/api/v1/vendor/settings/logo', data);
        this.form.logo_url = theme.logo_url;
        this.notice = 'Logo uploaded and saved.';
      } catch (e) {
        this.error = e.message;
      } finally {
        this.busy = false; input.value = '';
      }
    },
    async save() {
      this.busy = true; this.error = ''; this.notice = ''; this.fields = {};
      const body = { ...this.form, logo_url: this.form.logo_url.trim() || null };
      try {
        await api('PUT', '/api/v1/vendor/settings/theme', body);
        this.notice = 'Saved. Your shop shows the new look now.';
      } catch (e) {
        this.error = e.message; this.fields = e.fields || {};
      } finally {
        this.busy = false;
      }
    },
  });

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

  const vendorSwitcher = () => ({
    vendors: [], busy: false, error: '',
    current() { return this.$root.dataset.current; },
    async init() {
      try { this.vendors = await api('GET', '/api/v1/vendor/auth/vendors'); } catch (e) { this.vendors = []; }
    },
    async go(event) {
      const code = event.target.value;
      if (code === this.current()) return;
      this.busy = true; this.error = '';
      try {
        const { redirect } = await api('POST', `/vendor/${encodeURIComponent(code)}/switch`, {});
        window.location.assign(redirect);
      } catch (e) {
        this.error = e.message;
        event.target.value = this.current();
      } finally {
        this.busy = false;
      }
    },
  });

  // For the other page scripts (marketplace.js), loaded after this one.
  window.Wizamart = { api, upload, pager, money, toCents, centsToText, when };

  document.addEventListener('alpine:init', () => {
    window.Alpine.data('logoutButton', logoutButton);
    window.Alpine.data('loginForm', loginForm);
    window.Alpine.data('productList', productList);
    window.Alpine.data('productEditor', productEditor);
    window.Alpine.data('inventoryPage', inventoryPage);
    window.Alpine.data('themeEditor', themeEditor);
    window.Alpine.data('vendorSwitcher', vendorSwitcher);
  });
})();
