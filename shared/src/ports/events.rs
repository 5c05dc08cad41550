//! Domain events on the bus (EventBridge).
use crate::domain::panel_chat::PanelMessage;
use crate::domain::sms::SmsIntent;

/// Domain events on the bus.
pub trait EventPublisher {
    /// Nudges the sender to send these intents now. Losing the nudge loses nothing:
    /// the dispatcher sweeps every due intent each minute.
    async fn sms_requested(&self, intents: &[SmsIntent]);
    /// Tells the panel relay to deliver this message; false when the bus refused it.
    async fn panel_message_posted(&self, message: &PanelMessage) -> bool;
}
