// The customer shop's buying and account pages: the header's cart count, "add to cart", the
// cart, checkout with its confirmation, sign-in, registration, password reset, the account
// (profile, addresses, orders) and an order. They talk to the shop's JSON API; the page gives
// the API's address, the cart session and the language in #shop-config. Shared helpers come
// from app.js (window.Wizamart); components are registered for Alpine's CSP build.
(() => {
  const { api } = window.Wizamart;

  const config = () => document.getElementById('shop-config')?.dataset ?? {};
  const shopApi = (path) => `${config().api}${path}`;
  const cartApi = (path = '') => `${shopApi(`/cart/${config().cart}`)}${path}?lang=${config().lang}`;
  const money = (cents, currency) =>
    new Intl.NumberFormat(config().lang || undefined, { style: 'currency', currency: currency || 'EUR' }).format(cents / 100);
  const when = (value) => new Date(value).toLocaleDateString(config().lang || undefined, { dateStyle: 'medium' });
  /** A random key, so a checkout retried (double click, flaky network) places one order. */
  const randomKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const STATUS_TEXT = {
    pending: 'Received', confirmed: 'Confirmed', processing: 'Being prepared', shipped: 'Shipped',
    delivered: 'Delivered', cancelled: 'Cancelled', refunded: 'Refunded',
  };
  const PAYMENT_TEXT = { bank_transfer: 'Bank transfer', cash_on_pickup: 'Cash when you collect', card: 'Card' };
  const SHIPPING_TEXT = { delivery: 'Delivery', pickup: 'Pickup at the shop' };

  /** Field messages of a 422 answer, by field name (nested fields keep their path). */
  const fieldsOf = (e) => Object.fromEntries(Object.entries(e.fields || {}).map(([k, v]) => [k, v.join(' ')]));

  const cartBadge = () => ({
    async init() {
      try {
        const cart = await api('GET', cartApi());
        this.$store.cart.count = cart.item_count;
      } catch (e) {
        this.$store.cart.count = 0;
      }
    },
    label() { return this.$store.cart.count > 0 ? `Cart (${this.$store.cart.count})` : 'Cart'; },
  });

  const addToCart = () => ({
    quantity: 1, busy: false, message: '', error: '',
    async add() {
      this.busy = true; this.message = ''; this.error = '';
      try {
        const cart = await api('POST', cartApi('/items'), {
          product_id: Number(this.$root.dataset.product), quantity: Number(this.quantity),
        });
        this.$store.cart.count = cart.item_count;
        this.message = 'Added to your cart.';
      } catch (e) {
        this.error = e.code === 'INSUFFICIENT_INVENTORY' ? 'Sorry, there are not that many left.' : e.message;
      } finally {
        this.busy = false;
      }
    },
  });

  /** What the cart and checkout pages show of a cart. */
  const cartView = {
    money,
    lineTotal(line) { return money(line.line_total_cents, this.cart.currency); },
    unitPrice(line) { return money(line.unit_price_cents, this.cart.currency); },
    subtotal() { return this.cart ? money(this.cart.subtotal_cents, this.cart.currency) : ''; },
    isEmpty() { return this.cart !== null && this.cart.items.length === 0 && this.cart.unavailable_product_ids.length === 0; },
    hasGone() { return this.cart !== null && this.cart.unavailable_product_ids.length > 0; },
  };

  const cartPage = () => ({
    cart: null, loading: true, error: '', busy: false,
    ...cartView,
    init() { this.load(); },
    async load() {
      this.loading = true;
      try {
        this.cart = await api('GET', cartApi());
        this.$store.cart.count = this.cart.item_count;
        this.error = '';
      } catch (e) {
        this.error = `Your cart could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    async change(request) {
      this.busy = true; this.error = '';
      try {
        this.cart = await request();
        this.$store.cart.count = this.cart.item_count;
      } catch (e) {
        this.error = e.code === 'INSUFFICIENT_INVENTORY' ? 'Sorry, there are not that many left.' : e.message;
        await this.load();
      } finally {
        this.busy = false;
      }
    },
    setQuantity(line, event) {
      const quantity = Number(event.target.value);
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > 999) { this.error = 'Choose a quantity from 1 to 999.'; return; }
      this.change(() => api('PUT', cartApi(`/items/${line.product_id}`), { quantity }));
    },
    remove(line) { this.change(() => api('DELETE', cartApi(`/items/${line.product_id}`))); },
    removeGone() {
      const gone = [...this.cart.unavailable_product_ids];
      this.change(async () => {
        let cart = this.cart;
        for (const id of gone) cart = await api('DELETE', cartApi(`/items/${id}`));
        return cart;
      });
    },
    canCheckOut() { return this.cart !== null && this.cart.items.length > 0 && !this.hasGone() && this.cart.items.every((l) => l.available); },
    quantityLabel(line) { return `Quantity of ${line.title}`; },
    removeLabel(line) { return `Remove ${line.title}`; },
  });

  const emptyAddress = () => ({ name: '', street: '', postal_code: '', city: '', country: 'LU', phone: '' });
  /** An address as the API takes it (no empty phone). */
  const addressBody = (a) => {
    const { phone, ...rest } = a;
    return phone && phone.trim() ? { ...rest, phone } : rest;
  };

  const checkoutPage = () => ({
    cart: null, options: null, loading: true, loadError: '',
    email: '', shipping: emptyAddress(), billingSame: true, billing: emptyAddress(),
    shippingMethod: 'delivery', paymentMethod: 'bank_transfer', notes: '',
    fields: {}, error: '', shortages: [], placing: false, order: null, key: randomKey(),
    ...cartView,
    async init() {
      try {
        const [cart, options] = await Promise.all([api('GET', cartApi()), api('GET', shopApi('/checkout'))]);
        Object.assign(this, { cart, options });
        this.paymentMethod = options.payment_methods[0];
        if (this.signedIn()) {
          const book = await api('GET', shopApi('/customers/me/addresses'));
          const home = book.find((a) => a.is_default_shipping) || book[0];
          if (home) this.shipping = { name: home.name, street: home.street, postal_code: home.postal_code, city: home.city, country: home.country, phone: home.phone || '' };
        }
      } catch (e) {
        this.loadError = `The checkout could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    signedIn() { return Boolean(this.$root.dataset.customer); },
    offersPickup() { return this.options !== null && this.options.shipping.some((s) => s.method === 'pickup'); },
    takes(method) { return this.options !== null && this.options.payment_methods.includes(method); },
    paymentText(method) { return PAYMENT_TEXT[method] || method; },
    shippingCents() {
      if (!this.cart || !this.options || this.shippingMethod === 'pickup') return 0;
      const delivery = this.options.shipping.find((s) => s.method === 'delivery');
      const free = delivery.free_from_cents;
      return free !== null && this.cart.subtotal_cents >= free ? 0 : delivery.price_cents;
    },
    shippingText() { return this.shippingCents() === 0 ? 'Free' : money(this.shippingCents(), this.cart.currency); },
    deliveryText() {
      const delivery = this.options?.shipping.find((s) => s.method === 'delivery');
      if (!delivery) return '';
      const free = delivery.free_from_cents === null ? '' : `, free from ${money(delivery.free_from_cents, this.cart?.currency)}`;
      return `Delivery: ${money(delivery.price_cents, this.cart?.currency)}${free}`;
    },
    total() { return this.cart ? money(this.cart.subtotal_cents + this.shippingCents(), this.cart.currency) : ''; },
    vatText() { return this.options ? `Prices include ${this.options.vat_rate_basis_points / 100} % VAT.` : ''; },
    fieldError(name) { return this.fields[name] || ''; },
    choosePickup() { this.shippingMethod = 'pickup'; },
    chooseDelivery() { this.shippingMethod = 'delivery'; if (this.paymentMethod === 'cash_on_pickup') this.paymentMethod = 'bank_transfer'; },
    async place() {
      this.placing = true; this.error = ''; this.fields = {}; this.shortages = [];
      const body = {
        cart_session: config().cart,
        shipping_address: addressBody(this.shipping),
        shipping_method: this.shippingMethod,
        payment_method: this.paymentMethod,
        language: config().lang,
      };
      if (!this.signedIn()) body.email = this.email.trim();
      if (!this.billingSame) body.billing_address = addressBody(this.billing);
      if (this.notes.trim()) body.notes = this.notes.trim();
      try {
        const response = await fetch(shopApi('/orders'), {
          method: 'POST', credentials: 'same-origin',
          headers: {
            'Accept': 'application/json', 'Content-Type': 'application/json', 'Idempotency-Key': this.key,
            'X-CSRF-Token': document.querySelector('meta[name="csrf-token"]')?.content ?? '',
          },
          body: JSON.stringify(body),
        });
        const data = await response.json().catch(() => ({}));
        if (!response.ok) {
          const error = Object.assign(new Error(data.detail || `The order could not be placed (${response.status}).`), { code: data.error_code, fields: data.fields, shortages: data.shortages });
          throw error;
        }
        this.$store.cart.count = 0;
        // A card order is paid on Stripe's page, which sends the buyer back to the shop.
        if (data.payment_url) { window.location.assign(data.payment_url); return; }
        this.order = data;
        window.scrollTo(0, 0);
      } catch (e) {
        this.fields = fieldsOf(e);
        this.shortages = e.shortages || [];
        this.error = e.code === 'INSUFFICIENT_INVENTORY'
          ? 'Some products ran out while you were shopping. Change their quantities in your cart.'
          : e.code === 'VALIDATION_ERROR' ? 'Please check the fields marked below.' : e.message;
        // A refused order used no key: the next attempt is a new one.
        this.key = randomKey();
      } finally {
        this.placing = false;
      }
    },
    shortageText(s) { return `${s.title || 'A product'}: ${s.requested} wanted, ${s.available} left`; },
    orderTotal() { return money(this.order.total_cents, this.order.currency); },
    orderVat() { return money(this.order.tax_cents, this.order.currency); },
    paysByTransfer() { return this.order !== null && this.order.payment_method === 'bank_transfer'; },
    paysInCash() { return this.order !== null && this.order.payment_method === 'cash_on_pickup'; },
  });

  const signIn = async (email, password) => api('POST', shopApi('/session'), { email, password });

  const shopLogin = () => ({
    email: '', password: '', error: '', busy: false,
    async submit() {
      this.busy = true; this.error = '';
      try {
        await signIn(this.email, this.password);
        window.location.assign(this.$root.dataset.next);
      } catch (e) {
        this.error = e.code === 'INVALID_CREDENTIALS' ? 'That e-mail and password do not match an account of this shop.' : e.message;
      } finally {
        this.busy = false;
      }
    },
  });

  const shopRegister = () => ({
    form: { first_name: '', last_name: '', email: '', password: '' }, fields: {}, error: '', busy: false,
    fieldError(name) { return this.fields[name] || ''; },
    async submit() {
      this.busy = true; this.error = ''; this.fields = {};
      try {
        await api('POST', shopApi('/auth/register'), { ...this.form, language: config().lang });
        await signIn(this.form.email, this.form.password);
        window.location.assign(this.$root.dataset.next);
      } catch (e) {
        this.fields = fieldsOf(e);
        this.error = e.code === 'EMAIL_TAKEN' ? 'This shop already has an account with this e-mail: sign in instead.' : e.message;
      } finally {
        this.busy = false;
      }
    },
  });

  const shopReset = () => ({
    email: '', password: '', sent: false, done: false, error: '', busy: false,
    token() { return this.$root.dataset.token || ''; },
    hasToken() { return this.token() !== ''; },
    async request() {
      this.busy = true; this.error = '';
      try {
        await api('POST', shopApi('/auth/password-reset'), { email: this.email, language: config().lang });
        this.sent = true;
      } catch (e) {
        this.error = e.message;
      } finally {
        this.busy = false;
      }
    },
    async confirm() {
      this.busy = true; this.error = '';
      try {
        await api('POST', shopApi('/auth/password-reset/confirm'), { token: this.token(), new_password: this.password });
        this.done = true;
      } catch (e) {
        this.error = e.code === 'RESET_LINK_INVALID' ? 'This link has expired or was used already. Ask for a new one.' : e.message;
      } finally {
        this.busy = false;
      }
    },
  });

  const accountPage = () => ({
    orders: [], addresses: [], loading: true, error: '', busy: false, notice: '',
    adding: false, address: { ...emptyAddress(), label: '' }, fields: {},
    async init() {
      try {
        const [orders, addresses] = await Promise.all([
          api('GET', shopApi('/customers/me/orders?per_page=50')), api('GET', shopApi('/customers/me/addresses')),
        ]);
        Object.assign(this, { orders: orders.items, addresses });
      } catch (e) {
        this.error = `Your account could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    hasOrders() { return this.orders.length > 0; },
    noOrders() { return !this.loading && !this.error && this.orders.length === 0; },
    orderLink(o) { return `${this.$root.dataset.orders}/${encodeURIComponent(o.order_number)}`; },
    statusText(o) { return STATUS_TEXT[o.status] || o.status; },
    orderTotal(o) { return money(o.total_cents, o.currency); },
    orderDate(o) { return when(o.placed_at); },
    itemsText(o) { return `${o.item_count} item${o.item_count === 1 ? '' : 's'}`; },
    addressText(a) { return `${a.name}, ${a.street}, ${a.postal_code} ${a.city}, ${a.country}`; },
    defaultsText(a) {
      return [a.is_default_shipping ? 'shipping' : '', a.is_default_billing ? 'billing' : ''].filter(Boolean).join(' and ');
    },
    fieldError(name) { return this.fields[name] || ''; },
    startAdding() { this.adding = true; this.fields = {}; },
    cancelAdding() { this.adding = false; },
    async saveAddress() {
      this.busy = true; this.fields = {}; this.error = '';
      try {
        await api('POST', shopApi('/customers/me/addresses'), addressBody(this.address));
        this.addresses = await api('GET', shopApi('/customers/me/addresses'));
        this.address = { ...emptyAddress(), label: '' };
        this.adding = false;
        this.notice = 'Address saved.';
      } catch (e) {
        this.fields = fieldsOf(e);
        this.error = e.message;
      } finally {
        this.busy = false;
      }
    },
    async removeAddress(a) {
      this.busy = true;
      try {
        await api('DELETE', shopApi(`/customers/me/addresses/${a.id}`));
        this.addresses = this.addresses.filter((x) => x.id !== a.id);
        this.notice = 'Address removed.';
      } catch (e) {
        this.error = e.message;
      } finally {
        this.busy = false;
      }
    },
    removeLabel(a) { return `Remove the address ${a.name}, ${a.street}`; },
    async signOut() {
      await api('POST', shopApi('/session/end')).catch(() => null);
      window.location.assign(this.$root.dataset.home);
    },
  });

  const PAID_TEXT = { unpaid: 'not paid yet', paid: 'paid', partially_refunded: 'partly refunded', refunded: 'refunded' };
  const CARRIER_TEXT = { post_lu: 'Post Luxembourg', dhl: 'DHL', dpd: 'DPD', ups: 'UPS', gls: 'GLS' };

  const orderPage = () => ({
    order: null, loading: true, error: '',
    async init() {
      try {
        this.order = await api('GET', shopApi(`/customers/me/orders/${encodeURIComponent(this.$root.dataset.number)}`));
      } catch (e) {
        this.error = e.status === 404 ? 'This order is not one of yours.' : `The order could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    money(cents) { return money(cents, this.order.currency); },
    statusText(status) { return STATUS_TEXT[status] || status; },
    paymentText() { return PAYMENT_TEXT[this.order.payment_method] || this.order.payment_method; },
    shippingText() { return SHIPPING_TEXT[this.order.shipping_method] || this.order.shipping_method; },
    shippingCost() { return this.order.shipping_cents === 0 ? 'Free' : money(this.order.shipping_cents, this.order.currency); },
    placed() { return when(this.order.placed_at); },
    paidText() { return PAID_TEXT[this.order.payment_status] || this.order.payment_status; },
    carrierText() { return CARRIER_TEXT[this.order.carrier] || this.order.carrier; },
    waitsForCard() {
      return this.order.payment_method === 'card' && this.order.payment_status === 'unpaid' && this.order.status !== 'cancelled';
    },
    async payByCard() {
      this.error = '';
      try {
        const link = await api('POST', shopApi(`/customers/me/orders/${encodeURIComponent(this.$root.dataset.number)}/card-payment`), {});
        window.location.assign(link.payment_url);
      } catch (e) {
        this.error = e.message;
      }
    },
    changedAt(h) { return when(h.at); },
    isDelivery() { return this.order !== null && this.order.shipping_method === 'delivery'; },
  });

  document.addEventListener('alpine:init', () => {
    window.Alpine.store('cart', { count: 0 });
    window.Alpine.data('cartBadge', cartBadge);
    window.Alpine.data('addToCart', addToCart);
    window.Alpine.data('cartPage', cartPage);
    window.Alpine.data('checkoutPage', checkoutPage);
    window.Alpine.data('shopLogin', shopLogin);
    window.Alpine.data('shopRegister', shopRegister);
    window.Alpine.data('shopReset', shopReset);
    window.Alpine.data('accountPage', accountPage);
    window.Alpine.data('orderPage', orderPage);
  });
})();
