//! The email that tells a participant a study team wrote to them. It is discreet by
//! construction: it is built only from the product name, a link and the team's contact
//! phone, so it cannot name the study or quote the message; `ensure_discreet` checks
//! the finished email once more against the study's name and the message text before
//! anything is sent, in case a product name or link ever carries them.
use super::super::DomainError;

pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What the new-message email may say, and nothing else.
pub struct NewMessageNotice<'a> {
    pub product_name: &'a str,
    pub app_url: &'a str,
    pub conversation_id: &'a str,
    pub contact_phone: Option<&'a str>,
}

pub fn subject(product_name: &str) -> String {
    format!("{product_name} | New Message from a Researcher")
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn new_message_email(notice: &NewMessageNotice<'_>) -> Email {
    let link = format!(
        "{}/messages/{}",
        notice.app_url.trim_end_matches('/'),
        notice.conversation_id
    );
    let mut text = format!(
        "You have a new message from a research team on {product}.\n\nView My Message: {link}\n",
        product = notice.product_name
    );
    let mut html = format!(
        "<p>You have a new message from a research team on {product}.</p>\n<p><a href=\"{href}\">View My Message</a></p>\n",
        product = escape_html(notice.product_name),
        href = escape_html(&link)
    );
    if let Some(phone) = notice.contact_phone {
        text.push_str(&format!("\nQuestions? Call the study team at {phone}.\n"));
        html.push_str(&format!(
            "<p>Questions? Call the study team at {}.</p>\n",
            escape_html(phone)
        ));
    }
    text.push_str(
        "\nFor your privacy, this email does not include the message. Sign in to read it.\n",
    );
    html.push_str(
        "<p>For your privacy, this email does not include the message. Sign in to read it.</p>\n",
    );
    Email {
        subject: subject(notice.product_name),
        text,
        html,
    }
}

/// Refuses an email that contains any of `secrets` (the study's name, the message),
/// compared case-insensitively. Secrets shorter than 4 characters are too common to
/// test meaningfully and are skipped.
pub fn ensure_discreet(email: &Email, secrets: &[&str]) -> Result<(), DomainError> {
    let haystacks = [
        email.subject.to_lowercase(),
        email.text.to_lowercase(),
        email.html.to_lowercase(),
    ];
    for secret in secrets {
        let secret = secret.trim().to_lowercase();
        if secret.chars().count() < 4 {
            continue;
        }
        let escaped = escape_html(&secret);
        if haystacks
            .iter()
            .any(|h| h.contains(&secret) || h.contains(&escaped))
        {
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
        }
    }

    #[test]
    fn the_email_has_the_subject_link_and_contact_phone() {
        let email = new_message_email(&notice(Some("+16175550123")));
        assert_eq!(email.subject, "Rally | New Message from a Researcher");
        assert!(email
            .text
            .contains("View My Message: https://app.example.com/messages/cv_123"));
        assert!(email
            .html
            .contains("<a href=\"https://app.example.com/messages/cv_123\">View My Message</a>"));
        assert!(email.text.contains("+16175550123"));
        assert!(!new_message_email(&notice(None))
            .text
            .contains("Call the study team"));
    }

    #[test]
    fn an_email_naming_the_study_or_quoting_the_message_is_refused() {
        let email = new_message_email(&notice(None));
        assert!(
            ensure_discreet(&email, &["Sleep and Anxiety Study", "Your results are in"]).is_ok()
        );
        let leaky = Email {
            subject: "Rally | sleep and anxiety study".into(),
            text: String::new(),
            html: String::new(),
        };
        assert!(ensure_discreet(&leaky, &["Sleep and Anxiety Study"]).is_err());
        let quoting = Email {
            subject: String::new(),
            text: String::new(),
            html: "<p>Your results &lt;b&gt; are in</p>".into(),
        };
        assert!(ensure_discreet(&quoting, &["Your results <b> are in"]).is_err());
    }
}
