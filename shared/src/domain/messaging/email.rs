//! The email that tells a participant a study team wrote to them. It is discreet by
//! construction: its only words are fixed (with the deployment's product name), and
//! the only values put into them are the ones [`NewMessageNotice`] holds: the "View My
//! Message" link (the app's address and the conversation id), the team's contact
//! phone and platform support's contact. The words are in `templates/`
//! ([`super::render`]). `ensure_discreet` checks exactly those
//! values against the study's name and the message before anything is sent; it never
//! searches the fixed words, so a study called "Research" or a message that says just
//! "message" is still emailed (the fixed words name neither).
use super::super::DomainError;
use super::render::{phone_for_people, render, Content, NEW_MESSAGE};

pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What the new-message email may say, and nothing else: everything in it beyond the
/// fixed words comes from here.
pub struct NewMessageNotice<'a> {
    pub product_name: &'a str,
    pub app_url: &'a str,
    pub conversation_id: &'a str,
    pub contact_phone: Option<&'a str>,
    /// Platform support, for sign-in and account help (the deployment's, like the
    /// product name).
    pub support_contact: Option<&'a str>,
}

pub fn subject(product_name: &str) -> String {
    format!("{product_name} | New Message from a Researcher")
}

impl NewMessageNotice<'_> {
    fn link(&self) -> String {
        format!(
            "{}/messages/{}",
            self.app_url.trim_end_matches('/'),
            self.conversation_id
        )
    }

    /// The values this conversation puts into the fixed words: the link's conversation
    /// id and the team's contact phone. (The product name and the app's address are the
    /// deployment's, the same in every email: fixed words too.)
    fn interpolated(&self) -> Vec<String> {
        let mut values = vec![self.conversation_id.to_owned()];
        values.extend(self.contact_phone.map(str::to_owned));
        values.extend(self.contact_phone.map(phone_for_people));
        values
    }
}

/// The new-message email (`templates/new_message.*` in the layout): the "View My
/// Message" button, the team's phone for people and as a `tel:` link, "Contact Us" for
/// sign-in and account help, and why the person got it. No study name and no message
/// text, subject included.
pub fn new_message_email(notice: &NewMessageNotice<'_>) -> Email {
    let link = notice.link();
    let mut values = Vec::new();
    if let Some(phone) = notice.contact_phone {
        values.push(("phone", phone_for_people(phone)));
        values.push(("phone_e164", phone.to_owned()));
    }
    render(
        &NEW_MESSAGE,
        &Content {
            product: notice.product_name,
            subject: subject(notice.product_name),
            preheader: "A research team sent you a message. Sign in to read it.",
            heading: "You have a new message",
            reason: &format!(
                "You are getting this email because a research team on {} sent you a message. We email you once until you read it.",
                notice.product_name
            ),
            support: notice.support_contact,
            button: Some(("View My Message", &link)),
            values,
        },
    )
}

/// Refuses a notice whose interpolated values (the link, the contact phone) contain any
/// of `secrets` (the study's name, the message), compared case-insensitively. Secrets
/// shorter than 4 characters are too common to test meaningfully and are skipped.
pub fn ensure_discreet(notice: &NewMessageNotice<'_>, secrets: &[&str]) -> Result<(), DomainError> {
    let values: Vec<String> = notice
        .interpolated()
        .iter()
        .map(|v| v.to_lowercase())
        .collect();
    for secret in secrets {
        let secret = secret.trim().to_lowercase();
        if secret.chars().count() < 4 {
            continue;
        }
        if values.iter().any(|v| v.contains(&secret)) {
            return Err(DomainError::conflict(
                "email_not_discreet",
                "the notification email would reveal the study or the message",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(phone: Option<&'static str>) -> NewMessageNotice<'static> {
        NewMessageNotice {
            product_name: "Rally",
            app_url: "https://app.example.com/",
            conversation_id: "cv_123",
            contact_phone: phone,
            support_contact: Some("support@rally.example"),
        }
    }

    #[test]
    fn the_email_has_the_subject_button_phone_contact_and_reason() {
        let email = new_message_email(&notice(Some("+16175550123")));
        assert_eq!(email.subject, "Rally | New Message from a Researcher");
        assert!(email
            .text
            .contains("View My Message: https://app.example.com/messages/cv_123"));
        assert!(email
            .html
            .contains("href=\"https://app.example.com/messages/cv_123\""));
        assert!(email.html.contains(">View My Message</a>"));
        assert!(email.html.contains("href=\"tel:+16175550123\""));
        assert!(email.html.contains(">(617) 555-0123</a>"));
        assert!(email.text.contains("(617) 555-0123 (+16175550123)"));
        for part in [&email.html, &email.text] {
            assert!(part.contains("Contact Us"), "{part}");
            assert!(part.contains("support@rally.example"), "{part}");
            assert!(
                part.contains("You are getting this email because"),
                "{part}"
            );
        }
        assert!(email.html.contains("href=\"mailto:support@rally.example\""));
        let without = new_message_email(&notice(None));
        assert!(!without.text.contains("Call the study team"));
        assert!(!without.html.contains("tel:"));
    }

    #[test]
    fn names_and_messages_made_of_the_emails_own_words_are_still_emailed() {
        let fixed = new_message_email(&notice(Some("+16175550123")));
        for secret in [
            "Research",
            "Team",
            "Rally",
            "New Message",
            "message",
            "View My Message",
            "a research team on Rally",
            "For your privacy",
            "Sign in to read it",
        ] {
            assert!(
                ensure_discreet(&notice(Some("+16175550123")), &[secret, secret]).is_ok(),
                "{secret:?}"
            );
        }
        // And what goes out is still only the fixed words and the two values.
        assert!(!fixed.text.contains("Sleep"));
    }

    #[test]
    fn a_link_or_phone_carrying_the_study_or_the_message_is_refused() {
        let leaky = NewMessageNotice {
            product_name: "Rally",
            app_url: "https://app.example.com",
            conversation_id: "cv_sleep-and-anxiety",
            contact_phone: None,
            support_contact: None,
        };
        assert!(ensure_discreet(&leaky, &["Sleep-and-Anxiety"]).is_err());
        assert!(ensure_discreet(&notice(Some("+16175550123")), &["5550123"]).is_err());
        assert!(ensure_discreet(&notice(None), &["Sleep and Anxiety Study"]).is_ok());
    }
}
