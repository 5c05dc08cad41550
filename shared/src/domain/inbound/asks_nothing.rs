//! Words that hold a stop phrase and ask nothing of us, and words that ask to stop the
//! texts without a stop phrase: read from a clause's words, in the languages written
//! in words.
//!
//! - A question whether the texts will stop after something ("Are you going to stop
//!   texting me now that I missed a visit?", "As mensagens vão parar depois da última
//!   visita?"): a future marker just before the stop word and a condition or a time
//!   after it. Without the condition ("are you going to stop texting me?") it is the
//!   demand it sounds like, and the clause reads as before.
//! - Reported speech aimed at someone else ("I said stop to the pharmacy bot"): the
//!   keyword was sent to another sender, not to us.
//! - A question what a keyword does ("What does REVOKE do?", "what happens if I reply
//!   stop", "STOP이라고 답하면 어떻게 되나요?"): asked about, not sent.
//! - A stop asked about for later ("How do I opt out if I ever need to? Not now, just
//!   asking"): the person says they are only asking.
use super::clause::ClauseReading;

/// Words before a stop word that put it in the future.
const FUTURE: &[&[&str]] = &[
    &["going", "to"],
    &["gonna"],
    &["will"],
    &["will", "you"],
    &["will", "they"],
    &["will", "it"],
    &["vao"],
    &["vai"],
    &["irao"],
    &["van", "a"],
    &["va", "a"],
    &["vont"],
    &["allez", "vous"],
    &["va", "t", "il"],
];

/// Stop words whose future is asked about.
const STOP_WORDS: &[&str] = &[
    "stop",
    "stops",
    "off",
    "end",
    "ends",
    "cease",
    "parar",
    "acabar",
    "terminar",
    "dejar",
    "arreter",
    "cesser",
    "finir",
    "تتوقف",
    "يتوقف",
    "ستتوقف",
    "توقف",
];

/// What the stop is asked to follow: a condition or a time.
const CONDITIONS: &[&[&str]] = &[
    &["now", "that"],
    &["after"],
    &["once"],
    &["when"],
    &["if"],
    &["since"],
    &["because"],
    &["at", "the", "end"],
    &["depois"],
    &["quando"],
    &["se"],
    &["agora", "que"],
    &["apos"],
    &["despues"],
    &["cuando"],
    &["si"],
    &["ahora", "que"],
    &["al", "terminar"],
    &["apres"],
    &["quand"],
    &["maintenant", "que"],
    &["une", "fois"],
    &["بعد"],
    &["عندما"],
    &["اذا"],
];

fn at(words: &[String], i: usize, phrase: &[&str]) -> bool {
    phrase
        .iter()
        .enumerate()
        .all(|(k, p)| words.get(i + k).is_some_and(|w| w == p))
}

/// Whether the phrase ends just before `i`.
fn ends_before(words: &[String], i: usize, phrase: &[&str]) -> bool {
    i >= phrase.len() && at(words, i - phrase.len(), phrase)
}

/// "Are you going to stop texting me now that I missed a visit?": the texts' future,
/// asked about under a condition.
pub fn asks_whether_they_stop(words: &[String]) -> bool {
    let asked = words.first().is_some_and(|w| YES_NO.contains(&w.as_str()));
    words.iter().enumerate().any(|(i, w)| {
        STOP_WORDS.contains(&w.as_str())
            && (asked || FUTURE.iter().any(|f| ends_before(words, i, f)))
            && (i + 1..words.len()).any(|j| CONDITIONS.iter().any(|c| at(words, j, c)))
    })
}

/// Words that open a yes-or-no question: "Do the texts stop after the interview?",
/// "هل الرسائل تتوقف بعد المقابلة؟".
const YES_NO: &[&str] = &["do", "does", "will", "would", "how", "هل"];

/// Verbs that report what the person sent before.
const REPORTING: &[&str] = &[
    "said", "sent", "texted", "replied", "typed", "wrote", "told",
];

/// Keywords that may be reported.
const REPORTED: &[&str] = &["stop", "unsubscribe", "cancel", "quit", "end", "stopall"];

/// Who "to" may name and still be us.
const US: &[&str] = &[
    "you", "u", "ya", "yall", "y", "this", "your", "ur", "rally", "these", "them", "yours",
];

/// "I said stop to the pharmacy bot, not you": a keyword reported as sent to someone
/// else.
pub fn reported_to_someone_else(words: &[String]) -> bool {
    words.windows(4).any(|w| {
        REPORTING.contains(&w[0].as_str())
            && REPORTED.contains(&w[1].as_str())
            && w[2] == "to"
            && !US.contains(&w[3].as_str())
    })
}

/// Keywords whose working may be asked about.
const ASKED_ABOUT: &[&str] = &[
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "quit",
    "end",
    "remove",
    "revoke",
    "opt",
    "optout",
    "stopping",
    "unsubscribing",
];

/// What a question about a keyword's working holds.
const WORKING: &[&str] = &["does", "do", "mean", "means", "happens", "happen"];

/// What would aim a keyword at the texts in a question about its working ("what do I
/// do to stop these texts" asks to stop).
const THE_TEXTS: &[&str] = &[
    "these",
    "them",
    "the",
    "this",
    "my",
    "your",
    "all",
    "getting",
    "receiving",
    "sending",
];

/// Korean: "if I reply (with) STOP", "if I send STOP".
const KO_IF_I_REPLY: &[&str] = &[
    "라고답하면",
    "라고보내면",
    "라고하면",
    "라고치면",
    "라고답장하면",
];

/// How a keyword is sent, in a question whether to send it.
const SEND: &[&str] = &["text", "txt", "reply", "send", "say", "write", "type"];

/// "Should I text STOP if I change my number?": whether to send a keyword in a case
/// the person names.
fn asks_whether_to_send(words: &[String]) -> bool {
    let later = |from: usize| {
        words
            .get(from..)
            .unwrap_or_default()
            .iter()
            .any(|x| x == "if" || x == "when")
    };
    // "Would texting END cancel my interview?": what sending a keyword would do.
    let would_sending = words.windows(3).any(|w| {
        matches!(w[0].as_str(), "would" | "will" | "does")
            && SENDING.contains(&w[1].as_str())
            && ASKED_ABOUT.contains(&w[2].as_str())
    });
    let word = |at: usize| words.get(at).map(String::as_str).unwrap_or("");
    // "If I text QUIT does that drop me from the study?", "Se eu mandar SAIR eu saio do
    // estudo?": what sending a keyword would do, asked after the condition.
    let if_i_send = (0..words.len()).any(|i| {
        IF_I.iter().any(|p| at(words, i, p)) && {
            let verb = i + IF_I.iter().find(|p| at(words, i, p)).map_or(0, |p| p.len());
            (SEND.contains(&word(verb)) || SEND_ELSEWHERE.contains(&word(verb)))
                && (ASKED_ABOUT.contains(&word(verb + 1))
                    || ASKED_ABOUT_ELSEWHERE.contains(&word(verb + 1)))
        }
    });
    would_sending
        || if_i_send
        || (0..words.len()).any(|i| {
            // "should I text STOP", "can I (still) say stop"
            let asker = matches!(word(i), "should" | "do" | "can") && word(i + 1) == "i";
            let verb = if word(i) == "can" && word(i + 2) == "still" {
                i + 3
            } else {
                i + 2
            };
            asker
                && SEND.contains(&word(verb))
                && ASKED_ABOUT.contains(&word(verb + 1))
                && later(verb + 2)
        })
}

/// Sending a keyword, as a subject: "texting END".
const SENDING: &[&str] = &["texting", "replying", "sending", "typing", "saying"];

/// How a condition opens on the person's own sending: "if I", "se eu", "si je", "si".
const IF_I: &[&[&str]] = &[&["if", "i"], &["se", "eu"], &["si", "je"], &["si", "j"]];

/// Verbs of sending a keyword, in Portuguese, Spanish and French.
const SEND_ELSEWHERE: &[&str] = &[
    "mandar",
    "enviar",
    "responder",
    "escrever",
    "mando",
    "envio",
    "respondo",
    "escribo",
    "envoie",
    "reponds",
    "ecris",
];

/// Stop words that may be sent as a keyword, in Portuguese, Spanish and French.
const ASKED_ABOUT_ELSEWHERE: &[&str] =
    &["sair", "parar", "pare", "salir", "alto", "arret", "arreter"];

/// "What does REVOKE do?", "what happens if I reply stop?", "STOP이라고 답하면 어떻게
/// 되나요?", "should I text stop if I change my number?": a question how a keyword
/// works, with the keyword aimed at nothing.
pub fn asks_what_a_keyword_does(words: &[String]) -> bool {
    let spaceless = words.concat();
    if KO_IF_I_REPLY.iter().any(|k| spaceless.contains(k)) || asks_whether_to_send(words) {
        return true;
    }
    // "Does STOP take me out of the study or just the texts?"
    let opens_asking_of_a_keyword = words
        .first()
        .is_some_and(|w| matches!(w.as_str(), "does" | "will" | "would"))
        && words
            .get(1)
            .is_some_and(|w| ASKED_ABOUT.contains(&w.as_str()));
    if opens_asking_of_a_keyword {
        return true;
    }
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    words.iter().any(|w| w == "what")
        && has(WORKING)
        && words.iter().enumerate().any(|(i, w)| {
            ASKED_ABOUT.contains(&w.as_str())
                && words[i + 1..]
                    .iter()
                    .take(2)
                    .all(|n| !THE_TEXTS.contains(&n.as_str()) && !n.starts_with("text"))
        })
}

/// How a question about the person's own next step opens.
const OWN_STEP: &[&[&str]] = &[
    &["should", "i"],
    &["shall", "i"],
    &["do", "i", "need", "to"],
    &["do", "i", "have", "to"],
    &["am", "i", "supposed", "to"],
];

/// "Should I remove my contacts before the eye part?": the person asks whether to do
/// something themselves; a stop word in it asks nothing of us.
pub fn asks_about_own_step(words: &[String]) -> bool {
    OWN_STEP.iter().any(|o| at(words, 0, o))
}

/// What says a stop was only asked about, for later.
const ONLY_ASKING: &[&str] = &[
    "just asking",
    "only asking",
    "just curious",
    "just wondering",
    "for future reference",
    "if i ever need",
    "if i ever want",
    "in case i ever",
    "later if i want",
    "later if i need",
    "nagtatanong lang",
    "chi hoi thoi",
    "hoi thoi",
    "tanong lang",
];

/// "How do I opt out if I ever need to? Not now, just asking": the whole text
/// (normalized) says its stop is only asked about.
pub fn only_asking(text: &str) -> bool {
    super::text::says_any(text, ONLY_ASKING)
}

/// What these words do to a clause's reading: a stop that asks nothing of us, and a
/// preference for another channel that stops the texts.
pub(super) fn what_the_words_ask(
    words: &[String],
    sms: bool,
    negated_stop: bool,
    reading: &mut ClauseReading,
) {
    if asks_whether_they_stop(words) {
        // "Are you going to stop texting me now that I missed a visit?": the one
        // clarifying reply answers it.
        reading.stop = None;
        reading.imperative = false;
        reading.doubt = true;
    }
    if asks_what_a_keyword_does(words) {
        // "What does REVOKE do?": the one clarifying reply answers it.
        reading.stop = None;
        reading.imperative = false;
        reading.doubt = true;
    }
    if asks_about_own_step(words) {
        // "Should I remove my contacts first?": nothing asked of us; about the texts
        // ("should I unsubscribe from the texts?"), the one clarifying reply answers.
        reading.stop = None;
        reading.imperative = false;
        reading.doubt |= sms;
    }
    if reported_to_someone_else(words) {
        reading.stop = None;
        reading.imperative = false;
        reading.elsewhere = true;
    }
    if reading.stop.is_none() && !reading.elsewhere && !reading.keep && !negated_stop && !sms {
        reading.stop = super::another_channel::only_another_channel(words);
        // As plain as an imperative: the model's veto, there for phrases that may be
        // undone, does not apply.
        reading.imperative = reading.stop.is_some();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn the_future_of_the_texts_asked_under_a_condition() {
        assert!(asks_whether_they_stop(&words(
            "are you going to stop texting me now that i missed a visit"
        )));
        assert!(asks_whether_they_stop(&words(
            "as mensagens vao parar depois da ultima visita"
        )));
        assert!(!asks_whether_they_stop(&words(
            "are you going to stop texting me"
        )));
        assert!(!asks_whether_they_stop(&words("stop texting me after 5pm")));
    }

    #[test]
    fn a_keyword_sent_to_someone_else() {
        assert!(reported_to_someone_else(&words(
            "i said stop to the pharmacy bot"
        )));
        assert!(!reported_to_someone_else(&words(
            "i said stop to you twice"
        )));
        assert!(!reported_to_someone_else(&words("i said stop")));
    }

    #[test]
    fn a_question_what_a_keyword_does() {
        assert!(asks_what_a_keyword_does(&words("what does revoke do")));
        assert!(asks_what_a_keyword_does(&words(
            "what happens if i reply stop"
        )));
        assert!(asks_what_a_keyword_does(&words(
            "stop 이라고 답하면 어떻게 되나요"
        )));
        assert!(!asks_what_a_keyword_does(&words(
            "what do i have to do to stop these texts"
        )));
        assert!(!asks_what_a_keyword_does(&words("stop texting me")));
        assert!(asks_what_a_keyword_does(&words(
            "should i text stop if i am changing my phone number"
        )));
        assert!(!asks_what_a_keyword_does(&words("should i text stop")));
        assert!(asks_what_a_keyword_does(&words(
            "can i still say stop later if the reminders get to be too much"
        )));
        assert!(asks_what_a_keyword_does(&words(
            "would texting end cancel my interview or only the texts"
        )));
    }
}
