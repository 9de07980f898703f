//! The build's one content hash: the keys of cached Markdown renders and of job views, the
//! fingerprints of templates and config, the hashes of output files in the manifest, and the
//! checksums of the cache files.
//!
//! XXH3 with 128 bits, not a cryptographic hash. Nothing here guards against an attacker:
//! whoever can change the content decides the output anyway, and the hashes only tell a
//! build what it may reuse. An accidental collision among even a billion values is less
//! likely than one in 10^20. It replaced blake3, which took 6% of a cold 10,000-page
//! build's CPU: most inputs are a few kilobytes (a page's body, its view, its output), too
//! short for blake3's wide SIMD, where XXH3 runs at memory speed.

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// A 128-bit content hash.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Digest([u8; 16]);

impl Digest {
    /// The hash of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(xxhash_rust::xxh3::xxh3_128(bytes).to_le_bytes())
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Lower-case hexadecimal, 32 characters.
    pub fn to_hex(&self) -> String {
        self.hex_bytes()
            .iter()
            .map(|&digit| char::from(digit))
            .collect()
    }

    /// [`Digest::to_hex`] as ASCII bytes, with no allocation: views compare a reference's
    /// hash with a part's for every card they show.
    pub fn hex_bytes(&self) -> [u8; 32] {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0; 32];
        for (pair, byte) in hex.chunks_exact_mut(2).zip(self.0) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0x0f)];
        }
        hex
    }
}

impl std::fmt::Debug for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Digest({})", self.to_hex())
    }
}

/// Hashes bytes fed in pieces; the result depends only on the bytes, not on how they were
/// split.
#[derive(Clone, Default)]
pub struct Hasher(Xxh3);

impl Hasher {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn update(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(bytes);
        self
    }

    pub fn finalize(&self) -> Digest {
        Digest(self.0.digest128().to_le_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_hash_like_the_whole() {
        let bytes: Vec<u8> = (0..10_000u32).map(|i| (i * 31 % 251) as u8).collect();
        let mut hasher = Hasher::new();
        for piece in bytes.chunks(777) {
            hasher.update(piece);
        }
        assert_eq!(hasher.finalize(), Digest::of(&bytes));
        assert_ne!(Digest::of(b"a"), Digest::of(b"b"));
        assert_eq!(Digest::of(b"").to_hex().len(), 32);
        let digest = Digest([1, 0xab, 0xff, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x9c]);
        assert_eq!(digest.to_hex(), format!("01abff0010{}9c", "00".repeat(10)));
        assert_eq!(digest.hex_bytes(), *digest.to_hex().as_bytes());
    }
}
