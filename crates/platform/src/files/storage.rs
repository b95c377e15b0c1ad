//! Where file contents are kept: local disk or S3-compatible object storage, behind one
//! interface, each file under its SHA-256.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::local::LocalFileSystem;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use tokio::io::AsyncReadExt;

use time::OffsetDateTime;

use super::CheckedUpload;
use crate::config::Settings;

/// Where file contents are kept.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    temp_dir: PathBuf,
    pub description: String,
}

impl Storage {
    /// `file_storage` empty: `data_dir/files` on local disk. `s3://bucket` (optionally
    /// `s3://bucket/prefix`): S3 or a compatible service, configured by the usual `AWS_*`
    /// variables (`AWS_ENDPOINT` for MinIO, Ceph and the like).
    pub fn from_settings(settings: &Settings) -> Result<Storage, String> {
        let temp_dir = settings.data_dir.join("uploads-in-progress");
        std::fs::create_dir_all(&temp_dir).map_err(|e| format!("cannot create {}: {e}", temp_dir.display()))?;
        let configured = settings.file_storage.trim();
        if configured.is_empty() {
            let root = settings.data_dir.join("files");
            std::fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
            let store = LocalFileSystem::new_with_prefix(&root).map_err(|e| e.to_string())?;
            return Ok(Storage { store: Arc::new(store), temp_dir, description: format!("local disk at {}", root.display()) });
        }
        let Some(bucket) = configured.strip_prefix("s3://") else {
            return Err("file_storage must be empty (local disk) or s3://bucket".into());
        };
        let (bucket, prefix) = bucket.split_once('/').unwrap_or((bucket, ""));
        let mut builder = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket);
        if !settings.s3_endpoint.is_empty() {
            // A service on a private network may speak plain HTTP; say so explicitly by its address.
            builder = builder.with_endpoint(&settings.s3_endpoint).with_allow_http(settings.s3_endpoint.starts_with("http://"));
        }
        if !settings.s3_region.is_empty() {
            builder = builder.with_region(&settings.s3_region);
        }
        if !settings.s3_access_key_id.is_empty() {
            builder =
                builder.with_access_key_id(&settings.s3_access_key_id).with_secret_access_key(&settings.s3_secret_access_key);
        }
        let store = builder.build().map_err(|e| e.to_string())?;
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(store)
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(store, prefix.trim_matches('/')))
        };
        Ok(Storage { store, temp_dir, description: format!("S3 bucket {bucket}") })
    }

    /// Where the contents with this hash are kept.
    pub fn key(sha256: &str) -> StorePath {
        StorePath::from(format!("sha256/{}/{}", &sha256[..2], sha256))
    }

    /// Moves a checked upload into storage, in parts, so memory stays flat whatever its size.
    pub async fn persist(&self, upload: &CheckedUpload) -> Result<(), object_store::Error> {
        self.put_file(&upload.sha256, upload.temp.path()).await
    }

    /// Copies a file on disk into storage under the given hash, unless those contents are there.
    pub async fn put_file(&self, sha256: &str, path: &Path) -> Result<(), object_store::Error> {
        let key = Self::key(sha256);
        if self.store.head(&key).await.is_ok() {
            return Ok(()); // Same contents already stored.
        }
        let mut file = tokio::fs::File::open(path).await.map_err(io_error)?;
        let multipart = self.store.put_multipart(&key).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(multipart, 8 * 1024 * 1024);
        let mut buffer = vec![0u8; 1024 * 1024];
        loop {
            let read = file.read(&mut buffer).await.map_err(io_error)?;
            if read == 0 {
                break;
            }
            writer.wait_for_capacity(2).await?;
            writer.write(&buffer[..read]);
        }
        writer.finish().await?;
        Ok(())
    }

    /// The contents as a stream of chunks.
    pub async fn read(
        &self,
        sha256: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, object_store::Error>>, object_store::Error> {
        Ok(self.store.get(&Self::key(sha256)).await?.into_stream())
    }

    pub async fn exists(&self, sha256: &str) -> bool {
        self.store.head(&Self::key(sha256)).await.is_ok()
    }

    pub async fn write_bytes(&self, sha256: &str, bytes: Bytes) -> Result<(), object_store::Error> {
        self.store.put(&Self::key(sha256), bytes.into()).await.map(|_| ())
    }

    /// Every stored hash (for backups).
    pub async fn list_hashes(&self) -> Result<Vec<String>, object_store::Error> {
        let mut found = Vec::new();
        let mut listing = self.store.list(Some(&StorePath::from("sha256")));
        while let Some(meta) = listing.next().await {
            if let Some(name) = meta?.location.filename() {
                found.push(name.to_string());
            }
        }
        Ok(found)
    }

    /// Every stored hash with when it was stored.
    pub async fn list_with_times(&self) -> Result<Vec<(String, OffsetDateTime)>, object_store::Error> {
        let mut found = Vec::new();
        let mut listing = self.store.list(Some(&StorePath::from("sha256")));
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            if let Some(name) = meta.location.filename() {
                let stored =
                    OffsetDateTime::from_unix_timestamp(meta.last_modified.timestamp()).unwrap_or(OffsetDateTime::UNIX_EPOCH);
                found.push((name.to_string(), stored));
            }
        }
        Ok(found)
    }

    /// Deletes the contents with this hash; contents already gone are not an error.
    pub async fn delete(&self, sha256: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&Self::key(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Removes temporary files that outlived their upload (the process died mid-upload).
    pub fn sweep_abandoned(&self, older_than: std::time::Duration) -> std::io::Result<usize> {
        let mut removed = 0;
        for entry in std::fs::read_dir(&self.temp_dir)?.flatten() {
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .map(|t| t.elapsed().unwrap_or_default() > older_than)
                .unwrap_or(false);
            if stale && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Free space on the disk that takes uploads while they arrive (and, for local storage, keeps
    /// them), if it can be read.
    pub fn free_bytes(&self) -> Option<u64> {
        let stats = rustix::fs::statvfs(&self.temp_dir).ok()?;
        Some(stats.f_bavail.saturating_mul(stats.f_frsize))
    }

    pub fn temp_dir(&self) -> &Path {
        &self.temp_dir
    }
}

fn io_error(error: std::io::Error) -> object_store::Error {
    object_store::Error::Generic { store: "upload", source: Box::new(error) }
}
