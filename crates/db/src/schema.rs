// @generated automatically by Diesel CLI.

pub mod sql_types {
    #[derive(diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "tsvector", schema = "pg_catalog"))]
    pub struct Tsvector;
}

diesel::table! {
    admin_mass_actions (id) {
        id -> Int8,
        job_id -> Nullable<Int8>,
        action -> Text,
        vendor_ids -> Array<Nullable<Int8>>,
        status -> Text,
        results -> Jsonb,
        failure -> Nullable<Text>,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
    }
}

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
    cart_items (cart_id, product_id) {
        vendor_id -> Int8,
        cart_id -> Int8,
        product_id -> Int8,
        quantity -> Int4,
        added_at -> Timestamptz,
    }
}

diesel::table! {
    carts (id) {
        id -> Int8,
        vendor_id -> Int8,
        session_hash -> Text,
        customer_id -> Nullable<Int8>,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    catalog_counters (vendor_id) {
        vendor_id -> Int8,
        products -> Int8,
        active -> Int8,
    }
}

diesel::table! {
    customer_addresses (id) {
        id -> Int8,
        vendor_id -> Int8,
        customer_id -> Int8,
        label -> Text,
        name -> Text,
        street -> Text,
        postal_code -> Text,
        city -> Text,
        #[max_length = 2]
        country -> Bpchar,
        phone -> Nullable<Text>,
        is_default_shipping -> Bool,
        is_default_billing -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    customer_password_resets (id) {
        id -> Int8,
        vendor_id -> Int8,
        customer_id -> Int8,
        token_hash -> Text,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    customers (id) {
        id -> Int8,
        vendor_id -> Int8,
        email -> Text,
        password_hash -> Text,
        first_name -> Text,
        last_name -> Text,
        phone -> Nullable<Text>,
        is_active -> Bool,
        last_login_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        erased_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    inventory (product_id, location_id) {
        vendor_id -> Int8,
        product_id -> Int8,
        location_id -> Int8,
        quantity -> Int4,
        reserved_quantity -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    inventory_locations (id) {
        id -> Int8,
        vendor_id -> Int8,
        code -> Text,
        name -> Text,
        is_default -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    inventory_movements (id) {
        id -> Int8,
        vendor_id -> Int8,
        product_id -> Int8,
        location_id -> Int8,
        kind -> Text,
        quantity_delta -> Int4,
        reserved_delta -> Int4,
        quantity_after -> Int4,
        reserved_after -> Int4,
        order_id -> Nullable<Int8>,
        user_id -> Nullable<Int8>,
        note -> Text,
        at -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        id -> Int8,
        kind -> Text,
        vendor_id -> Nullable<Int8>,
        payload -> Jsonb,
        status -> Text,
        attempts -> Int4,
        max_attempts -> Int4,
        run_at -> Timestamptz,
        locked_by -> Nullable<Text>,
        lease_until -> Nullable<Timestamptz>,
        cancel_requested -> Bool,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    marketplace_import_errors (id) {
        id -> Int8,
        vendor_id -> Int8,
        import_id -> Int8,
        row_number -> Int8,
        column_name -> Nullable<Text>,
        message -> Text,
        raw -> Text,
    }
}

diesel::table! {
    marketplace_imports (id) {
        id -> Int8,
        vendor_id -> Int8,
        job_id -> Nullable<Int8>,
        language -> Text,
        source_kind -> Text,
        source -> Text,
        upload_key -> Nullable<Text>,
        status -> Text,
        total_rows -> Int4,
        processed_rows -> Int4,
        created_count -> Int4,
        updated_count -> Int4,
        unchanged_count -> Int4,
        error_count -> Int4,
        failure -> Nullable<Text>,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    marketplace_product_translations (marketplace_product_id, language) {
        marketplace_product_id -> Int8,
        language -> Text,
        vendor_id -> Int8,
        title -> Text,
        description -> Text,
        link -> Nullable<Text>,
        raw -> Jsonb,
        last_import_id -> Nullable<Int8>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    marketplace_products (id) {
        id -> Int8,
        vendor_id -> Int8,
        external_id -> Text,
        price_cents -> Int8,
        sale_price_cents -> Nullable<Int8>,
        currency -> Text,
        availability -> Text,
        brand -> Nullable<Text>,
        gtin -> Nullable<Text>,
        mpn -> Nullable<Text>,
        condition -> Text,
        image_link -> Nullable<Text>,
        additional_image_links -> Array<Nullable<Text>>,
        google_product_category -> Nullable<Text>,
        product_type -> Nullable<Text>,
        item_group_id -> Nullable<Text>,
        color -> Nullable<Text>,
        size -> Nullable<Text>,
        product_id -> Nullable<Int8>,
        synced -> Nullable<Jsonb>,
        missing_since -> Nullable<Timestamptz>,
        last_import_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    order_counters (vendor_id) {
        vendor_id -> Int8,
        last_number -> Int8,
    }
}

diesel::table! {
    order_items (id) {
        id -> Int8,
        vendor_id -> Int8,
        order_id -> Int8,
        product_id -> Nullable<Int8>,
        sku -> Text,
        title -> Text,
        unit_price_cents -> Int8,
        quantity -> Int4,
        line_total_cents -> Int8,
        refunded_quantity -> Int4,
    }
}

diesel::table! {
    order_status_history (id) {
        id -> Int8,
        vendor_id -> Int8,
        order_id -> Int8,
        from_status -> Nullable<Text>,
        to_status -> Text,
        changed_by_user_id -> Nullable<Int8>,
        note -> Text,
        at -> Timestamptz,
    }
}

diesel::table! {
    orders (id) {
        id -> Int8,
        vendor_id -> Int8,
        order_number -> Text,
        customer_id -> Nullable<Int8>,
        email -> Text,
        status -> Text,
        payment_status -> Text,
        payment_method -> Text,
        shipping_method -> Text,
        #[max_length = 3]
        currency -> Bpchar,
        subtotal_cents -> Int8,
        shipping_cents -> Int8,
        tax_cents -> Int8,
        total_cents -> Int8,
        vat_rate_basis_points -> Int4,
        shipping_address -> Jsonb,
        billing_address -> Jsonb,
        notes -> Text,
        language -> Text,
        idempotency_key -> Nullable<Text>,
        placed_at -> Timestamptz,
        updated_at -> Timestamptz,
        carrier -> Nullable<Text>,
        tracking_number -> Nullable<Text>,
        shipped_at -> Nullable<Timestamptz>,
        paid_at -> Nullable<Timestamptz>,
        refunded_cents -> Int8,
        card_session_id -> Nullable<Text>,
    }
}

diesel::table! {
    outbound_emails (id) {
        id -> Int8,
        vendor_id -> Nullable<Int8>,
        to_address -> Text,
        template -> Text,
        language -> Text,
        context -> Jsonb,
        status -> Text,
        subject -> Nullable<Text>,
        text_body -> Nullable<Text>,
        html_body -> Nullable<Text>,
        error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    payment_accounts (vendor_id) {
        vendor_id -> Int8,
        provider -> Text,
        secret_key_sealed -> Bytea,
        webhook_secret_sealed -> Bytea,
        key_hint -> Text,
        live_mode -> Bool,
        connected_at -> Timestamptz,
    }
}

diesel::table! {
    payment_events (id) {
        id -> Int8,
        vendor_id -> Int8,
        event_id -> Text,
        event_type -> Text,
        order_number -> Nullable<Text>,
        outcome -> Text,
        received_at -> Timestamptz,
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
    product_images (id) {
        id -> Int8,
        vendor_id -> Int8,
        product_id -> Int8,
        position -> Int4,
        remote_url -> Nullable<Text>,
        storage_key -> Nullable<Text>,
        width -> Nullable<Int4>,
        height -> Nullable<Int4>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Tsvector;

    product_search (product_id) {
        product_id -> Int8,
        vendor_id -> Int8,
        is_active -> Bool,
        search_vector -> Tsvector,
    }
}

diesel::table! {
    product_translations (product_id, language) {
        vendor_id -> Int8,
        product_id -> Int8,
        language -> Text,
        title -> Text,
        description -> Text,
    }
}

diesel::table! {
    products (id) {
        id -> Int8,
        vendor_id -> Int8,
        sku -> Text,
        brand -> Text,
        gtin -> Nullable<Text>,
        condition -> Text,
        price_cents -> Int8,
        sale_price_cents -> Nullable<Int8>,
        #[max_length = 3]
        currency -> Bpchar,
        is_active -> Bool,
        is_featured -> Bool,
        low_inventory_threshold -> Int4,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
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
        is_default -> Bool,
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
    vendor_bulk_imports (id) {
        id -> Int8,
        job_id -> Nullable<Int8>,
        status -> Text,
        file_name -> Text,
        csv -> Nullable<Bytea>,
        total_rows -> Int4,
        processed_rows -> Int4,
        created -> Jsonb,
        failed -> Jsonb,
        passwords_shown -> Bool,
        failure -> Nullable<Text>,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
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
        verification_token -> Text,
        last_checked_at -> Nullable<Timestamptz>,
        check_error -> Nullable<Text>,
    }
}

diesel::table! {
    vendor_invitations (id) {
        id -> Int8,
        vendor_id -> Int8,
        email -> Text,
        role_id -> Int8,
        token_hash -> Text,
        invited_by -> Nullable<Int8>,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
        accepted_by -> Nullable<Int8>,
        revoked_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    vendor_settings (vendor_id) {
        vendor_id -> Int8,
        letzshop_csv_urls -> Jsonb,
        settings -> Jsonb,
        updated_at -> Timestamptz,
        default_language -> Text,
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
        updated_at -> Timestamptz,
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

diesel::joinable!(admin_mass_actions -> jobs (job_id));
diesel::joinable!(admin_mass_actions -> users (created_by));
diesel::joinable!(audit_logs -> users (actor_user_id));
diesel::joinable!(audit_logs -> vendors (vendor_id));
diesel::joinable!(cart_items -> vendors (vendor_id));
diesel::joinable!(carts -> vendors (vendor_id));
diesel::joinable!(catalog_counters -> vendors (vendor_id));
diesel::joinable!(customer_addresses -> vendors (vendor_id));
diesel::joinable!(customer_password_resets -> vendors (vendor_id));
diesel::joinable!(customers -> vendors (vendor_id));
diesel::joinable!(inventory_locations -> vendors (vendor_id));
diesel::joinable!(inventory_movements -> users (user_id));
diesel::joinable!(jobs -> vendors (vendor_id));
diesel::joinable!(marketplace_import_errors -> marketplace_imports (import_id));
diesel::joinable!(marketplace_import_errors -> vendors (vendor_id));
diesel::joinable!(marketplace_imports -> jobs (job_id));
diesel::joinable!(marketplace_imports -> users (created_by));
diesel::joinable!(marketplace_imports -> vendors (vendor_id));
diesel::joinable!(marketplace_product_translations -> marketplace_products (marketplace_product_id));
diesel::joinable!(marketplace_products -> products (product_id));
diesel::joinable!(marketplace_products -> vendors (vendor_id));
diesel::joinable!(order_counters -> vendors (vendor_id));
diesel::joinable!(order_items -> vendors (vendor_id));
diesel::joinable!(order_status_history -> users (changed_by_user_id));
diesel::joinable!(order_status_history -> vendors (vendor_id));
diesel::joinable!(orders -> vendors (vendor_id));
diesel::joinable!(outbound_emails -> vendors (vendor_id));
diesel::joinable!(payment_accounts -> vendors (vendor_id));
diesel::joinable!(payment_events -> vendors (vendor_id));
diesel::joinable!(platform_settings -> users (updated_by));
diesel::joinable!(products -> vendors (vendor_id));
diesel::joinable!(refresh_tokens -> customers (customer_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(refresh_tokens -> vendors (vendor_id));
diesel::joinable!(roles -> vendors (vendor_id));
diesel::joinable!(vendor_bulk_imports -> jobs (job_id));
diesel::joinable!(vendor_bulk_imports -> users (created_by));
diesel::joinable!(vendor_domains -> vendors (vendor_id));
diesel::joinable!(vendor_invitations -> vendors (vendor_id));
diesel::joinable!(vendor_settings -> vendors (vendor_id));
diesel::joinable!(vendor_users -> vendors (vendor_id));
diesel::joinable!(vendors -> users (owner_user_id));

diesel::allow_tables_to_appear_in_same_query!(
    admin_mass_actions,
    audit_logs,
    cart_items,
    carts,
    catalog_counters,
    customer_addresses,
    customer_password_resets,
    customers,
    inventory,
    inventory_locations,
    inventory_movements,
    jobs,
    marketplace_import_errors,
    marketplace_imports,
    marketplace_product_translations,
    marketplace_products,
    order_counters,
    order_items,
    order_status_history,
    orders,
    outbound_emails,
    payment_accounts,
    payment_events,
    platform_settings,
    product_images,
    product_search,
    product_translations,
    products,
    refresh_tokens,
    roles,
    users,
    vendor_bulk_imports,
    vendor_domains,
    vendor_invitations,
    vendor_settings,
    vendor_users,
    vendors,
);
