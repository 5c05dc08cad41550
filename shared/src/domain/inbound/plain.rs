//! Plain-language revocations: "please stop texting me", "take me off your list",
//! "I revoke my consent", "no más mensajes". The line is drawn on purpose:
//! - a stop verb counts when it is aimed at the messages ("stop texting", "end the
//!   texts"), or stands alone at the end ("please stop", "I want this to stop"); not
//!   when it has another object ("stop by this afternoon", "end it at 4") or is
//!   negated ("don't stop the reminders");
//! - "don't text me" counts, "don't text my work number" only earns the how-to-stop
//!   reply;
//! - a phrase that is a revocation on its face counts wherever it is ("opt out",
//!   "unsubscribe", "wrong number", "leave me alone", "darme de baja").
//!
//! Measured against `tests/fixtures/opt-out-corpus.tsv` (docs/reliability.md).
use super::words::typo_distance;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plain {
    Revocation,
    /// May be one, is not clearly one.
    Unclear,
}

/// Words that mean the messages themselves.
const MESSAGING: &[&str] = &[
    "text",
    "texts",
    "texting",
    "texted",
    "textin",
    "txt",
    "txts",
    "txting",
    "txtin",
    "message",
    "messages",
    "messaging",
    "msg",
    "msgs",
    "sms",
    "contact",
    "contacting",
    "contacted",
    "sending",
    "reminder",
    "reminders",
    "notification",
    "notifications",
    "alerts",
    "spam",
    "spamming",
    "mensajes",
    "mensaje",
    "textos",
    "mensagens",
    "mensagem",
    "communications",
    "communication",
];

/// Words that add nothing to what a text asks.
const FILLER: &[&str] = &[
    "please",
    "pls",
    "plz",
    "now",
    "it",
    "this",
    "that",
    "already",
    "immediately",
    "asap",
    "right",
    "away",
    "thanks",
    "thank",
    "you",
    "thx",
    "ok",
    "okay",
    "just",
    "all",
    "them",
    "these",
    "those",
    "me",
    "stop",
    "seriously",
    "omg",
    "anymore",
    "again",
    "por",
    "favor",
    "ya",
    "ahora",
    "gracias",
    "ever",
    "lol",
    "asap",
    "forever",
];

/// Also the ways people type them: "txtn", "msging", "texing", "mensagens".
pub fn is_messaging(word: &str) -> bool {
    MESSAGING.contains(&word)
        || (word.len() >= 4
            && ["tex", "txt", "msg", "mensag", "messag"]
                .iter()
                .any(|p| word.starts_with(p))
            && !["textbook"].contains(&word))
}

/// Filler, and the ways "please" gets typed ("pleas", "pleasee").
pub fn is_filler(word: &str) -> bool {
    FILLER.contains(&word) || (word.starts_with("pleas") && word.len() <= 7)
}

/// "stop", or one slip from it ("stpo", "stip", "stopp"), but no real word.
fn is_stop_verb(word: &str) -> bool {
    STOP_VERBS.contains(&word)
        || (word.len() >= 4
            && word.len() <= 5
            && ![
                "step", "shop", "stow", "slip", "atop", "stops", "stomp", "strip", "stay", "soap",
                "stoke", "stove", "store", "story", "stood", "stool", "spot", "stole", "stone",
                "stock", "shot",
            ]
            .contains(&word)
            && typo_distance(word, "stop", 1) <= 1)
}

/// A word naming a time or day: "stop the 2pm reminder" is about one text, not all.
fn is_time(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
        || [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "tomorrow",
            "today",
            "morning",
            "evening",
            "first",
            "second",
            "last",
            "other",
            "extra",
        ]
        .contains(&word)
}

/// Phrases that are a revocation wherever they stand.
const REVOCATIONS: &[&[&str]] = &[
    &["opt", "out"],
    &["opt", "me", "out"],
    &["opting", "out"],
    &["optout"],
    &["unsub"],
    &["unsubscribing"],
    &["my", "number", "removed"],
    &["number", "deleted"],
    &["number", "removed"],
    &["be", "removed"],
    &["leave", "me", "alone"],
    &["want", "off"],
    &["off", "the", "list"],
    &["off", "your", "list"],
    &["off", "this", "list"],
    &["unenroll"],
    &["unenrol"],
    &["deregister"],
    &["refrain"],
    &["dont", "bother", "texting"],
    &["revoke"],
    &["revoking"],
    &["revoked"],
    &["withdraw", "my", "consent"],
    &["withdraw", "consent"],
    &["i", "withdraw"],
    &["withdrawing"],
    &["no", "longer", "consent"],
    &["do", "not", "consent"],
    &["dont", "consent"],
    &["no", "longer", "interested"],
    &["didnt", "sign", "up"],
    &["never", "signed", "up"],
    &["go", "away"],
    &["count", "me", "out"],
    &["i", "want", "out"],
    &["im", "out"],
    &["cease"],
    &["desist"],
    &["discontinue"],
    &["harassment"],
    &["asked", "you", "to", "stop"],
    // French and Spanish.
    &["arretez"],
    &["desabonner"],
    &["desinscrire"],
    &["darme", "de", "baja"],
    &["dar", "de", "baja"],
    &["numero", "equivocado"],
    &["no", "quiero", "recibir"],
    &["no", "deseo", "recibir"],
    &["ya", "no", "me"],
    &["cancelar", "suscripcion"],
    &["revoco"],
    &["retiro", "mi", "consentimiento"],
    &["numero", "errado"],
];

/// Spanish words that alone (with filler) ask to stop.
const SPANISH_STOP: &[&str] = &["parar", "alto", "baja", "cancelar", "detener", "basta"];

const STOP_VERBS: &[&str] = &["stop", "quit", "cease", "end", "halt", "parar", "detener"];
/// Stop verbs that also stand alone at the end ("please stop"); "when does it end" does not.
const ALONE_STOP_VERBS: &[&str] = &["stop", "quit", "parar"];
/// Before a stop verb: the speaker stopping something of their own ("I'll stop by").
const SPEAKER: &[&str] = &["i", "ill", "we", "well", "they", "youll", "lets"];
/// Before "stop": the word is a place ("the bus stop", "the next stop").
const PLACE: &[&str] = &[
    "bus", "the", "a", "next", "wrong", "my", "that", "first", "last", "train", "pit", "your",
];
/// The first three ask not to be texted ("don't text me"); all of them undo a stop
/// verb or a revocation phrase just before it ("don't take me off the list").
const NEGATIONS: &[&str] = &[
    "dont", "never", "not", "dint", "dnt", "cant", "wont", "doesnt", "didnt",
];
const CONTACT_VERBS: &[&str] = &["text", "txt", "message", "msg", "contact", "sms", "send"];
/// After "don't text": whom or what, when it means every text.
const CONTACT_OBJECTS: &[&str] = &[
    "me", "this", "us", "again", "anymore", "any", "number", "ever",
];
/// What "take me off …" or "remove me from …" can name that is not the messages.
const ORDINARY_OBJECTS: &[&str] = &[
    "waitlist",
    "waiting",
    "schedule",
    "slot",
    "booking",
    "interview",
    "calendar",
    "appointment",
    "session",
    "call",
];

fn has(words: &[String], phrase: &[&str]) -> Option<usize> {
    words
        .windows(phrase.len())
        .position(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

fn word(words: &[String], i: usize) -> &str {
    words.get(i).map(String::as_str).unwrap_or("")
}

/// "take me off …" / "remove me from …" at `after`: a revocation unless it names
/// something other than the messages.
fn off_what(words: &[String], after: usize) -> Plain {
    let named = words[after.min(words.len())..]
        .iter()
        .take(3)
        .any(|w| ORDINARY_OBJECTS.contains(&w.as_str()) || is_time(w));
    if named {
        Plain::Unclear
    } else {
        Plain::Revocation
    }
}

/// A stop verb at `i`: aimed at the messages, alone at the end, or neither.
fn stop_verb(words: &[String], i: usize) -> Option<Plain> {
    let verb = word(words, i);
    if i > 0 && NEGATIONS.contains(&word(words, i - 1)) {
        return None;
    }
    // "stop texting me", "end the texts", "stop with the texts", "stop testing me"
    // (autocorrect), "stop getting these".
    let ahead = &words[i + 1..words.len().min(i + 4)];
    let first = word(words, i + 1);
    if first == "testing" && word(words, i + 2) == "me" {
        return Some(Plain::Revocation);
    }
    if ["getting", "receiving"].contains(&first)
        && ["these", "them", "those", "any", "this"].contains(&word(words, i + 2))
    {
        return Some(Plain::Revocation);
    }
    if let Some(at) = ahead.iter().position(|w| is_messaging(w)) {
        return Some(if ahead[..at].iter().any(|w| is_time(w)) {
            Plain::Unclear
        } else {
            Plain::Revocation
        });
    }
    let before = if i > 0 { word(words, i - 1) } else { "" };
    // "get these texts to stop? I want off": the messages named just before "to stop".
    let named_before = words[i.saturating_sub(3)..i]
        .iter()
        .any(|w| is_messaging(w));
    if before == "to" && named_before {
        return Some(Plain::Revocation);
    }
    let verb = if STOP_VERBS.contains(&verb) {
        verb
    } else {
        "stop"
    };
    if !ALONE_STOP_VERBS.contains(&verb) && verb != "end" {
        return None;
    }
    // "can't make him stop": a negation a little before.
    if words[i.saturating_sub(3)..i]
        .iter()
        .any(|w| NEGATIONS.contains(&w.as_str()))
    {
        return None;
    }
    // "please stop", "I said stop", "I want this to stop": nothing but filler after.
    let alone = words[i + 1..].iter().all(|w| is_filler(w));
    if !alone {
        return None;
    }
    if verb == "end" {
        return named_before.then_some(Plain::Revocation);
    }
    if (SPEAKER.contains(&before) || PLACE.contains(&before)) && !named_before {
        return None;
    }
    Some(Plain::Revocation)
}

/// Whether the words at `at` are negated: "don't take me off", "please don't ever".
fn negated(words: &[String], at: usize) -> bool {
    let before = |back: usize| at.checked_sub(back).map(|i| word(words, i)).unwrap_or("");
    NEGATIONS.contains(&before(1))
        || (NEGATIONS.contains(&before(2))
            && ["please", "ever", "you", "just"].contains(&before(1)))
}

/// "Please don't take me off the list": the person asks to stay.
fn asks_to_stay(words: &[String]) -> bool {
    [&["take", "me", "off"][..], &["remove", "me"]]
        .iter()
        .any(|phrase| has(words, phrase).is_some_and(|at| negated(words, at)))
}

/// "lose my number", "take this number off", "forget my number", "delete my phone".
fn drops_the_number(words: &[String], i: usize) -> bool {
    let verbs = [
        "lose", "forget", "delete", "remove", "erase", "drop", "take",
    ];
    let typo_of_remove = words[i].len() == 6 && typo_distance(&words[i], "remove", 1) <= 1;
    (verbs.contains(&words[i].as_str()) || typo_of_remove)
        && ["my", "this", "the"].contains(&word(words, i + 1))
        && ["number", "phone", "cell"].contains(&word(words, i + 2))
        && (words[i].as_str() != "take" || words[i + 3..].iter().take(2).any(|w| w == "off"))
}

/// Spanish, Portuguese and French requests to stop ("dejen de enviarme", "no me
/// manden", "bórrenme de la lista", "não me mande mais", "ne m'envoyez plus").
fn other_languages(words: &[String], i: usize) -> bool {
    let w = words[i].as_str();
    let sending = |next: &str| {
        [
            "envi", "mand", "escrib", "escrev", "contact", "text", "molest", "menvoy", "mecri",
        ]
        .iter()
        .any(|p| next.starts_with(p))
    };
    let next = word(words, i + 1);
    let after = word(words, i + 2);
    if [
        "dejen", "deja", "deje", "dejar", "dejes", "paren", "pare", "parem", "parar",
    ]
    .contains(&w)
        && next == "de"
        && (sending(after) || (after == "me" && sending(word(words, i + 3))))
    {
        return true;
    }
    if ["no", "nao"].contains(&w) && (sending(next) || (next == "me" && sending(after))) {
        return true;
    }
    if ["no", "nao"].contains(&w)
        && ["quiero", "quero", "deseo"].contains(&next)
        && words[i + 2..].iter().take(4).any(|x| is_messaging(x))
    {
        return true;
    }
    if [
        "borrenme",
        "borrame",
        "quitenme",
        "quitame",
        "saquenme",
        "sacame",
        "eliminenme",
    ]
    .contains(&w)
    {
        return true;
    }
    if w.starts_with("equivoc") && words[i + 1..].iter().take(3).any(|x| x == "numero") {
        return true;
    }
    // French: "ne … plus" around sending or receiving ("je ne veux plus recevoir de SMS").
    if w == "plus" && words[i.saturating_sub(3)..i].iter().any(|x| x == "ne") {
        let near = &words[i.saturating_sub(3)..words.len().min(i + 3)];
        if near
            .iter()
            .any(|x| sending(x) || x == "recevoir" || is_messaging(x))
        {
            return true;
        }
    }
    false
}

/// What a plain-language text asks, if it may be a revocation.
pub fn read(words: &[String]) -> Option<Plain> {
    let mut unclear = false;
    let stay = asks_to_stay(words);
    for phrase in REVOCATIONS {
        if let Some(at) = has(words, phrase) {
            if !(negated(words, at) || stay && phrase.contains(&"off")) {
                return Some(Plain::Revocation);
            }
            unclear = true;
        }
    }
    for i in 0..words.len() {
        if drops_the_number(words, i) || other_languages(words, i) {
            return Some(Plain::Revocation);
        }
        // "leave me the f*** alone", "f*** off with these texts", "knock it off with the texts".
        if words[i] == "leave"
            && word(words, i + 1) == "me"
            && words[i + 2..].iter().take(3).any(|w| w == "alone")
        {
            return Some(Plain::Revocation);
        }
        if words[i] == "off"
            && words[i + 1..].iter().take(3).any(|w| is_messaging(w))
            && !negated(words, i)
        {
            return Some(Plain::Revocation);
        }
    }
    if words
        .iter()
        .any(|w| w.len() >= 8 && typo_distance(w, "unsubscribe", 2) <= 2)
    {
        return Some(Plain::Revocation);
    }
    // "wrong number", unless the person gave us a wrong one of theirs.
    if let Some(at) = has(words, &["wrong", "number"]) {
        let gave = words[at.saturating_sub(4)..at]
            .iter()
            .any(|w| ["give", "gave", "sent", "put", "entered", "typed"].contains(&w.as_str()));
        if !gave {
            return Some(Plain::Revocation);
        }
        unclear = true;
    }
    for phrase in [
        &["take", "me", "off"][..],
        &["take", "me", "of"],
        &["tak", "me", "off"],
        &["remove", "me"],
        &["remive", "me"],
        &["remvoe", "me"],
    ] {
        if let Some(at) = has(words, phrase) {
            if negated(words, at) {
                unclear = true;
                continue;
            }
            match off_what(words, at + phrase.len()) {
                Plain::Revocation => return Some(Plain::Revocation),
                Plain::Unclear => unclear = true,
            }
        }
    }
    if let Some(at) = has(words, &["not", "interested"]) {
        if words[at + 2..]
            .iter()
            .all(|w| is_filler(w) || STOP_VERBS.contains(&w.as_str()))
        {
            return Some(Plain::Revocation);
        }
    }
    for (i, w) in words.iter().enumerate() {
        let w = w.as_str();
        if is_stop_verb(w) {
            match stop_verb(words, i) {
                Some(Plain::Revocation) => return Some(Plain::Revocation),
                Some(Plain::Unclear) => unclear = true,
                None => {}
            }
        }
        // "no more texts", "please, no more", "no más mensajes", "enough texts".
        let no_more = (["more", "mor", "mas"].contains(&w) && i > 0 && word(words, i - 1) == "no")
            || w == "enough";
        if no_more {
            let rest = &words[i + 1..];
            if rest.iter().take(3).any(|r| is_messaging(r)) || rest.iter().all(|r| is_filler(r)) {
                if w != "enough" || !rest.is_empty() {
                    return Some(Plain::Revocation);
                }
                unclear = true;
            }
        }
        // "don't text me", "do not send me reminders", "never contact me again".
        if NEGATIONS[..5].contains(&w) {
            let mut j = i + 1;
            while ["ever", "you", "please"].contains(&word(words, j)) {
                j += 1;
            }
            if CONTACT_VERBS.contains(&word(words, j)) {
                let object = word(words, j + 1);
                if object.is_empty() || CONTACT_OBJECTS.contains(&object) {
                    return Some(Plain::Revocation);
                }
                if word(words, j) != "send" {
                    unclear = true;
                }
            }
        }
        // "I don't want these texts", "I no longer want to get reminders".
        if ["want", "need", "wish"].contains(&w)
            && i > 0
            && ["dont", "not", "longer"].contains(&word(words, i - 1))
        {
            let ahead = &words[i + 1..words.len().min(i + 7)];
            if ahead.iter().any(|a| is_messaging(a)) && !ahead.iter().any(|a| a == "miss") {
                return Some(Plain::Revocation);
            }
            if ahead.iter().all(|a| is_filler(a)) {
                unclear = true;
            }
        }
        // "I'd rather not get texts", "turn off the reminders", "no texts please".
        let softly = (w == "not" && i > 0 && ["rather", "prefer"].contains(&word(words, i - 1)))
            || (w == "off" && i > 0 && word(words, i - 1) == "turn");
        if softly
            && words[i + 1..words.len().min(i + 4)]
                .iter()
                .any(|a| is_messaging(a))
        {
            return Some(Plain::Revocation);
        }
        if w == "no"
            && is_messaging(word(words, i + 1))
            && words[i + 2..].iter().all(|r| is_filler(r))
        {
            return Some(Plain::Revocation);
        }
        // "dejen de enviarme mensajes", "no me manden mensajes".
        if ["dejen", "deja", "dejar", "dejes"].contains(&w) && word(words, i + 1) == "de" {
            let next = word(words, i + 2);
            if ["envi", "mand", "escrib", "contact", "text"]
                .iter()
                .any(|p| next.starts_with(p))
            {
                return Some(Plain::Revocation);
            }
        }
        if w == "no" && word(words, i + 1) == "me" {
            let next = word(words, i + 2);
            if ["envi", "mand", "escrib", "contact", "text"]
                .iter()
                .any(|p| next.starts_with(p))
            {
                return Some(Plain::Revocation);
            }
        }
        if w == "spam" || w == "spamming" {
            unclear = true;
        }
    }
    // "PARAR", "Alto por favor", "Basta de mensajes".
    if SPANISH_STOP.contains(&word(words, 0))
        && words[1..]
            .iter()
            .all(|w| is_filler(w) || is_messaging(w) || w == "de" || w == "suscripcion")
    {
        return Some(Plain::Revocation);
    }
    if has(words, &["why", "are", "you", "texting"]).is_some()
        || has(words, &["why", "do", "you", "keep"]).is_some()
        || has(words, &["still", "texting"]).is_some()
    {
        unclear = true;
    }
    unclear.then_some(Plain::Unclear)
}
