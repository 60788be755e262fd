//! A product's images: list, upload, add by address, reorder, remove. An upload is checked and
//! re-encoded on the blocking pool, its renditions stored, then recorded; if recording fails
//! (another vendor's product, the limit reached) the stored files are removed again.

use actix_multipart::form::{MultipartForm, bytes::Bytes as MultipartBytes};
use actix_web::{HttpResponse, delete, get, post, put, web};
use catalog::{ImageOrder, ImageView, RemoteImage};
use db::{ImageId, ProductId};
use media::ImageKey;
use teams::needs::{ProductsEdit, ProductsView};
use utoipa::ToSchema;

use crate::blocking::blocking;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Member;
use crate::state::AppState;

/// The upload: one image file in the field `file`.
#[derive(MultipartForm, ToSchema)]
#[multipart(deny_unknown_fields, duplicate_field = "deny")]
pub struct ImageUpload {
    /// A JPEG, PNG or WebP image of at most 10 MiB, 8,000 pixels a side and 40 megapixels.
    #[multipart(limit = "10MiB")]
    #[schema(value_type = String, format = Binary)]
    pub file: MultipartBytes,
}

type Upload = (
    web::Path<i64>,
    Result<MultipartForm<ImageUpload>, actix_web::Error>,
);
type AddRemote = (web::Path<i64>, web::Json<RemoteImage>);
type Reorder = (web::Path<i64>, web::Json<ImageOrder>);

/// The product's images in order; the first is the main one [products.view].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), security(("bearer" = ["products.view"])),
    responses((status = 200, body = Vec<ImageView>)))]
#[get("/vendor/products/{id}/images")]
pub async fn list(
    state: web::Data<AppState>,
    member: Member<ProductsView, web::Path<i64>>,
) -> Result<web::Json<Vec<ImageView>>, ApiError> {
    let (scope, id) = (member.scope(), ProductId(member.input.into_inner()));
    let images = blocking(move || state.catalog.images(&scope, id)).await?;
    Ok(web::Json(images))
}

/// Uploads an image (multipart field `file`), added after the last one; it is served as a
/// 400-pixel thumbnail and a large rendition of at most 1,600 pixels [products.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)),
    request_body(content = ImageUpload, content_type = "multipart/form-data"),
    security(("bearer" = ["products.edit"])),
    responses((status = 201, body = ImageView),
        (status = 409, description = "TOO_MANY_IMAGES", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 422, description = "NOT_AN_IMAGE, IMAGE_TOO_LARGE or IMAGE_DAMAGED", body = ErrorBody)))]
#[post("/vendor/products/{id}/images")]
pub async fn upload(
    state: web::Data<AppState>,
    member: Member<ProductsEdit, Upload>,
) -> Result<HttpResponse, ApiError> {
    let (scope, (id, form)) = (member.scope(), member.input);
    let id = ProductId(id.into_inner());
    let data = form
        .map_err(|e| ApiError::upload(&e))?
        .into_inner()
        .file
        .data;
    let prepared = blocking(move || media::images::prepare(&data)).await?;
    let size = (prepared.width, prepared.height);
    let key = ImageKey::new(scope.vendor_id().0);
    state.media.put_image(&key, prepared).await?;
    let recorded = {
        let (state, key) = (state.clone(), key.clone());
        blocking(move || state.catalog.add_uploaded_image(&scope, id, &key, size)).await
    };
    match recorded {
        Ok(image) => Ok(HttpResponse::Created().json(image)),
        Err(e) => {
            if let Err(cleanup) = state.media.delete_image(&key).await {
                tracing::warn!(error = %cleanup, key = key.as_str(), "unrecorded upload left in storage");
            }
            Err(e)
        }
    }
}

/// Adds an image by its web address, after the last one [products.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), request_body = RemoteImage,
    security(("bearer" = ["products.edit"])),
    responses((status = 201, body = ImageView), (status = 409, description = "TOO_MANY_IMAGES", body = ErrorBody)))]
#[post("/vendor/products/{id}/images/remote")]
pub async fn add_remote(
    state: web::Data<AppState>,
    member: Member<ProductsEdit, AddRemote>,
) -> Result<HttpResponse, ApiError> {
    let (scope, (id, body)) = (member.scope(), member.input);
    let id = ProductId(id.into_inner());
    let image = blocking(move || state.catalog.add_remote_image(&scope, id, &body)).await?;
    Ok(HttpResponse::Created().json(image))
}

/// Puts the images in a new order: every image id of the product, each once; a list that
/// does not name exactly its current images answers 409 `IMAGES_CHANGED` [products.edit].
#[utoipa::path(tag = "vendor", params(("id" = i64, Path, minimum = 1)), request_body = ImageOrder,
    security(("bearer" = ["products.edit"])),
    responses((status = 200, body = Vec<ImageView>), (status = 409, description = "IMAGES_CHANGED", body = ErrorBody)))]
#[put("/vendor/products/{id}/images/order")]
pub async fn reorder(
    state: web::Data<AppState>,
    member: Member<ProductsEdit, Reorder>,
) -> Result<web::Json<Vec<ImageView>>, ApiError> {
    let (scope, (id, body)) = (member.scope(), member.input);
    let id = ProductId(id.into_inner());
    let images = blocking(move || state.catalog.reorder_images(&scope, id, &body)).await?;
    Ok(web::Json(images))
}

/// Removes an image (an upload's files with it) [products.edit].
#[utoipa::path(tag = "vendor",
    params(("id" = i64, Path, minimum = 1), ("image_id" = i64, Path, minimum = 1)),
    security(("bearer" = ["products.edit"])),
    responses((status = 204, description = "removed")))]
#[delete("/vendor/products/{id}/images/{image_id}")]
pub async fn remove(
    state: web::Data<AppState>,
    member: Member<ProductsEdit, web::Path<(i64, i64)>>,
) -> Result<HttpResponse, ApiError> {
    let scope = member.scope();
    let (id, image) = member.input.into_inner();
    let (id, image) = (ProductId(id), ImageId(image));
    let removed = {
        let state = state.clone();
        blocking(move || state.catalog.remove_image(&scope, id, image)).await?
    };
    if let Some(key) = removed {
        // The row is gone, so nothing shows the files any more; a failure leaves only garbage.
        if let Err(e) = state.media.delete_image(&key).await {
            tracing::warn!(error = %e, key = key.as_str(), "removed image's files left in storage");
        }
    }
    Ok(HttpResponse::NoContent().finish())
}
