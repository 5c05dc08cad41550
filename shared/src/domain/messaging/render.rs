//! Every email the product sends, from template files (`templates/`): `layout.html`
//! and `layout.txt` wrap each email's own part (`new_message`, `team_reply`,
//! `support_request`), so both parts of every email say the same, with the same
//! footer: the "Contact Us" line (platform support, never a study team) and the
//! reason the person got the email.
//!
//! The template language is the least that serves: `{{name}}` is a value (escaped in
//! HTML), `{{{name}}}` a part already rendered, `{{#name}}…{{/name}}` kept only when
//! `name` has a value. A name the values lack renders empty; a unit test renders every
//! template and finds no `{{` left.
use super::email::Email;
use crate::html::escape as escape_html;

/// One template, in its two forms.
pub struct Template {
    pub html: &'static str,
    pub text: &'static str,
}

pub const NEW_MESSAGE: Template = Template {
    html: include_str!("templates/new_message.html"),
    text: include_str!("templates/new_message.txt"),
};
pub const TEAM_REPLY: Template = Template {
    html: include_str!("templates/team_reply.html"),
    text: include_str!("templates/team_reply.txt"),
};
pub const SUPPORT_REQUEST: Template = Template {
    html: include_str!("templates/support_request.html"),
    text: include_str!("templates/support_request.txt"),
};
const LAYOUT: Template = Template {
    html: include_str!("templates/layout.html"),
    text: include_str!("templates/layout.txt"),
};
const BUTTON: &str = include_str!("templates/button.html");

/// What one email says beyond its part's fixed words.
pub struct Content<'a> {
    pub product: &'a str,
    pub subject: String,
    /// The line a mail app shows beside the subject.
    pub preheader: &'a str,
    pub heading: &'a str,
    /// Why the person got the email.
    pub reason: &'a str,
    /// How to reach platform support (an address, a URL or a phone), or none.
    pub support: Option<&'a str>,
    /// The main button: its label and link.
    pub button: Option<(&'a str, &'a str)>,
    /// The part's own values.
    pub values: Vec<(&'a str, String)>,
}

/// Renders `template` inside the layout, as HTML and as text.
pub fn render(template: &Template, content: &Content<'_>) -> Email {
    let support_href = content.support.map(support_href).unwrap_or_default();
    let mut values: Vec<(&str, String)> = vec![
        ("product", content.product.to_owned()),
        ("subject", content.subject.clone()),
        ("preheader", content.preheader.to_owned()),
        ("heading", content.heading.to_owned()),
        ("reason", content.reason.to_owned()),
        ("support", content.support.unwrap_or_default().to_owned()),
        ("support_href", support_href),
    ];
    if let Some((_, href)) = content.button {
        values.push(("link", href.to_owned()));
    }
    values.extend(content.values.iter().cloned());
    let button = content
        .button
        .map(|(label, href)| {
            fill(
                BUTTON,
                &[("label", label.to_owned()), ("href", href.to_owned())],
                true,
            )
        })
        .unwrap_or_default();
    let mut html_values = values.clone();
    html_values.push(("button", button));
    html_values.push(("content", fill(template.html, &html_values, true)));
    let mut text_values = values;
    text_values.push((
        "content",
        fill(template.text, &text_values, false)
            .trim_end()
            .to_owned(),
    ));
    Email {
        subject: content.subject.clone(),
        html: fill(LAYOUT.html, &html_values, true),
        text: tidy(&fill(LAYOUT.text, &text_values, false)),
    }
}

/// A `mailto:`, web or `tel:` link for the support contact, as it is written.
fn support_href(contact: &str) -> String {
    let contact = contact.trim();
    if contact.starts_with("https://") || contact.starts_with("http://") {
        contact.to_owned()
    } else if contact.contains('@') {
        format!("mailto:{contact}")
    } else {
        format!(
            "tel:{}",
            contact
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect::<String>()
        )
    }
}

/// Fills one template: values, parts (`{{{…}}}`) and sections.
fn fill(template: &str, values: &[(&str, String)], html: bool) -> String {
    let value = |name: &str| {
        values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        if let Some(inner) = after.strip_prefix("{{{") {
            let end = inner.find("}}}").unwrap_or(inner.len());
            out.push_str(value(inner[..end].trim()));
            rest = inner.get(end + 3..).unwrap_or("");
        } else if let Some(inner) = after.strip_prefix("{{#") {
            let end = inner.find("}}").unwrap_or(inner.len());
            let name = inner[..end].trim();
            let body = inner.get(end + 2..).unwrap_or("");
            let close = format!("{{{{/{name}}}}}");
            let (section, after_section) = match body.find(&close) {
                Some(stop) => (&body[..stop], &body[stop + close.len()..]),
                None => (body, ""),
            };
            if !value(name).is_empty() {
                out.push_str(&fill(section.trim_start_matches('\n'), values, html));
            }
            rest = after_section.strip_prefix('\n').unwrap_or(after_section);
        } else {
            let inner = &after[2..];
            let end = inner.find("}}").unwrap_or(inner.len());
            let v = value(inner[..end].trim());
            if html {
                out.push_str(&escape_html(v));
            } else {
                out.push_str(v);
            }
            rest = inner.get(end + 2..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

/// The text part without runs of blank lines a missing section leaves.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A phone for people: a North American number as `(617) 555-0123`, any other as
/// written (E.164).
pub fn phone_for_people(e164: &str) -> String {
    let digits: Vec<char> = e164.chars().skip(2).collect();
    if e164.starts_with("+1") && digits.len() == 10 && digits.iter().all(char::is_ascii_digit) {
        let part = |a: usize, b: usize| digits[a..b].iter().collect::<String>();
        format!("({}) {}-{}", part(0, 3), part(3, 6), part(6, 10))
    } else {
        e164.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(support: Option<&'static str>) -> Content<'static> {
        Content {
            product: "Rally",
            subject: "Rally | Test".into(),
            preheader: "pre",
            heading: "Heading",
            reason: "Because.",
            support,
            button: Some(("Go", "https://app.example/x?a=1&b=2")),
            values: vec![
                ("phone", "(617) 555-0123".into()),
                ("phone_e164", "+16175550123".into()),
                ("link", "https://app.example/x?a=1&b=2".into()),
                ("id", "sr_1".into()),
                ("user", "u_1".into()),
                ("from", "a@example.org".into()),
                ("at", "2026-12-05T10:00:00Z".into()),
                ("request_subject", "<b>hi</b>".into()),
                ("body", "line 1\nline 2".into()),
            ],
        }
    }

    #[test]
    fn every_template_renders_whole_with_nothing_left_unfilled() {
        for template in [&NEW_MESSAGE, &TEAM_REPLY, &SUPPORT_REQUEST] {
            for support in [Some("support@rally.example"), None] {
                let email = render(template, &content(support));
                for part in [&email.html, &email.text] {
                    assert!(!part.contains("{{") && !part.contains("}}"), "{part}");
                }
                assert!(email.html.starts_with("<!DOCTYPE html>"));
                assert!(email.html.trim_end().ends_with("</html>"));
                assert_eq!(email.html.contains("Contact Us"), support.is_some());
                assert_eq!(email.text.contains("Contact Us"), support.is_some());
                assert!(email.text.contains("Because."));
            }
        }
    }

    #[test]
    fn values_are_escaped_in_html_and_plain_in_text() {
        let email = render(&SUPPORT_REQUEST, &content(None));
        assert!(email.html.contains("&lt;b&gt;hi&lt;/b&gt;"));
        assert!(!email.html.contains("<b>hi</b>"));
        assert!(email.text.contains("Subject: <b>hi</b>"));
        let email = render(&NEW_MESSAGE, &content(None));
        assert!(email
            .html
            .contains("href=\"https://app.example/x?a=1&amp;b=2\""));
    }

    #[test]
    fn support_links_follow_what_the_contact_is() {
        assert_eq!(
            support_href("help@rally.example"),
            "mailto:help@rally.example"
        );
        assert_eq!(
            support_href("https://rally.example/help"),
            "https://rally.example/help"
        );
        assert_eq!(support_href("+1 (617) 555-0100"), "tel:+16175550100");
    }

    #[test]
    fn north_american_phones_are_written_for_people() {
        assert_eq!(phone_for_people("+16175550123"), "(617) 555-0123");
        assert_eq!(phone_for_people("+442071838750"), "+442071838750");
        assert_eq!(phone_for_people("+1617"), "+1617");
    }
}
