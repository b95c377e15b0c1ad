//! Second-factor secrets are sealed (ChaCha20-Poly1305) with a key kept outside the database, in
//! a file of its own: a copy of the database, or a backup, then holds no secret that could make
//! a staff member's codes.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;

use crate::config::Settings;

const SEALED_PREFIX: &str = "v1:";

/// The key that seals secrets stored in the database.
#[derive(Clone)]
pub struct SecretsKey {
    cipher: ChaCha20Poly1305,
}

// Never print the key.
impl std::fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretsKey(***)")
    }
}

impl SecretsKey {
    /// Where the key is kept: `secrets_key_file`, or `secrets.key` in the data folder.
    pub fn path(settings: &Settings) -> PathBuf {
        if settings.secrets_key_file.is_empty() {
            settings.data_dir.join("secrets.key")
        } else {
            PathBuf::from(&settings.secrets_key_file)
        }
    }

    /// Reads the key, making a new one (readable by its owner alone) the first time.
    pub fn load_or_create(settings: &Settings) -> Result<SecretsKey, String> {
        let path = Self::path(settings);
        if !path.exists() {
            let mut key = [0u8; 32];
            rand::rng().fill_bytes(&mut key);
            write_private(&path, &STANDARD.encode(key)).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let bytes = STANDARD.decode(text.trim()).map_err(|_| format!("{} does not hold a key", path.display()))?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| format!("{} does not hold a 32-byte key", path.display()))?;
        Ok(SecretsKey { cipher: ChaCha20Poly1305::new(&Key::from(bytes)) })
    }

    /// Seals `secret`, bound to `context` (the row it belongs to), so a sealed value copied to
    /// another row does not open.
    pub fn seal(&self, secret: &str, context: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: secret.as_bytes(), aad: context.as_bytes() })
            .expect("ChaCha20-Poly1305 seals any message of this size");
        format!("{SEALED_PREFIX}{}", STANDARD.encode([nonce.as_slice(), &sealed].concat()))
    }

    /// Opens a sealed value; a value stored before sealing began is returned as it is. `None`:
    /// sealed with another key, or tampered with.
    pub fn open(&self, stored: &str, context: &str) -> Option<String> {
        let Some(encoded) = stored.strip_prefix(SEALED_PREFIX) else { return Some(stored.to_string()) };
        let bytes = STANDARD.decode(encoded).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().ok()?;
        let plain = self.cipher.decrypt(&Nonce::from(nonce), Payload { msg: sealed, aad: context.as_bytes() }).ok()?;
        String::from_utf8(plain).ok()
    }

    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(SEALED_PREFIX)
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_in(dir: &Path) -> SecretsKey {
        SecretsKey::load_or_create(&Settings { data_dir: dir.to_path_buf(), ..Settings::default() }).expect("key")
    }

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_row_only() {
        let dir = tempfile::tempdir().expect("dir");
        let key = key_in(dir.path());
        let sealed = key.seal("JBSWY3DPEHPK3PXP", "user-1");
        assert!(SecretsKey::is_sealed(&sealed) && !sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(key.open(&sealed, "user-1").as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(key.open(&sealed, "user-2"), None, "copied to another row, it does not open");
        assert_ne!(key.seal("JBSWY3DPEHPK3PXP", "user-1"), sealed, "a fresh nonce every time");
        let other = tempfile::tempdir().expect("dir");
        assert_eq!(key_in(other.path()).open(&sealed, "user-1"), None, "another key does not open it");
        assert_eq!(key.open("PLAINOLDSECRET", "user-1").as_deref(), Some("PLAINOLDSECRET"), "unsealed values read as they are");
    }

    #[test]
    fn the_key_file_is_made_once_and_private() {
        let dir = tempfile::tempdir().expect("dir");
        let sealed = key_in(dir.path()).seal("secret", "row");
        assert_eq!(key_in(dir.path()).open(&sealed, "row").as_deref(), Some("secret"), "the same key next time");
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(dir.path().join("secrets.key")).expect("file").permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
    }
}
