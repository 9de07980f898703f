//! hugo.
use super::{ImportError, Out};
pub(super) fn import(_out: &mut Out) -> Result<(), ImportError> {
    Ok(())
}
