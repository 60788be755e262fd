//! An uploaded product image turned into what the shop shows: the file is believed only once
//! it decodes as a JPEG, PNG or WebP within the size limits, and it is never served as sent —
//! two JPEG renditions are encoded from its pixels (a thumbnail for lists, a large one for
//! the product page), which also drops whatever metadata or trailing bytes it carried.
//!
//! CPU-heavy: call it on the blocking pool.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, Rgb, RgbImage};

/// The largest upload accepted, in bytes.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// The longest side a source image may have.
pub const MAX_SIDE: u32 = 8_000;
/// The most pixels a source image may have: what a decoder may allocate follows from it, so
/// a small file that claims a huge canvas (a decompression bomb) is refused from its header,
/// before any pixel is decoded.
pub const MAX_PIXELS: u64 = 40_000_000;
/// The thumbnail fits in a square of this side.
pub const THUMBNAIL_SIDE: u32 = 400;
/// The large rendition fits in a square of this side (smaller images keep their size).
pub const LARGE_SIDE: u32 = 1_600;
const JPEG_QUALITY: u8 = 85;

/// The renditions of one upload, JPEG-encoded; `width` and `height` are the large one's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub thumbnail: Vec<u8>,
    pub large: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageError {
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error(
        "the image is too large: at most {MAX_SIDE} pixels on a side and {} megapixels",
        MAX_PIXELS / 1_000_000
    )]
    TooLarge,
    #[error("the image is damaged and cannot be read: {0}")]
    Damaged(String),
    #[error("the image could not be encoded: {0}")]
    Encoding(String),
}

/// Checks `data` by decoding it and encodes its renditions.
pub fn prepare(data: &[u8]) -> Result<Prepared, ImageError> {
    let image = decode(data)?;
    let large = if image.width() > LARGE_SIDE || image.height() > LARGE_SIDE {
        image.resize(LARGE_SIDE, LARGE_SIDE, FilterType::Lanczos3)
    } else {
        image.clone()
    };
    let thumbnail = large.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
    Ok(Prepared {
        thumbnail: jpeg(thumbnail)?,
        width: large.width(),
        height: large.height(),
        large: jpeg(large)?,
    })
}

fn decode(data: &[u8]) -> Result<DynamicImage, ImageError> {
    let mut reader = ImageReader::new(Cursor::new(data))
        .with_guessed_format()
        .map_err(|_| ImageError::NotAnImage)?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(ImageError::NotAnImage);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // Four bytes a pixel (RGBA8) plus room for the decoder's own buffers.
    limits.max_alloc = Some(MAX_PIXELS * 4 + 16 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooLarge);
    }
    // Phones store portrait photos sideways with an EXIF note; the renditions are upright.
    let orientation = decoder.orientation().map_err(refusal)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn refusal(error: image::ImageError) -> ImageError {
    match error {
        image::ImageError::Limits(_) => ImageError::TooLarge,
        image::ImageError::Unsupported(_) => ImageError::NotAnImage,
        other => ImageError::Damaged(other.to_string()),
    }
}

/// JPEG has no transparency: transparent pixels become white, as on the shop's pages.
fn on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| {
            let (c, a) = (u32::from(c), u32::from(a));
            u8::try_from((c * a + 255 * (255 - a)) / 255).unwrap_or(u8::MAX)
        };
        Rgb([blend(r), blend(g), blend(b)])
    })
}

fn jpeg(image: DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    on_white(image)
        .write_with_encoder(encoder)
        .map_err(|e| ImageError::Encoding(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgba, RgbaImage};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = RgbaImage::from_fn(width, height, |x, _| {
            Rgba([200, 30, 30, if x < width / 2 { 0 } else { 255 }])
        });
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&image, width, height, image::ExtendedColorType::Rgba8)
            .unwrap();
        out
    }

    #[test]
    fn a_large_png_becomes_two_jpegs_that_fit_their_boxes() {
        let prepared = prepare(&png(2_400, 1_200)).unwrap();
        assert_eq!((prepared.width, prepared.height), (1_600, 800));
        let thumb = image::load_from_memory(&prepared.thumbnail).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (400, 200));
        assert_eq!(
            image::guess_format(&prepared.large).unwrap(),
            ImageFormat::Jpeg
        );
        // The transparent half was laid on white, not left black.
        let pixel = thumb.to_rgb8().get_pixel(10, 100).0;
        assert!(pixel.iter().all(|&c| c > 240), "{pixel:?}");
    }

    #[test]
    fn a_small_image_keeps_its_size() {
        let prepared = prepare(&png(300, 200)).unwrap();
        assert_eq!((prepared.width, prepared.height), (300, 200));
    }

    #[test]
    fn text_html_and_truncated_images_are_refused() {
        assert_eq!(prepare(b"hello"), Err(ImageError::NotAnImage));
        assert_eq!(
            prepare(b"<html><body>not found</body></html>"),
            Err(ImageError::NotAnImage)
        );
        // A GIF is an image, but not one we take.
        assert_eq!(
            prepare(b"GIF89a\x01\x00\x01\x00"),
            Err(ImageError::NotAnImage)
        );
        let mut cut = png(300, 200);
        cut.truncate(cut.len() / 2);
        assert!(matches!(prepare(&cut), Err(ImageError::Damaged(_))));
    }

    /// A PNG header claiming 50,000 × 50,000 pixels (10 GB decoded) in a file of a few
    /// hundred bytes: refused before decoding.
    #[test]
    fn a_decompression_bomb_is_refused_from_its_header() {
        let mut data = png(1, 1);
        // IHDR width and height sit at bytes 16..24; the chunk's CRC is not checked before
        // the dimensions are read, but fix it anyway so only the size can be the reason.
        data[16..20].copy_from_slice(&50_000u32.to_be_bytes());
        data[20..24].copy_from_slice(&50_000u32.to_be_bytes());
        let crc = crc32fast::hash(&data[12..29]);
        data[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(prepare(&data), Err(ImageError::TooLarge));
        // Within each side's limit but too many pixels in all.
        data[16..20].copy_from_slice(&7_000u32.to_be_bytes());
        data[20..24].copy_from_slice(&7_000u32.to_be_bytes());
        let crc = crc32fast::hash(&data[12..29]);
        data[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(prepare(&data), Err(ImageError::TooLarge));
    }
}
