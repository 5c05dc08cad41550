//! The external panel's API.
use thiserror::Error;

use crate::domain::panel_chat::PanelDelivery;

#[derive(Debug, Error)]
pub enum PanelError {
    /// Worth retrying (timeouts, 5xx, 429).
    #[error("panel unavailable: {0}")]
    Unavailable(String),
    /// The panel refused the message (4xx); retrying will not help.
    #[error("panel refused: {0}")]
    Rejected(String),
}

/// The external panel's API.
pub trait PanelApi {
    async fn deliver(&self, delivery: &PanelDelivery) -> Result<(), PanelError>;
}
