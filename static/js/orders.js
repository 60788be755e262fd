// The vendor's order and customer pages: the order list (filters, bulk moves, CSV), one
// order (its open moves, shipping with tracking, payment received, refunds), the customer
// list and one customer (close, export, erase), and the print button of the printed papers.
// Shared helpers come from app.js (window.Wizamart).
(() => {
  const { api, pager, money, when } = window.Wizamart;

  const STATUS_TEXT = {
    pending: 'Pending', confirmed: 'Confirmed', processing: 'Processing', shipped: 'Shipped',
    delivered: 'Delivered', cancelled: 'Cancelled', refunded: 'Refunded',
  };
  const PAYMENT_TEXT = { unpaid: 'Unpaid', paid: 'Paid', partially_refunded: 'Partly refunded', refunded: 'Refunded' };
  const MOVE_TEXT = {
    confirmed: 'Confirm', processing: 'Start processing', shipped: 'Ship…', delivered: 'Mark delivered',
    cancelled: 'Cancel the order', refunded: 'Refund everything',
  };
  const CARRIER_TEXT = { post_lu: 'Post Luxembourg', dhl: 'DHL', dpd: 'DPD', ups: 'UPS', gls: 'GLS' };
  const METHOD_TEXT = { bank_transfer: 'Bank transfer', cash_on_pickup: 'Cash on pickup' };

  /** The words and colours every order page uses. */
  const labels = {
    money, when,
    day(value) { return new Date(value).toLocaleDateString(); },
    statusText(s) { return STATUS_TEXT[s] || s; },
    statusClass(s) {
      if (s === 'cancelled' || s === 'refunded') return 'off';
      return s === 'pending' ? 'wait' : 'ok';
    },
    paymentText(p) { return PAYMENT_TEXT[p] || p; },
    paymentClass(p) { return p === 'paid' ? 'ok' : (p === 'unpaid' ? 'wait' : 'off'); },
    moveText(to) { return MOVE_TEXT[to] || to; },
    carrierText(c) { return CARRIER_TEXT[c] || c; },
    methodText(m) { return METHOD_TEXT[m] || m; },
    addressText(a) {
      return [a.name, a.street, `${a.postal_code} ${a.city}`, a.country, a.phone].filter(Boolean).join('\n');
    },
    accountText(c) {
      if (c.erased_at) return 'erased';
      return c.is_active ? 'open' : 'closed';
    },
    orderPath(o) { return `/vendor/${this.$root.dataset.vendor}/orders/${encodeURIComponent(o.order_number)}`; },
  };

  /** What a refused order move says, e.g. "LUX-000003: name the carrier …". */
  const refusal = (outcome) => `${outcome.order_number}: ${outcome.error.detail}`;

  const orderList = () => ({
    ...labels,
    ...pager('orders'),
    items: [], total: 0, page: 1, perPage: 20,
    q: '', status: '', payment: '', from: '', to: '',
    selected: [], loading: false, loadError: '', busy: false, notice: '', problems: [], requests: 0,
    shipping: false, carrier: 'post_lu', tracking: {},
    init() {
      // The dashboard links to the orders of one status.
      this.status = new URLSearchParams(window.location.search).get('status') || '';
      this.load();
    },
    filters() {
      const params = new URLSearchParams();
      if (this.q.trim()) params.set('q', this.q.trim());
      if (this.status) params.set('status', this.status);
      if (this.payment) params.set('payment_status', this.payment);
      if (this.from) params.set('from', new Date(`${this.from}T00:00:00`).toISOString());
      if (this.to) {
        const end = new Date(`${this.to}T00:00:00`);
        end.setDate(end.getDate() + 1);
        params.set('to', end.toISOString());
      }
      return params;
    },
    exportHref() { return `/api/v1/vendor/orders/export?${this.filters()}`; },
    async load() {
      const mine = ++this.requests;
      this.loading = true;
      const params = this.filters();
      params.set('page', this.page); params.set('per_page', this.perPage);
      try {
        const data = await api('GET', `/api/v1/vendor/orders?${params}`);
        if (mine !== this.requests) return;
        Object.assign(this, { items: data.items, total: data.total, loadError: '' });
      } catch (e) {
        if (mine === this.requests) this.loadError = `Your orders could not be loaded: ${e.message}`;
      } finally {
        if (mine === this.requests) this.loading = false;
      }
    },
    isEmpty() { return this.items.length === 0 && !this.loading && !this.loadError; },
    filtered() { return Boolean(this.q.trim() || this.status || this.payment || this.from || this.to); },
    isSelected(n) { return this.selected.includes(n); },
    toggle(n) { this.selected = this.isSelected(n) ? this.selected.filter((s) => s !== n) : [...this.selected, n]; },
    allSelected() { return this.items.length > 0 && this.items.every((o) => this.isSelected(o.order_number)); },
    toggleAll() { this.selected = this.allSelected() ? [] : this.items.map((o) => o.order_number); },
    clearSelection() { this.selected = []; this.shipping = false; },
    selectedText() { return `${this.selected.length} selected`; },
    openShip() { this.shipping = true; },
    trackingOf(n) { return this.tracking[n] || ''; },
    setTracking(n, event) { this.tracking = { ...this.tracking, [n]: event.target.value.trim() }; },
    async bulk(status) {
      this.busy = true; this.notice = ''; this.problems = [];
      const orders = this.selected.map((n) => {
        if (status !== 'shipped' || !this.tracking[n]) return { order_number: n };
        return { order_number: n, carrier: this.carrier, tracking_number: this.tracking[n] };
      });
      try {
        const outcomes = await api('POST', '/api/v1/vendor/orders/bulk-status', { status, orders });
        const moved = outcomes.filter((o) => !o.error).length;
        this.notice = `${moved} of ${outcomes.length} order${outcomes.length === 1 ? '' : 's'} marked ${STATUS_TEXT[status].toLowerCase()}.`;
        this.problems = outcomes.filter((o) => o.error).map(refusal);
        this.selected = outcomes.filter((o) => o.error).map((o) => o.order_number);
        this.shipping = this.shipping && this.selected.length > 0;
        await this.load();
      } catch (e) {
        this.problems = [e.message];
      } finally {
        this.busy = false;
      }
    },
  });

  const orderDetail = () => ({
    ...labels,
    order: null, loading: false, loadError: '', error: '', notice: '', busy: false, note: '',
    shipping: false, carrier: 'post_lu', trackingNumber: '', refunds: {},
    init() { this.load(); },
    url(path = '') { return `/api/v1/vendor/orders/${encodeURIComponent(this.$root.dataset.number)}${path}`; },
    paperPath(kind) { return `/vendor/${this.$root.dataset.vendor}/orders/${encodeURIComponent(this.$root.dataset.number)}/${kind}`; },
    customerPath() {
      if (!this.order.customer_id || this.$root.dataset.canSeeCustomers !== 'true') return '';
      return `/vendor/${this.$root.dataset.vendor}/customers/${this.order.customer_id}`;
    },
    async load() {
      this.loading = true; this.loadError = '';
      try {
        this.order = await api('GET', this.url());
      } catch (e) {
        this.loadError = e.status === 404 ? 'This order does not exist in your shop.' : `The order could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    canMarkPaid() {
      return this.order.payment_status === 'unpaid' && !['cancelled', 'refunded'].includes(this.order.status);
    },
    canRefund() {
      return this.$root.dataset.canEdit === 'true' && this.order.status === 'delivered'
        && ['paid', 'partially_refunded'].includes(this.order.payment_status);
    },
    hasActions() { return this.order.allowed_next.length > 0 || this.canMarkPaid(); },
    async act(label, path, body) {
      this.busy = true; this.error = ''; this.notice = '';
      try {
        this.order = await api('POST', this.url(path), body);
        this.notice = label; this.note = ''; this.shipping = false; this.refunds = {};
      } catch (e) {
        this.error = e.message;
      } finally {
        this.busy = false;
      }
    },
    note_() { return this.note.trim() || undefined; },
    move(to) {
      if (to === 'shipped') { this.shipping = true; return undefined; }
      if (to === 'cancelled' && !window.confirm('Cancel this order? Its reserved units go back into stock.')) return undefined;
      if (to === 'refunded' && !window.confirm('Refund the whole order? Every unit goes back into stock.')) return undefined;
      return this.act(`The order is now ${STATUS_TEXT[to].toLowerCase()}.`, '/status', { status: to, note: this.note_() });
    },
    ship() {
      const tracking = this.trackingNumber.trim();
      const body = { status: 'shipped', note: this.note_() };
      if (tracking) Object.assign(body, { carrier: this.carrier, tracking_number: tracking });
      return this.act('The order is now shipped; the customer has the tracking link.', '/status', body);
    },
    markPaid() { return this.act('Payment recorded.', '/mark-paid', { note: this.note_() }); },
    refundOf(sku) { return this.refunds[sku] || 0; },
    setRefund(sku, event) { this.refunds = { ...this.refunds, [sku]: Number(event.target.value) || 0 }; },
    refund() {
      const items = Object.entries(this.refunds).filter(([, q]) => q > 0).map(([sku, quantity]) => ({ sku, quantity }));
      if (items.length === 0) { this.error = 'Enter how many units of which item came back.'; return undefined; }
      return this.act('Refund recorded; the units are back in stock.', '/refunds', { items, note: this.note_() });
    },
  });

  const customerList = () => ({
    ...labels,
    ...pager('customers'),
    items: [], total: 0, page: 1, perPage: 20, q: '', active: '', loading: false, loadError: '', requests: 0,
    init() { this.load(); },
    async load() {
      const mine = ++this.requests;
      this.loading = true;
      const params = new URLSearchParams({ page: this.page, per_page: this.perPage });
      if (this.q.trim()) params.set('q', this.q.trim());
      if (this.active) params.set('active', this.active);
      try {
        const data = await api('GET', `/api/v1/vendor/customers?${params}`);
        if (mine !== this.requests) return;
        Object.assign(this, { items: data.items, total: data.total, loadError: '' });
      } catch (e) {
        if (mine === this.requests) this.loadError = `Your customers could not be loaded: ${e.message}`;
      } finally {
        if (mine === this.requests) this.loading = false;
      }
    },
    isEmpty() { return this.items.length === 0 && !this.loading && !this.loadError; },
    filtered() { return Boolean(this.q.trim() || this.active); },
    customerPath(c) { return `/vendor/${this.$root.dataset.vendor}/customers/${c.id}`; },
  });

  const customerDetail = () => ({
    ...labels,
    customer: null, orders: [], loading: false, loadError: '', error: '', notice: '', busy: false,
    init() { this.load(); },
    url(path = '') { return `/api/v1/vendor/customers/${this.$root.dataset.id}${path}`; },
    exportHref() { return this.url('/export'); },
    async load() {
      this.loading = true; this.loadError = '';
      try {
        this.customer = await api('GET', this.url());
        const page = await api('GET', `/api/v1/vendor/orders?customer_id=${this.$root.dataset.id}&per_page=100`);
        this.orders = page.items;
      } catch (e) {
        this.loadError = e.status === 404 ? 'This customer does not exist in your shop.' : `The customer could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    async change(method, path, body, done) {
      this.busy = true; this.error = ''; this.notice = '';
      try {
        this.customer = await api(method, this.url(path), body);
        this.notice = done;
        await this.load();
      } catch (e) {
        this.error = e.message;
      } finally {
        this.busy = false;
      }
    },
    toggleActive() {
      const open = !this.customer.is_active;
      return this.change('PUT', '/active', { is_active: open },
        open ? 'The account is open again.' : 'The account is closed; the customer is signed out.');
    },
    erase() {
      const ok = window.confirm('Erase this customer? Their name, e-mail, addresses and phone are removed from the account and their orders for good; the orders keep their amounts. This cannot be undone.');
      if (!ok) return undefined;
      return this.change('POST', '/erase', {}, 'The customer was erased.');
    },
  });

  const { toCents, centsToText } = window.Wizamart;

  /** The checkout settings and the Stripe account of the shop. */
  const paymentSettings = () => ({
    ...labels,
    ready: false, loading: false, loadError: '', error: '', notice: '', fields: {}, busy: false,
    form: { flat: '', freeFrom: '', vat: '', pickup: true, bankTransfer: true, cash: false, card: false, holder: '', iban: '', bic: '' },
    account: { connected: false }, keys: { secret: '', webhook: '' }, keyFields: {}, stripeError: '', stripeNotice: '',
    async init() {
      this.loading = true;
      try {
        const [settings, account] = await Promise.all([
          api('GET', '/api/v1/vendor/settings/checkout'),
          api('GET', '/api/v1/vendor/settings/card-payments'),
        ]);
        this.fill(settings); this.account = account; this.ready = true;
      } catch (e) {
        this.loadError = e.status === 403
          ? 'Your role cannot change payments. Ask the shop\'s owner.'
          : `Your settings could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    fill(s) {
      const bank = s.bank_account || {};
      this.form = {
        flat: centsToText(s.shipping_flat_cents), freeFrom: centsToText(s.free_shipping_from_cents),
        vat: String(s.vat_rate_basis_points / 100), pickup: s.pickup_enabled,
        bankTransfer: s.payment_methods.includes('bank_transfer'), cash: s.payment_methods.includes('cash_on_pickup'),
        card: s.payment_methods.includes('card'), holder: bank.holder || '', iban: bank.iban || '', bic: bank.bic || '',
      };
    },
    fieldError(name) { return (this.fields[name] || []).join(' '); },
    keyError(name) { return (this.keyFields[name] || []).join(' '); },
    body() {
      const fields = {};
      const flat = toCents(this.form.flat);
      if (Number.isNaN(flat)) fields.shipping_flat_cents = ['Enter an amount like 4.90.'];
      const free = this.form.freeFrom.trim() === '' ? null : toCents(this.form.freeFrom);
      if (Number.isNaN(free)) fields.free_shipping_from_cents = ['Enter an amount like 50, or leave it empty.'];
      const vat = Math.round(Number(String(this.form.vat).replace(',', '.')) * 100);
      if (!Number.isInteger(vat) || vat < 0 || vat > 10000) fields.vat_rate_basis_points = ['Enter a rate between 0 and 100, like 17.'];
      const methods = [];
      if (this.form.bankTransfer) methods.push('bank_transfer');
      if (this.form.cash) methods.push('cash_on_pickup');
      if (this.form.card) methods.push('card');
      if (methods.length === 0) fields.payment_methods = ['Choose at least one way to pay.'];
      if (Object.keys(fields).length) { this.fields = fields; this.error = 'Please correct the fields marked in red.'; return null; }
      const bank = this.form.iban.trim()
        ? { holder: this.form.holder.trim(), iban: this.form.iban.trim(), bic: this.form.bic.trim() || null }
        : null;
      return {
        shipping_flat_cents: flat, free_shipping_from_cents: free, pickup_enabled: this.form.pickup,
        vat_rate_basis_points: vat, payment_methods: methods, bank_account: bank,
      };
    },
    async save() {
      this.error = ''; this.notice = ''; this.fields = {};
      const body = this.body();
      if (!body) return;
      this.busy = true;
      try {
        this.fill(await api('PUT', '/api/v1/vendor/settings/checkout', body));
        this.notice = 'Saved. The next checkout uses these settings.';
      } catch (e) {
        this.error = e.message; this.fields = e.fields || {};
      } finally {
        this.busy = false;
      }
    },
    async connect() {
      this.stripeError = ''; this.stripeNotice = ''; this.keyFields = {}; this.busy = true;
      try {
        this.account = await api('PUT', '/api/v1/vendor/settings/card-payments',
          { secret_key: this.keys.secret.trim(), webhook_secret: this.keys.webhook.trim() });
        this.keys = { secret: '', webhook: '' };
        this.stripeNotice = 'Connected. Tick "Card" above and save to offer it at checkout.';
      } catch (e) {
        this.stripeError = e.message; this.keyFields = e.fields || {};
      } finally {
        this.busy = false;
      }
    },
    async disconnect() {
      if (!window.confirm('Disconnect Stripe? Customers can no longer pay by card.')) return;
      this.busy = true; this.stripeError = '';
      try {
        await api('DELETE', '/api/v1/vendor/settings/card-payments');
        this.account = await api('GET', '/api/v1/vendor/settings/card-payments');
        this.form.card = false;
        this.stripeNotice = 'Disconnected.';
      } catch (e) {
        this.stripeError = e.message;
      } finally {
        this.busy = false;
      }
    },
  });

  const printButton = () => ({ print() { window.print(); } });

  document.addEventListener('alpine:init', () => {
    window.Alpine.data('orderList', orderList);
    window.Alpine.data('orderDetail', orderDetail);
    window.Alpine.data('customerList', customerList);
    window.Alpine.data('customerDetail', customerDetail);
    window.Alpine.data('printButton', printButton);
    window.Alpine.data('paymentSettings', paymentSettings);
  });
})();
