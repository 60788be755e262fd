//! The catalogue against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::sync::Arc;

use catalog::{
    BulkStatus, CatalogError, CatalogService, ImageOrder, ImageSource, Language, MAX_IMAGES,
    NewProduct, PgCatalog, ProductQuery, ProductText, RemoteImage, SortOrder, Translations,
    UpdateProduct,
};
use db::test_support::TestDb;
use db::{ImageId, ProductId, TenantScope, VendorId};
use diesel::connection::SimpleConnection;
use media::ImageKey;

const ALPHA: TenantScope = TenantScope::trusted(VendorId(10));
const BETA: TenantScope = TenantScope::trusted(VendorId(20));

fn setup() -> (TestDb, PgCatalog) {
    let test = TestDb::with_two_vendors();
    test.owner_conn()
        .batch_execute(
            "INSERT INTO vendor_settings (vendor_id, default_language) VALUES (10, 'fr'), (20, 'en');",
        )
        .unwrap();
    let db = test.db();
    let catalog = PgCatalog::new(
        db.clone(),
        Arc::new(inventory::PgInventory::new(db)),
        media::MediaStore::in_memory("/media"),
    );
    (test, catalog)
}

fn product(sku: &str, title: &str, price_cents: i64) -> NewProduct {
    NewProduct {
        sku: sku.into(),
        title: title.into(),
        description: None,
        language: None,
        translations: None,
        price_cents,
        sale_price_cents: None,
        currency: None,
        brand: None,
        gtin: None,
        condition: None,
        is_active: None,
        is_featured: None,
        low_inventory_threshold: None,
    }
}

fn search(catalog: &PgCatalog, scope: &TenantScope, query: ProductQuery) -> Vec<String> {
    catalog
        .search(scope, &query)
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.sku)
        .collect()
}

fn q(text: &str) -> ProductQuery {
    ProductQuery {
        q: Some(text.into()),
        ..ProductQuery::default()
    }
}

#[test]
fn create_read_edit_and_delete_with_translations() {
    let (_test, catalog) = setup();
    let mut input = product("SCARF-1", "Écharpe en laine", 4_990);
    input.description = Some("Chaude et douce".into());
    input.brand = Some("Moselle & Co".into());
    input.gtin = Some("4006381333931".into());
    input.translations = Some(Translations {
        de: Some(ProductText {
            title: "Wollschal".into(),
            description: None,
        }),
        en: Some(ProductText {
            title: "Wool scarf".into(),
            description: Some("Warm".into()),
        }),
        fr: None,
    });
    let created = catalog.create(&ALPHA, &input).unwrap();
    assert_eq!(
        (created.language, created.title.as_str()),
        (Language::Fr, "Écharpe en laine")
    );
    assert_eq!(created.translations.len(), 3);
    assert_eq!(
        (
            created.currency.as_str(),
            created.version,
            created.is_active
        ),
        ("EUR", 1, true)
    );
    assert_eq!(created.inventory.available, 0);

    let mut bad = product("X-1", "x", 100);
    bad.gtin = Some("4006381333932".into());
    bad.sale_price_cents = Some(200);
    match catalog.create(&ALPHA, &bad) {
        Err(CatalogError::Validation(e)) => assert!(e.field_errors().contains_key("gtin")),
        other => panic!("a bad check digit is refused: {other:?}"),
    }
    bad.gtin = None;
    assert!(
        matches!(
            catalog.create(&ALPHA, &bad),
            Err(CatalogError::Validation(_))
        ),
        "sale above price"
    );

    let edit = UpdateProduct {
        version: created.version,
        price_cents: Some(3_990),
        title: Some("Wool scarf, grey".into()),
        language: Some(Language::En),
        ..UpdateProduct::default()
    };
    let edited = catalog.update(&ALPHA, created.id, &edit).unwrap();
    assert_eq!((edited.price_cents, edited.version), (3_990, 2));
    let en = edited
        .translations
        .iter()
        .find(|t| t.language == Language::En)
        .unwrap();
    assert_eq!(en.title, "Wool scarf, grey");
    assert_eq!(
        en.description, "Warm",
        "a title alone keeps the description"
    );
    assert_eq!(
        edited.title, "Écharpe en laine",
        "the vendor's language stays the main one"
    );

    // A second edit based on version 1 is stale: 409 and nothing changes.
    let stale = UpdateProduct {
        version: 1,
        price_cents: Some(1),
        ..UpdateProduct::default()
    };
    assert!(matches!(
        catalog.update(&ALPHA, created.id, &stale),
        Err(CatalogError::VersionConflict { current: 2 })
    ));
    assert_eq!(catalog.get(&ALPHA, created.id).unwrap().price_cents, 3_990);

    catalog.delete(&ALPHA, created.id).unwrap();
    assert!(matches!(
        catalog.get(&ALPHA, created.id),
        Err(CatalogError::NotFound)
    ));
    assert!(matches!(
        catalog.delete(&ALPHA, created.id),
        Err(CatalogError::NotFound)
    ));
}

#[test]
fn skus_are_unique_per_vendor_and_free_again_after_delete() {
    let (_test, catalog) = setup();
    let first = catalog
        .create(&ALPHA, &product("SKU-1", "One", 100))
        .unwrap();
    assert!(matches!(
        catalog.create(&ALPHA, &product("SKU-1", "Two", 100)),
        Err(CatalogError::SkuTaken(s)) if s == "SKU-1"
    ));
    catalog
        .create(&BETA, &product("SKU-1", "Beta's own", 100))
        .expect("another vendor may use it");
    let second = catalog
        .create(&ALPHA, &product("SKU-2", "Two", 100))
        .unwrap();
    let clash = UpdateProduct {
        version: second.version,
        sku: Some("SKU-1".into()),
        ..Default::default()
    };
    assert!(matches!(
        catalog.update(&ALPHA, second.id, &clash),
        Err(CatalogError::SkuTaken(_))
    ));
    catalog.delete(&ALPHA, first.id).unwrap();
    catalog
        .create(&ALPHA, &product("SKU-1", "Again", 100))
        .expect("a deleted product's SKU is free");
}

#[test]
fn toggles_and_bulk_status_change_flags_and_counters() {
    let (_test, catalog) = setup();
    let a = catalog.create(&ALPHA, &product("A", "Alpha", 100)).unwrap();
    let b = catalog.create(&ALPHA, &product("B", "Beta", 100)).unwrap();
    let toggled = catalog.toggle_active(&ALPHA, a.id).unwrap();
    assert!(!toggled.is_active && toggled.version == 2);
    assert!(catalog.toggle_featured(&ALPHA, a.id).unwrap().is_featured);
    let page = catalog
        .search(
            &ALPHA,
            &ProductQuery {
                is_active: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (page.total, page.total_is_capped),
        (1, false),
        "the active counter moved"
    );
    let result = catalog
        .set_active(
            &ALPHA,
            &BulkStatus {
                ids: vec![a.id, b.id, ProductId(999_999)],
                is_active: false,
            },
        )
        .unwrap();
    assert_eq!(
        result.changed, 1,
        "a was already inactive; the unknown id is skipped"
    );
    let all = catalog.search(&ALPHA, &ProductQuery::default()).unwrap();
    assert_eq!(all.total, 2);
    assert!(all.items.iter().all(|p| !p.is_active));
    assert!(matches!(
        catalog.toggle_active(&BETA, a.id),
        Err(CatalogError::NotFound)
    ));
}

#[test]
fn search_ranks_finds_without_accents_by_prefix_and_filters() {
    let (_test, catalog) = setup();
    let mut scarf = product("SCARF", "Écharpe en laine mérinos", 5_000);
    scarf.brand = Some("Gëlle Fra".into());
    catalog.create(&ALPHA, &scarf).unwrap();
    let mut hat = product("HAT", "Bonnet", 2_000);
    hat.description = Some("Assorti à notre écharpe".into());
    catalog.create(&ALPHA, &hat).unwrap();
    let mut mug = product("MUG", "Tasse", 1_000);
    mug.brand = Some("Gëlle Fra".into());
    mug.is_featured = Some(true);
    catalog.create(&ALPHA, &mug).unwrap();
    catalog
        .create(&BETA, &product("SECRET", "Écharpe secrète", 100))
        .unwrap();

    assert_eq!(
        search(&catalog, &ALPHA, q("echarpe")),
        ["SCARF", "HAT"],
        "title above description, accents ignored"
    );
    assert_eq!(
        search(&catalog, &ALPHA, q("ECHARP")),
        ["SCARF", "HAT"],
        "prefix, any case"
    );
    assert_eq!(search(&catalog, &ALPHA, q("merin")), ["SCARF"]);
    assert_eq!(
        search(&catalog, &ALPHA, q("gelle")),
        ["MUG", "SCARF"],
        "the brand is searched too"
    );
    assert!(
        search(&catalog, &ALPHA, q("secrete")).is_empty(),
        "another vendor's title finds nothing"
    );
    assert_eq!(search(&catalog, &BETA, q("secrete")), ["SECRET"]);
    assert_eq!(
        search(&catalog, &ALPHA, q("  !! ")).len(),
        3,
        "no words: no text filter"
    );

    let filtered = ProductQuery {
        q: Some("gelle".into()),
        is_featured: Some(true),
        max_price: Some(1_500),
        ..ProductQuery::default()
    };
    assert_eq!(search(&catalog, &ALPHA, filtered), ["MUG"]);
    let by_price = ProductQuery {
        sort: Some(SortOrder::PriceAsc),
        ..ProductQuery::default()
    };
    assert_eq!(search(&catalog, &ALPHA, by_price), ["MUG", "HAT", "SCARF"]);
    let brand = ProductQuery {
        brand: Some("Gëlle Fra".into()),
        sort: Some(SortOrder::PriceDesc),
        ..Default::default()
    };
    assert_eq!(search(&catalog, &ALPHA, brand), ["SCARF", "MUG"]);
    let in_stock = ProductQuery {
        in_stock: Some(true),
        ..ProductQuery::default()
    };
    assert!(
        search(&catalog, &ALPHA, in_stock).is_empty(),
        "nothing has inventory yet"
    );
}

#[test]
fn pages_are_stable_and_search_totals_are_capped() {
    let (test, catalog) = setup();
    test.owner_conn()
        .batch_execute(
            "INSERT INTO products (vendor_id, sku, price_cents, created_at)
               SELECT 10, 'P' || n, 100 * (n % 7), '2026-01-01'::timestamptz
               FROM generate_series(1, 1100) n;
             INSERT INTO product_translations (vendor_id, product_id, language, title)
               SELECT 10, id, 'fr', 'Produit ' || sku FROM products WHERE vendor_id = 10;",
        )
        .unwrap();
    let page = |n: i64| {
        catalog
            .search(
                &ALPHA,
                &ProductQuery {
                    page: Some(n),
                    per_page: Some(100),
                    ..Default::default()
                },
            )
            .unwrap()
    };
    let (first, second) = (page(1), page(2));
    assert_eq!(
        (first.total, first.total_is_capped),
        (1100, false),
        "unfiltered: the exact counter"
    );
    let ids: std::collections::HashSet<_> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|p| p.id)
        .collect();
    assert_eq!(
        ids.len(),
        200,
        "equal timestamps still page without overlap (id breaks ties)"
    );
    let searched = catalog.search(&ALPHA, &q("produit")).unwrap();
    assert_eq!(
        (searched.total, searched.total_is_capped),
        (1100, false),
        "a text search ranks, and so counts, every match"
    );
    let beyond = catalog
        .search(
            &ALPHA,
            &ProductQuery {
                page: Some(60),
                ..q("produit")
            },
        )
        .unwrap();
    assert_eq!(
        (beyond.items.len(), beyond.total),
        (0, 1000),
        "past the end: the capped count"
    );
    let filtered = catalog
        .search(
            &ALPHA,
            &ProductQuery {
                min_price: Some(0),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (filtered.total, filtered.total_is_capped),
        (1000, true),
        "other filters count up to the cap"
    );
}

fn remote(url: &str) -> RemoteImage {
    RemoteImage { url: url.into() }
}

#[test]
fn images_keep_their_order_and_reorder_as_a_whole() {
    let (_test, catalog) = setup();
    let p = catalog
        .create(&ALPHA, &product("IMG-1", "Lampe", 100))
        .unwrap();
    let first = catalog
        .add_remote_image(&ALPHA, p.id, &remote("https://cdn.letzshop.lu/a.jpg"))
        .unwrap();
    let key = ImageKey::new(10);
    let second = catalog
        .add_uploaded_image(&ALPHA, p.id, &key, (1200, 800))
        .unwrap();
    assert_eq!((first.position, second.position), (0, 1));
    assert_eq!(first.source, ImageSource::Remote);
    assert_eq!(first.thumbnail_url, "https://cdn.letzshop.lu/a.jpg");
    assert_eq!(second.source, ImageSource::Upload);
    assert_eq!(second.url, format!("/media/{}", key.large()));
    assert_eq!(second.thumbnail_url, format!("/media/{}", key.thumbnail()));
    assert_eq!((second.width, second.height), (Some(1200), Some(800)));

    let shown = catalog.get(&ALPHA, p.id).unwrap().images;
    assert_eq!(
        shown.iter().map(|i| i.id).collect::<Vec<_>>(),
        [first.id, second.id]
    );

    let reordered = catalog
        .reorder_images(
            &ALPHA,
            p.id,
            &ImageOrder {
                ids: vec![second.id, first.id],
            },
        )
        .unwrap();
    assert_eq!(
        reordered
            .iter()
            .map(|i| (i.id, i.position))
            .collect::<Vec<_>>(),
        [(second.id, 0), (first.id, 1)]
    );

    // Not exactly the product's images (stale, repeated, foreign): nothing changes.
    for ids in [
        vec![second.id],
        vec![second.id, second.id],
        vec![second.id, first.id, ImageId(999_999)],
    ] {
        let refused = catalog.reorder_images(&ALPHA, p.id, &ImageOrder { ids });
        assert!(
            matches!(refused, Err(CatalogError::ImagesChanged)),
            "{refused:?}"
        );
    }
    assert_eq!(catalog.images(&ALPHA, p.id).unwrap()[0].id, second.id);

    // Removing an upload answers its key (its files go next); a remote image has none.
    assert_eq!(
        catalog.remove_image(&ALPHA, p.id, second.id).unwrap(),
        Some(key)
    );
    assert_eq!(catalog.remove_image(&ALPHA, p.id, first.id).unwrap(), None);
    assert!(matches!(
        catalog.remove_image(&ALPHA, p.id, first.id),
        Err(CatalogError::ImageNotFound)
    ));
    assert!(catalog.images(&ALPHA, p.id).unwrap().is_empty());
}

#[test]
fn remote_images_must_be_web_addresses_and_a_product_has_a_limit() {
    let (_test, catalog) = setup();
    let p = catalog
        .create(&ALPHA, &product("IMG-2", "Vase", 100))
        .unwrap();
    for bad in [
        "javascript:alert(1)",
        "ftp://x.lu/a.jpg",
        "https://",
        "https://x.lu/a b.jpg",
        "/media/x.jpg",
    ] {
        assert!(
            matches!(
                catalog.add_remote_image(&ALPHA, p.id, &remote(bad)),
                Err(CatalogError::Validation(_))
            ),
            "{bad}"
        );
    }
    for n in 0..MAX_IMAGES {
        catalog
            .add_remote_image(&ALPHA, p.id, &remote(&format!("https://x.lu/{n}.jpg")))
            .unwrap();
    }
    assert!(matches!(
        catalog.add_remote_image(&ALPHA, p.id, &remote("https://x.lu/one-more.jpg")),
        Err(CatalogError::TooManyImages(_))
    ));
    assert_eq!(
        catalog.images(&ALPHA, p.id).unwrap().len() as i64,
        MAX_IMAGES
    );
}

#[test]
fn another_vendor_cannot_see_add_reorder_or_remove_images() {
    let (_test, catalog) = setup();
    let p = catalog
        .create(&ALPHA, &product("IMG-3", "Sac", 100))
        .unwrap();
    let image = catalog
        .add_remote_image(&ALPHA, p.id, &remote("https://x.lu/a.jpg"))
        .unwrap();
    let not_found = |r: Result<_, CatalogError>| matches!(r, Err(CatalogError::NotFound));
    assert!(not_found(catalog.images(&BETA, p.id).map(|_| ())));
    assert!(not_found(
        catalog
            .add_remote_image(&BETA, p.id, &remote("https://x.lu/b.jpg"))
            .map(|_| ())
    ));
    assert!(not_found(
        catalog
            .add_uploaded_image(&BETA, p.id, &ImageKey::new(20), (1, 1))
            .map(|_| ())
    ));
    assert!(not_found(
        catalog.remove_image(&BETA, p.id, image.id).map(|_| ())
    ));
    assert!(not_found(
        catalog
            .reorder_images(
                &BETA,
                p.id,
                &ImageOrder {
                    ids: vec![image.id]
                }
            )
            .map(|_| ())
    ));
    // Beta's own product cannot take Alpha's image either.
    let theirs = catalog
        .create(&BETA, &product("IMG-3", "Sac", 100))
        .unwrap();
    assert!(matches!(
        catalog.remove_image(&BETA, theirs.id, image.id),
        Err(CatalogError::ImageNotFound)
    ));
    // An upload key in another vendor's folder is refused by the database itself.
    assert!(
        catalog
            .add_uploaded_image(&BETA, theirs.id, &ImageKey::new(10), (1, 1))
            .is_err()
    );
    assert_eq!(catalog.images(&ALPHA, p.id).unwrap().len(), 1);
}

#[test]
fn searches_follow_status_deletion_and_brand_changes() {
    let (_test, catalog) = setup();
    let lamp = catalog
        .create(&ALPHA, &product("L-1", "Lanterne en fer", 500))
        .unwrap();
    let candle = catalog
        .create(&ALPHA, &product("L-2", "Lanterne en verre", 900))
        .unwrap();
    let gone = catalog
        .create(&ALPHA, &product("L-3", "Lanterne cassée", 100))
        .unwrap();
    catalog.delete(&ALPHA, gone.id).unwrap();
    catalog.toggle_active(&ALPHA, candle.id).unwrap();
    let found = |query: ProductQuery| {
        let page = catalog.search(&ALPHA, &query).unwrap();
        (search(&catalog, &ALPHA, query), page.total)
    };
    // The search function's own page (words alone, or active only) ...
    assert_eq!(found(q("lanterne")), (vec!["L-2".into(), "L-1".into()], 2));
    let active_only = ProductQuery {
        is_active: Some(true),
        ..q("lanterne")
    };
    assert_eq!(found(active_only), (vec!["L-1".into()], 1));
    // ... and the general one (any other filter or sort) agree.
    let inactive = ProductQuery {
        is_active: Some(false),
        ..q("lanterne")
    };
    assert_eq!(found(inactive), (vec!["L-2".into()], 1));
    let by_price = ProductQuery {
        sort: Some(SortOrder::PriceAsc),
        ..q("lanterne")
    };
    assert_eq!(found(by_price), (vec!["L-1".into(), "L-2".into()], 2));
    // A new brand is searchable at once.
    assert_eq!(found(q("lumière")).1, 0);
    catalog
        .update(
            &ALPHA,
            lamp.id,
            &UpdateProduct {
                version: lamp.version,
                brand: Some("Lumière & Fils".into()),
                ..UpdateProduct::default()
            },
        )
        .unwrap();
    assert_eq!(found(q("lumiere")), (vec!["L-1".into()], 1));
}
