//! Product images over PostgreSQL: the rows, their order, and the addresses they are shown at.

use std::collections::HashMap;

use db::product_images::{self as repo, Image, Source};
use db::{ImageId, ProductId, TenantScope, TenantTx};
use media::ImageKey;
use validator::Validate;

use crate::{CatalogError, ImageOrder, ImageSource, ImageView, MAX_IMAGES, PgCatalog, RemoteImage};

impl PgCatalog {
    fn image_view(&self, image: Image) -> ImageView {
        let (source, url, thumbnail_url) = match (image.storage_key, image.remote_url) {
            (Some(key), _) => {
                let key = ImageKey::stored(key);
                (
                    ImageSource::Upload,
                    self.media.url(&key.large()),
                    self.media.url(&key.thumbnail()),
                )
            }
            (None, remote) => {
                let remote = remote.unwrap_or_default();
                (ImageSource::Remote, remote.clone(), remote)
            }
        };
        ImageView {
            id: image.id,
            position: image.position,
            source,
            url,
            thumbnail_url,
            width: image.width,
            height: image.height,
        }
    }

    /// The images of these products, by product, each list in order.
    pub(crate) fn images_of(
        &self,
        tx: &mut TenantTx<'_>,
        ids: &[ProductId],
    ) -> Result<HashMap<ProductId, Vec<ImageView>>, CatalogError> {
        let mut by_product: HashMap<ProductId, Vec<ImageView>> = HashMap::new();
        for image in repo::of_products(tx, ids)? {
            by_product
                .entry(image.product_id)
                .or_default()
                .push(self.image_view(image));
        }
        Ok(by_product)
    }

    fn product_images(
        &self,
        tx: &mut TenantTx<'_>,
        id: ProductId,
    ) -> Result<Vec<ImageView>, CatalogError> {
        Ok(self.images_of(tx, &[id])?.remove(&id).unwrap_or_default())
    }

    pub(crate) fn list_images(
        &self,
        scope: &TenantScope,
        id: ProductId,
    ) -> Result<Vec<ImageView>, CatalogError> {
        self.db.tenant(scope, |tx| {
            db::catalog::find(tx, id)?.ok_or(CatalogError::NotFound)?;
            self.product_images(tx, id)
        })
    }

    /// Appends one image, within the per-product limit.
    fn append_image(
        &self,
        scope: &TenantScope,
        id: ProductId,
        source: Source<'_>,
    ) -> Result<ImageView, CatalogError> {
        self.db.tenant(scope, |tx| {
            let count = repo::lock_product(tx, id)?.ok_or(CatalogError::NotFound)?;
            if count >= MAX_IMAGES {
                return Err(CatalogError::TooManyImages(MAX_IMAGES));
            }
            let added = repo::append(tx, id, &[source])?;
            added
                .into_iter()
                .next()
                .map(|image| self.image_view(image))
                .ok_or(CatalogError::NotFound)
        })
    }

    pub(crate) fn add_remote(
        &self,
        scope: &TenantScope,
        id: ProductId,
        input: &RemoteImage,
    ) -> Result<ImageView, CatalogError> {
        input.validate()?;
        self.append_image(scope, id, Source::Remote(input.url.trim()))
    }

    pub(crate) fn replace_remote(
        &self,
        tx: &mut TenantTx<'_>,
        id: ProductId,
        urls: &[String],
    ) -> Result<(), CatalogError> {
        repo::lock_product(tx, id)?.ok_or(CatalogError::NotFound)?;
        repo::remove_remote(tx, id)?;
        let uploads = repo::lock_product(tx, id)?.unwrap_or(0);
        let room = usize::try_from(MAX_IMAGES - uploads).unwrap_or(0);
        let sources: Vec<Source<'_>> = urls
            .iter()
            .take(room)
            .map(|url| Source::Remote(url))
            .collect();
        if !sources.is_empty() {
            repo::append(tx, id, &sources)?;
        }
        Ok(())
    }

    pub(crate) fn add_upload(
        &self,
        scope: &TenantScope,
        id: ProductId,
        key: &ImageKey,
        (width, height): (u32, u32),
    ) -> Result<ImageView, CatalogError> {
        let source = Source::Upload {
            key: key.as_str(),
            width: i32::try_from(width).unwrap_or(i32::MAX),
            height: i32::try_from(height).unwrap_or(i32::MAX),
        };
        self.append_image(scope, id, source)
    }

    pub(crate) fn remove(
        &self,
        scope: &TenantScope,
        id: ProductId,
        image: ImageId,
    ) -> Result<Option<ImageKey>, CatalogError> {
        self.db.tenant(scope, |tx| {
            repo::lock_product(tx, id)?.ok_or(CatalogError::NotFound)?;
            let removed = repo::remove(tx, id, image)?.ok_or(CatalogError::ImageNotFound)?;
            Ok(removed.storage_key.map(ImageKey::stored))
        })
    }

    pub(crate) fn reorder(
        &self,
        scope: &TenantScope,
        id: ProductId,
        input: &ImageOrder,
    ) -> Result<Vec<ImageView>, CatalogError> {
        input.validate()?;
        self.db.tenant(scope, |tx| {
            repo::lock_product(tx, id)?.ok_or(CatalogError::NotFound)?;
            let mut current: Vec<ImageId> = self
                .product_images(tx, id)?
                .into_iter()
                .map(|i| i.id)
                .collect();
            let mut asked = input.ids.clone();
            current.sort_unstable();
            asked.sort_unstable();
            if current != asked {
                return Err(CatalogError::ImagesChanged);
            }
            repo::reorder(tx, id, &input.ids)?;
            self.product_images(tx, id)
        })
    }
}
