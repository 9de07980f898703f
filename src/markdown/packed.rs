//! A page's rendered HTML, compressed, for a build that holds every page's render at once.
//!
//! A build keeps every page's [`super::Rendered`] from the Markdown stage to the end of the
//! render stage, and the HTML is most of it (about 14 KB of 19 KB a page on the benchmark
//! site: 1.4 GB at 100,000 pages). Few jobs read a page's HTML (its own page, and the feeds,
//! course and handbook print views that show it in full), so the build's Markdown cache and
//! `build`'s page list keep it compressed with LZ4, to about 40% of its size, and each reader
//! decompresses it again (`ViewSource::page_html`). LZ4 rather than deflate: deflate packs
//! a little tighter (a third) for four times the CPU time.

/// How many times its compressed size a block can claim to decompress to (LZ4's ratio is
/// bounded near 255).
const MAX_EXPANSION: usize = 256;

/// Compressed HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackedHtml(Box<[u8]>);

impl PackedHtml {
    pub fn pack(html: &str) -> Self {
        PackedHtml(lz4_flex::compress_prepend_size(html.as_bytes()).into_boxed_slice())
    }

    pub fn unpack(&self) -> String {
        // What `pack` compressed decompresses to valid UTF-8; anything else (a cache file
        // with a valid hash but made up) gives a page without its text, not a panic. The
        // size in front is checked first: LZ4 expands at most about 255 times, and a
        // made-up size would otherwise be allocated before decoding fails.
        if !plausible(&self.0) {
            return String::new();
        }
        lz4_flex::decompress_size_prepended(&self.0)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default()
    }
}

/// Whether the size a block claims in front is one its compressed length can produce.
fn plausible(packed: &[u8]) -> bool {
    let claimed = packed
        .first_chunk::<4>()
        .map_or(0, |size| u32::from_le_bytes(*size) as usize);
    claimed <= packed.len().saturating_mul(MAX_EXPANSION)
}

// Written as one byte string (length and bytes), not as a sequence of numbers.
impl serde::Serialize for PackedHtml {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for PackedHtml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = PackedHtml;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("compressed HTML")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<PackedHtml, E> {
                Ok(PackedHtml(bytes.into()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, bytes: Vec<u8>) -> Result<PackedHtml, E> {
                Ok(PackedHtml(bytes.into_boxed_slice()))
            }
        }
        deserializer.deserialize_byte_buf(Bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_smaller_and_unpacks_the_same() {
        let html = "<p>Some <em>text</em>.</p>\n".repeat(100);
        let packed = PackedHtml::pack(&html);
        assert!(packed.0.len() < html.len() / 5);
        assert_eq!(packed.unpack(), html);
        assert_eq!(PackedHtml::pack("").unpack(), "");
    }

    #[test]
    fn a_made_up_size_is_refused_before_it_is_allocated() {
        let mut bytes = PackedHtml::pack("<p>x</p>").0.into_vec();
        assert!(plausible(&bytes));
        bytes[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(!plausible(&bytes));
        assert_eq!(PackedHtml(bytes.into_boxed_slice()).unpack(), "");
        // The most compressible text there is (one repeated byte) is still plausible.
        let long = "a".repeat(1 << 20);
        let packed = PackedHtml::pack(&long);
        assert!(plausible(&packed.0));
        assert_eq!(packed.unpack(), long);
    }

    #[test]
    fn survives_the_cache_format() {
        let packed = PackedHtml::pack("<h2 id=\"a\">A</h2>");
        let bytes = postcard::to_stdvec(&packed).unwrap();
        assert_eq!(postcard::from_bytes::<PackedHtml>(&bytes).unwrap(), packed);
    }
}
