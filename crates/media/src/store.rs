//! The one storage interface for files: `object_store`'s, over a local directory (one server,
//! the default) or an S3-compatible bucket (several servers). Names are chosen here, never by
//! a client: `products/{vendor}/{random}-{rendition}.jpg`, so a file name can neither be
//! guessed nor point outside its vendor's folder, and a name's content never changes (it is
//! served with a year-long cache lifetime). Uploaded feeds wait under `imports/{vendor}/…`,
//! names the public media route never serves.

use std::path::Path as FsPath;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("file storage: {0}")]
    Storage(#[from] object_store::Error),
    #[error("file name: {0}")]
    Name(#[from] object_store::path::Error),
    #[error("file storage directory {0}: {1}")]
    Directory(String, std::io::Error),
}

/// The renditions of one uploaded image, by the key stored with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageKey(String);

/// Why a streamed file was not stored: its source failed (e.g. the upload was too large or
/// broke off), or the store did.
#[derive(Debug, thiserror::Error)]
pub enum PutStreamError<E> {
    #[error("the file could not be read")]
    Source(E),
    #[error(transparent)]
    Store(MediaError),
}

impl ImageKey {
    /// A fresh, unguessable key in the vendor's folder.
    pub fn new(vendor: i64) -> Self {
        Self(format!("products/{vendor}/{}", uuid::Uuid::new_v4()))
    }

    /// The key as the database holds it.
    pub fn stored(key: String) -> Self {
        Self(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn thumbnail(&self) -> String {
        format!("{}-thumb.jpg", self.0)
    }

    pub fn large(&self) -> String {
        format!("{}-large.jpg", self.0)
    }

    /// Whether `name` is a file name this module could have made: anything else is not
    /// looked up at all.
    pub fn is_file_name(name: &str) -> bool {
        let Some(rest) = name.strip_prefix("products/") else {
            return false;
        };
        let Some((vendor, file)) = rest.split_once('/') else {
            return false;
        };
        let Some(id) = file
            .strip_suffix("-thumb.jpg")
            .or_else(|| file.strip_suffix("-large.jpg"))
        else {
            return false;
        };
        !vendor.is_empty()
            && vendor.bytes().all(|b| b.is_ascii_digit())
            && uuid::Uuid::try_parse(id).is_ok_and(|u| u.hyphenated().to_string() == id)
    }
}

/// Where files are kept and the address they are served from.
#[derive(Clone)]
pub struct MediaStore {
    store: Arc<dyn ObjectStore>,
    public_base: String,
}

impl std::fmt::Debug for MediaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaStore")
            .field("store", &self.store.to_string())
            .field("public_base", &self.public_base)
            .finish()
    }
}

impl MediaStore {
    /// Files under `dir` (created if missing), served by this server under `public_base`.
    pub fn local(dir: &FsPath, public_base: &str) -> Result<Self, MediaError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| MediaError::Directory(dir.display().to_string(), e))?;
        let store = LocalFileSystem::new_with_prefix(dir)?;
        Ok(Self::with(Arc::new(store), public_base))
    }

    /// Files in an S3-compatible bucket, configured by the standard `AWS_*` variables
    /// (`AWS_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, ...);
    /// `public_base` is where clients fetch them (the bucket's public address or a CDN, or
    /// this server's `/media`).
    pub fn s3(bucket: &str, public_base: &str) -> Result<Self, MediaError> {
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .build()?;
        Ok(Self::with(Arc::new(store), public_base))
    }

    /// Files kept in memory only, for tests.
    pub fn in_memory(public_base: &str) -> Self {
        Self::with(Arc::new(object_store::memory::InMemory::new()), public_base)
    }

    /// Any `object_store` backend.
    pub fn with(store: Arc<dyn ObjectStore>, public_base: &str) -> Self {
        Self {
            store,
            public_base: public_base.trim_end_matches('/').to_owned(),
        }
    }

    /// The address a browser loads `name` from.
    pub fn url(&self, name: &str) -> String {
        format!("{}/{name}", self.public_base)
    }

    pub async fn put(&self, name: &str, data: Vec<u8>) -> Result<(), MediaError> {
        self.store
            .put(&Path::parse(name)?, PutPayload::from(data))
            .await?;
        Ok(())
    }

    /// The file's bytes, or `None` if there is no such file.
    pub async fn get(&self, name: &str) -> Result<Option<Bytes>, MediaError> {
        let path = Path::parse(name)?;
        match self.store.get(&path).await {
            Ok(found) => Ok(Some(found.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The file as a stream of chunks (never all in memory), or `None` if there is no such
    /// file.
    pub async fn get_stream(
        &self,
        name: &str,
    ) -> Result<Option<BoxStream<'static, Result<Bytes, MediaError>>>, MediaError> {
        let path = Path::parse(name)?;
        match self.store.get(&path).await {
            Ok(found) => Ok(Some(found.into_stream().map_err(MediaError::from).boxed())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Stores a file arriving in chunks (a multipart upload to the backend, so a large file is
    /// never held whole); answers its size. On any error, nothing is left behind.
    pub async fn put_stream<S, E>(
        &self,
        name: &str,
        mut chunks: S,
    ) -> Result<u64, PutStreamError<E>>
    where
        S: futures_util::Stream<Item = Result<Bytes, E>> + Unpin,
    {
        let path = Path::parse(name).map_err(|e| PutStreamError::Store(e.into()))?;
        let upload = self
            .store
            .put_multipart(&path)
            .await
            .map_err(|e| PutStreamError::Store(e.into()))?;
        let mut writer = object_store::WriteMultipart::new(upload);
        let mut size = 0u64;
        while let Some(chunk) = chunks.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(PutStreamError::Source(e));
                }
            };
            size += chunk.len() as u64;
            if let Err(e) = writer.wait_for_capacity(4).await {
                return Err(PutStreamError::Store(e.into()));
            }
            writer.write(&chunk);
        }
        writer
            .finish()
            .await
            .map_err(|e| PutStreamError::Store(e.into()))?;
        Ok(size)
    }

    /// Removes the file; one already gone is not an error.
    pub async fn delete(&self, name: &str) -> Result<(), MediaError> {
        match self.store.delete(&Path::parse(name)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Stores both renditions of an upload; if the second fails, the first is removed.
    pub async fn put_image(
        &self,
        key: &ImageKey,
        prepared: crate::Prepared,
    ) -> Result<(), MediaError> {
        self.put(&key.thumbnail(), prepared.thumbnail).await?;
        if let Err(e) = self.put(&key.large(), prepared.large).await {
            let _ = self.delete(&key.thumbnail()).await;
            return Err(e);
        }
        Ok(())
    }

    /// Removes both renditions of an upload.
    pub async fn delete_image(&self, key: &ImageKey) -> Result<(), MediaError> {
        self.delete(&key.thumbnail()).await?;
        self.delete(&key.large()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_this_module_makes_are_file_names() {
        let key = ImageKey::new(42);
        assert!(ImageKey::is_file_name(&key.thumbnail()));
        assert!(ImageKey::is_file_name(&key.large()));
        for name in [
            key.as_str(),
            "products/42/../43/x-thumb.jpg",
            "products//0b7e3d1c-4f7e-4d5e-9a43-8c8fe7c3d2a1-thumb.jpg",
            "products/4a/0b7e3d1c-4f7e-4d5e-9a43-8c8fe7c3d2a1-thumb.jpg",
            "products/42/0B7E3D1C-4F7E-4D5E-9A43-8C8FE7C3D2A1-thumb.jpg",
            "products/42/0b7e3d1c-4f7e-4d5e-9a43-8c8fe7c3d2a1-thumb.png",
            "/etc/passwd",
            "",
        ] {
            assert!(!ImageKey::is_file_name(name), "{name}");
        }
    }

    #[tokio::test]
    async fn files_round_trip_through_a_directory_and_deleting_twice_is_fine() {
        let dir = std::env::temp_dir().join(format!("wz-media-{}", uuid::Uuid::new_v4()));
        let store = MediaStore::local(&dir, "/media/").unwrap();
        let key = ImageKey::new(7);
        let prepared = crate::Prepared {
            thumbnail: b"t".to_vec(),
            large: b"l".to_vec(),
            width: 1,
            height: 1,
        };
        store.put_image(&key, prepared).await.unwrap();
        assert_eq!(
            store.get(&key.large()).await.unwrap().as_deref(),
            Some(&b"l"[..])
        );
        assert!(dir.join(key.thumbnail()).exists());
        assert_eq!(store.url(&key.large()), format!("/media/{}", key.large()));
        store.delete_image(&key).await.unwrap();
        store.delete_image(&key).await.unwrap();
        assert_eq!(store.get(&key.thumbnail()).await.unwrap(), None);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
