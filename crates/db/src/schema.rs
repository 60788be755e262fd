// @generated automatically by Diesel CLI.

diesel::table! {
    audit_logs (id) {
        id -> Int8,
        actor_user_id -> Nullable<Int8>,
        vendor_id -> Nullable<Int8>,
        action -> Text,
        target_type -> Text,
        target_id -> Text,
        details -> Jsonb,
        ip -> Nullable<Text>,
        request_id -> Nullable<Text>,
        at -> Timestamptz,
    }
}

diesel::table! {
    platform_settings (key) {
        key -> Text,
        value -> Jsonb,
        updated_by -> Nullable<Int8>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Int8,
        token_hash -> Text,
        family -> Uuid,
        principal_kind -> Text,
        user_id -> Nullable<Int8>,
        customer_id -> Nullable<Int8>,
        vendor_id -> Nullable<Int8>,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        replaced_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    roles (id) {
        id -> Int8,
        vendor_id -> Int8,
        name -> Text,
        permissions -> Array<Nullable<Text>>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Int8,
        email -> Text,
        password_hash -> Text,
        first_name -> Text,
        last_name -> Text,
        is_platform_admin -> Bool,
        is_active -> Bool,
        last_login_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    vendor_domains (id) {
        id -> Int8,
        vendor_id -> Int8,
        domain -> Text,
        is_primary -> Bool,
        verified_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    vendor_settings (vendor_id) {
        vendor_id -> Int8,
        letzshop_csv_urls -> Jsonb,
        settings -> Jsonb,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    vendor_users (id) {
        id -> Int8,
        vendor_id -> Int8,
        user_id -> Int8,
        role_id -> Int8,
        invited_by -> Nullable<Int8>,
        is_active -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    vendors (id) {
        id -> Int8,
        code -> Text,
        name -> Text,
        subdomain -> Text,
        description -> Text,
        business_email -> Nullable<Text>,
        business_phone -> Nullable<Text>,
        business_address -> Nullable<Text>,
        is_active -> Bool,
        is_verified -> Bool,
        owner_user_id -> Int8,
        theme -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(audit_logs -> users (actor_user_id));
diesel::joinable!(audit_logs -> vendors (vendor_id));
diesel::joinable!(platform_settings -> users (updated_by));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(refresh_tokens -> vendors (vendor_id));
diesel::joinable!(roles -> vendors (vendor_id));
diesel::joinable!(vendor_domains -> vendors (vendor_id));
diesel::joinable!(vendor_settings -> vendors (vendor_id));
diesel::joinable!(vendor_users -> vendors (vendor_id));
diesel::joinable!(vendors -> users (owner_user_id));

diesel::allow_tables_to_appear_in_same_query!(
    audit_logs,
    platform_settings,
    refresh_tokens,
    roles,
    users,
    vendor_domains,
    vendor_settings,
    vendor_users,
    vendors,
);
