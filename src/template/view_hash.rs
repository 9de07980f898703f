//! The content hash of a view: views are JSON values built here, and a job's cache key
//! (`build::jobs`) and each shared part's key hash them. It lives beside the views so that
//! `template/` never calls back into `build/`; `build` uses [`ViewHasher`] for its keys.

use serde_json::Value;

use crate::digest::{Digest, Hasher};

/// A hash of a JSON value, stable for equal values built in the same order.
pub fn hash_value(value: &Value) -> Digest {
    let mut hasher = ViewHasher::new();
    hasher.value(value);
    hasher.finish()
}

/// Feeds values to the hasher through a buffer. A view has hundreds of small nodes, and one
/// `update` call per tag, length and string cost more than the hashing itself (a tenth of
/// a millisecond per page view on the 10,000-page benchmark, with blake3); the result
/// depends only on the bytes, not on how they were split, so buffering changes no key.
pub(crate) struct ViewHasher {
    hasher: Hasher,
    buffer: Vec<u8>,
}

/// Strings at least this long go to the hasher directly (after the buffer).
const DIRECT: usize = 1024;

impl ViewHasher {
    pub(crate) fn new() -> Self {
        Self {
            hasher: Hasher::new(),
            buffer: Vec::with_capacity(16 * 1024),
        }
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        if bytes.len() >= DIRECT {
            self.flush();
            self.hasher.update(bytes);
        } else {
            if self.buffer.len() + bytes.len() > self.buffer.capacity() {
                self.flush();
            }
            self.buffer.extend_from_slice(bytes);
        }
    }

    fn flush(&mut self) {
        self.hasher.update(&self.buffer);
        self.buffer.clear();
    }

    pub(crate) fn finish(mut self) -> Digest {
        self.flush();
        self.hasher.finalize()
    }

    /// A string, length-prefixed.
    pub(crate) fn str(&mut self, text: &str) {
        self.bytes(&(text.len() as u64).to_le_bytes());
        self.bytes(text.as_bytes());
    }

    /// Every node is tagged and every string length-prefixed, so distinct values cannot
    /// collide by layout.
    pub(crate) fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.bytes(b"n"),
            Value::Bool(b) => self.bytes(if *b { b"t" } else { b"f" }),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    self.bytes(b"i");
                    self.bytes(&i.to_le_bytes());
                } else if let Some(u) = n.as_u64() {
                    self.bytes(b"u");
                    self.bytes(&u.to_le_bytes());
                } else {
                    self.bytes(b"d");
                    self.bytes(&n.as_f64().unwrap_or_default().to_bits().to_le_bytes());
                }
            }
            Value::String(s) => {
                // A shared part is keyed by what it is and holds, not by the position of
                // its page or section: a page added or removed before it moves that
                // position without changing what the job shows.
                if let Some((kind, hash)) = super::shared::part_identity(s) {
                    self.bytes(b"r");
                    self.str(kind);
                    self.str(hash);
                } else {
                    self.bytes(b"s");
                    self.str(s);
                }
            }
            Value::Array(items) => {
                self.bytes(b"[");
                self.bytes(&(items.len() as u64).to_le_bytes());
                for item in items {
                    self.value(item);
                }
            }
            Value::Object(map) => {
                self.bytes(b"{");
                self.bytes(&(map.len() as u64).to_le_bytes());
                for (k, v) in map {
                    self.str(k);
                    self.value(v);
                }
            }
        }
    }
}
