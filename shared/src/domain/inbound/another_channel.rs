//! A preference for another channel alone ("only use email", "email reminders only",
//! "solo por correo"): the texts are what it stops. Read from a clause's words, in the
//! languages written in words.
use super::lexicon::Lang;

/// Words that say "only".
const ONLY: &[&str] = &[
    "only",
    "solo",
    "solamente",
    "unicamente",
    "somente",
    "apenas",
    "seulement",
    "uniquement",
];

/// Other channels a person may ask to be reached by instead.
const CHANNELS: &[&str] = &[
    "email",
    "emails",
    "e-mail",
    "mail",
    "call",
    "calls",
    "correo",
    "correos",
    "llamada",
    "llamadas",
    "ligacao",
    "ligacoes",
    "courriel",
    "courriels",
    "appel",
    "appels",
    "letter",
    "letters",
];

/// What may stand between "only" and the channel: a way of reaching, not an activity
/// ("I only check email" is about the person, not about us).
const BETWEEN: &[&str] = &[
    "use",
    "want",
    "contact",
    "reach",
    "me",
    "by",
    "through",
    "thru",
    "via",
    "send",
    "to",
    "my",
    "prefer",
    "please",
    "receive",
    "get",
    "phone",
    "reminder",
    "reminders",
    "updates",
    "por",
    "par",
    "pelo",
    "pela",
    "el",
    "la",
    "le",
    "les",
    "de",
    "o",
    "a",
    "from",
    "now",
    "on",
];

/// "Please only use email", "switch me to email reminders only", "solo por correo": a
/// preference for another channel, in the language of its "only".
pub fn only_another_channel(words: &[String]) -> Option<Lang> {
    let channel = |w: &String| CHANNELS.contains(&w.as_str());
    let only = words.iter().enumerate().find(|(i, w)| {
        let i = *i;
        // "Calls: only if it's urgent": a condition, not a preference.
        let conditioned = matches!(
            words.get(i + 1).map(String::as_str),
            Some("if" | "when" | "for" | "in")
        );
        ONLY.contains(&w.as_str()) && !conditioned && {
            let after = words[i + 1..]
                .iter()
                .take(4)
                .take_while(|w| !channel(w))
                .all(|w| BETWEEN.contains(&w.as_str()));
            let after = after && words[i + 1..].iter().take(4).any(channel);
            let before = words[..i]
                .iter()
                .rev()
                .take(3)
                .take_while(|w| !channel(w))
                .all(|w| BETWEEN.contains(&w.as_str()));
            let before = before && words[..i].iter().rev().take(3).any(channel);
            after || before
        }
    });
    if let Some((_, word)) = only {
        return Some(match word.as_str() {
            "solo" | "solamente" | "unicamente" => Lang::Es,
            "somente" | "apenas" => Lang::Pt,
            "seulement" | "uniquement" => Lang::Fr,
            _ => Lang::En,
        });
    }
    let switch = words
        .windows(3)
        .any(|w| w[0] == "switch" && w[1] == "to" && channel(&w[2]))
        || words
            .windows(4)
            .any(|w| w[0] == "switch" && w[1] == "me" && w[2] == "to" && channel(&w[3]));
    switch.then_some(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn another_channel_only() {
        for yes in [
            "please only use email",
            "i only want phone calls",
            "please switch me to email reminders only",
            "email only",
            "solo por correo",
        ] {
            assert!(only_another_channel(&words(yes)).is_some(), "{yes}");
        }
        for no in [
            "i only check email on weekends",
            "text only please",
            "only 2 more visits",
            "can you email me instead",
        ] {
            assert!(only_another_channel(&words(no)).is_none(), "{no}");
        }
    }
}
