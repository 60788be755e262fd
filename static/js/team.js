// The team page: members (role, switch off or on, remove, hand over ownership) and roles
// (the permission matrix; custom roles created, edited and deleted). The server refuses what
// the member may not do; the page only offers it to those who may. Helpers from app.js.
(() => {
  const { api, when } = window.Wizamart;

  /** Every permission, in the order the matrix lists them. */
  const ALL = [
    'team.manage', 'team.invite', 'team.remove', 'team.view',
    'products.create', 'products.edit', 'products.delete', 'products.view',
    'orders.create', 'orders.edit', 'orders.view',
    'imports.trigger', 'imports.view', 'imports.configure',
    'inventory.view', 'inventory.edit', 'customers.view', 'customers.edit',
    'settings.edit', 'analytics.view',
  ];

  const teamPage = () => ({
    members: [], roles: [], invitations: [], invitation: { email: '', roleId: '' }, ready: false, loading: false, loadError: '', error: '', notice: '', busy: false,
    allPermissions: ALL, grantable: [], form: { id: null, original: '', name: '', permissions: [] },
    when,
    day(value) { return new Date(value).toLocaleDateString(); },
    async init() {
      const mine = (this.$root.dataset.permissions || '').split(',');
      this.grantable = ALL.filter((p) => mine.includes(p));
      await this.load();
    },
    async load() {
      this.loading = true; this.loadError = '';
      try {
        const [members, roles] = await Promise.all([
          api('GET', '/api/v1/vendor/team/members'),
          api('GET', '/api/v1/vendor/team/roles'),
        ]);
        Object.assign(this, { members, roles, ready: true });
        if (!this.invitation.roleId && roles.length) this.invitation.roleId = String(roles[roles.length - 1].id);
        this.invitations = await api('GET', '/api/v1/vendor/team/invitations');
      } catch (e) {
        this.loadError = e.status === 403 ? 'Your role cannot see the team.' : `Your team could not be loaded: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    nameOf(m) { return `${m.first_name} ${m.last_name}`.trim() || m.email; },
    isMe(m) { return String(m.user_id) === this.$root.dataset.me; },
    isOwner(m) { return m.role === 'Owner'; },
    canHandOver(m) {
      const me = this.members.find((x) => this.isMe(x));
      return Boolean(me && this.isOwner(me) && !this.isMe(m) && m.is_active && !this.isOwner(m));
    },
    customRoles() { return this.roles.filter((r) => !r.is_default); },
    async act(done, call) {
      this.busy = true; this.error = ''; this.notice = '';
      try {
        await call();
        this.notice = done;
        await this.load();
      } catch (e) {
        this.error = e.message;
        await this.load();
      } finally {
        this.busy = false;
      }
    },
    changeRole(m, event) {
      const roleId = Number(event.target.value);
      const role = this.roles.find((r) => r.id === roleId);
      return this.act(`${m.email} is now ${role ? role.name : 'in another role'}.`,
        () => api('PUT', `/api/v1/vendor/team/members/${m.user_id}/role`, { role_id: roleId }));
    },
    toggle(m) {
      const on = !m.is_active;
      return this.act(on ? `${m.email} is back on the team.` : `${m.email} is switched off and signed out.`,
        () => api('PUT', `/api/v1/vendor/team/members/${m.user_id}/active`, { is_active: on }));
    },
    remove(m) {
      if (!window.confirm(`Remove ${m.email} from the team? Their account stays; they lose access to this shop.`)) return undefined;
      return this.act(`${m.email} was removed.`, () => api('DELETE', `/api/v1/vendor/team/members/${m.user_id}`));
    },
    handOver(m) {
      if (!window.confirm(`Make ${m.email} the owner? You stay on the team as Manager.`)) return undefined;
      return this.act(`${m.email} owns the shop now.`, () => api('POST', '/api/v1/vendor/team/ownership', { user_id: m.user_id }));
    },
    invite() {
      const body = { email: this.invitation.email.trim(), role_id: Number(this.invitation.roleId) };
      return this.act(`Invitation sent to ${body.email}.`, async () => {
        await api('POST', '/api/v1/vendor/team/invitations', body);
        this.invitation.email = '';
      });
    },
    resend(i) {
      return this.act(`Invitation sent again to ${i.email}; the earlier link no longer works.`,
        () => api('POST', `/api/v1/vendor/team/invitations/${i.id}/resend`, {}));
    },
    revoke(i) {
      if (!window.confirm(`Withdraw the invitation to ${i.email}?`)) return undefined;
      return this.act(`Invitation to ${i.email} withdrawn.`, () => api('DELETE', `/api/v1/vendor/team/invitations/${i.id}`));
    },
    newRole() { this.form = { id: null, original: '', name: '', permissions: [] }; },
    edit(r) { this.form = { id: r.id, original: r.name, name: r.name, permissions: [...r.permissions] }; },
    togglePermission(p) {
      const has = this.form.permissions.includes(p);
      this.form.permissions = has ? this.form.permissions.filter((x) => x !== p) : [...this.form.permissions, p];
    },
    saveRole() {
      const body = { name: this.form.name.trim(), permissions: this.form.permissions };
      const id = this.form.id;
      return this.act(id ? 'Role saved.' : `Role ${body.name} created.`, async () => {
        await (id ? api('PUT', `/api/v1/vendor/team/roles/${id}`, body) : api('POST', '/api/v1/vendor/team/roles', body));
        this.newRole();
      });
    },
    deleteRole(r) {
      if (!window.confirm(`Delete the role ${r.name}?`)) return undefined;
      return this.act(`Role ${r.name} deleted.`, () => api('DELETE', `/api/v1/vendor/team/roles/${r.id}`));
    },
  });

  /** What an invitation link's answers mean to the person who opened it. */
  const PROBLEMS = {
    INVITATION_NOT_FOUND: 'This invitation link is not valid. Check that you opened the whole link from the e-mail.',
    INVITATION_EXPIRED: 'This invitation has expired. Ask the shop to send it again.',
    INVITATION_REVOKED: 'This invitation was withdrawn by the shop.',
    INVITATION_USED: 'This invitation has been used already. Sign in to the shop\'s dashboard instead.',
  };

  const invitationPage = () => ({
    invitation: null, loading: true, problem: '', error: '', busy: false, firstName: '', lastName: '', password: '',
    url(path = '') { return `/api/v1/invitations/${encodeURIComponent(this.$root.dataset.token)}${path}`; },
    async init() {
      try {
        this.invitation = await api('GET', this.url());
      } catch (e) {
        this.problem = PROBLEMS[e.code] || `The invitation could not be read: ${e.message}`;
      } finally {
        this.loading = false;
      }
    },
    async accept() {
      this.busy = true; this.error = '';
      const body = { password: this.password };
      if (!this.invitation.has_account) Object.assign(body, { first_name: this.firstName.trim(), last_name: this.lastName.trim() });
      try {
        await api('POST', this.url('/accept'), body);
        // Joined: the dashboard's own sign-in sets the browser session.
        const code = this.invitation.vendor_code;
        const { redirect } = await api('POST', `/vendor/${code}/login`, { email: this.invitation.email, password: this.password });
        window.location.assign(redirect);
      } catch (e) {
        this.error = PROBLEMS[e.code] || e.message;
      } finally {
        this.busy = false;
      }
    },
  });

  document.addEventListener('alpine:init', () => {
    window.Alpine.data('teamPage', teamPage);
    window.Alpine.data('invitationPage', invitationPage);
  });
})();
