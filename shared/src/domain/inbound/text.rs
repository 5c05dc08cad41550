//! How a text is read before its meaning is: [`normalize`] folds it to the form the
//! lexicons are written in, and [`clauses`] cuts it where one request can end and
//! another begin.

/// One character as the lexicons write it: lower case; a Latin letter without its
/// accent (French, Spanish, Portuguese, Haitian Creole, and Vietnamese, so a text typed
/// without diacritics reads the same as one with them); Cyrillic ё as е; Arabic
/// without its vowel marks, with one alef, ya and ha.
fn fold(c: char) -> Option<char> {
    const LATIN: &[(&str, char)] = &[
        ("àáâãäåāăąạảấầẩẫậắằẳẵặ", 'a'),
        ("çćĉċč", 'c'),
        ("ďđ", 'd'),
        ("èéêëēĕėęěẹẻẽếềểễệ", 'e'),
        ("ìíîïĩīĭįịỉ", 'i'),
        ("ñńņň", 'n'),
        ("òóôõöøōŏőơọỏốồổỗộớờởỡợ", 'o'),
        ("ùúûüũūŭůűųưụủứừửữự", 'u'),
        ("ýÿỳỵỷỹ", 'y'),
        ("śšş", 's'),
        ("žźż", 'z'),
    ];
    let lower = c.to_lowercase().next().unwrap_or(c);
    if lower.is_ascii() {
        return Some(lower);
    }
    for (from, to) in LATIN {
        if from.contains(lower) {
            return Some(*to);
        }
    }
    Some(match lower {
        'ё' => 'е',
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' => 'ي',
        'ة' => 'ه',
        // Arabic vowel marks and the tatweel: dropped.
        '\u{064B}'..='\u{0652}' | '\u{0640}' | '\u{0670}' => return None,
        // Combining accents typed separately.
        '\u{0300}'..='\u{036F}' => return None,
        other => other,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    /// Latin, Cyrillic, digits: words are written with spaces between them.
    Spaced,
    Han,
    Hangul,
    Arabic,
}

fn script(c: char) -> Script {
    match c {
        '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' => Script::Han,
        '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}' => {
            Script::Hangul
        }
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' => Script::Arabic,
        _ => Script::Spaced,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | 'ʼ' | '´')
}

/// The text as the lexicons are written: folded letters and digits, one space between
/// words, "#" read as "number" ("take my # off"), a letter typed three or more times
/// read once ("stoppp", "nooo more").
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_script = Script::Spaced;
    for c in text.chars() {
        if is_apostrophe(c) {
            continue;
        }
        if c == '#' {
            out.push_str(" number ");
            continue;
        }
        match fold(c) {
            Some(f) if f.is_alphanumeric() => {
                // "请stop", "stop吧": a word break where the script changes.
                let script = script(f);
                if script != last_script {
                    out.push(' ');
                    last_script = script;
                }
                out.push(f);
            }
            Some(_) => out.push(' '),
            None => {}
        }
    }
    let words: Vec<String> = out.split_whitespace().map(collapse_runs).collect();
    words.join(" ")
}

/// "nooo" → "no", "pleaseee" → "please"; a doubled letter ("too", "all") stays.
fn collapse_runs(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        while j < chars.len() && chars[j] == chars[i] {
            j += 1;
        }
        let keep = if j - i >= 3 { 1 } else { j - i };
        out.extend(std::iter::repeat_n(chars[i], keep));
        i = j;
    }
    out
}

/// Words that join two requests: "no calls but texts are fine", "pero", "mais".
/// Korean endings that join two clauses: "because" (으니, 니까), "but" (지만, 는데).
const KOREAN_CLAUSE_ENDINGS: &[&str] = &["으니", "니까", "지만", "는데", "는데요"];

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

const JOINS: &[&str] = &["but", "pero", "however", "so", "но", "لكن", "بس"];

/// What opens the clause after a joining "so": a subject or a request.
const SO_OPENS: &[&str] = &[
    "you", "u", "ya", "yall", "i", "im", "please", "pls", "plz", "can", "could", "stop", "dont",
    "just", "we", "kindly", "remove", "take", "no", "there",
];

/// "Texts: fine. Email: please stop.": a colon after a single word that opens its
/// sentence joins the word to what follows, as a label.
fn labels_joined(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(": ") {
        let (before, after) = rest.split_at(at);
        let sentence = before
            .rsplit(['.', '!', '?', ';', '\n'])
            .next()
            .unwrap_or(before);
        out.push_str(before);
        out.push_str(
            if sentence.trim().contains(' ') || sentence.trim().is_empty() {
                ": "
            } else {
                " "
            },
        );
        rest = &after[2..];
    }
    out.push_str(rest);
    out
}

/// Whether `text` (normalized) holds one of `phrases` as whole words.
pub fn says_any(text: &str, phrases: &[&str]) -> bool {
    let text = format!(" {text} ");
    phrases.iter().any(|p| text.contains(&format!(" {p} ")))
}

/// The clauses of a text, in order, each normalized. A clause ends at a sentence
/// mark (in any script), a comma, a colon before a space, a line break, or a joining word ("but"); a short
/// imperative ("Stop.", "Para.") is a clause of its own.
pub fn clauses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // A hyphen between spaces is a dash, as phones type one: "Stop - I moved".
    let text = text.replace(" - ", " — ");
    // A colon before a space ends a clause too ("third time I ask: STOP"); one between
    // digits is a clock time ("3:30"); one after a single word is a label, and what
    // follows is said of it ("Email: please stop").
    let text = labels_joined(&text).replace(": ", "; ").replace(" :", " ;");
    // Voice dictation spells its punctuation: "unsubscribe me comma I am no longer in
    // the study".
    let text = text
        .replace(" comma ", ", ")
        .replace(" Comma ", ", ")
        .replace(" period ", ". ")
        .replace(" Period ", ". ");
    for piece in text.split(|c: char| {
        matches!(
            c,
            '.' | '!'
                | '?'
                | ';'
                | ','
                | '\n'
                | '\r'
                | '…'
                | '。'
                | '！'
                | '？'
                | '；'
                | '，'
                | '、'
                | '؟'
                | '،'
                | '؛'
                | '¡'
                | '¿'
                | '('
                | ')'
                | '—'
                | '–'
                // An eye-roll ends what it comments on: "I love it 🙄 STOP".
                | '🙄'
                | '😒'
        )
    }) {
        let normalized = normalize(piece);
        let mut current: Vec<&str> = Vec::new();
        let words: Vec<&str> = normalized.split(' ').collect();
        for (i, &word) in words.iter().enumerate() {
            let next = words.get(i + 1).copied().unwrap_or("");
            // "…so you can stop sending these" joins two clauses; "so early" does not.
            let joins = JOINS.contains(&word) && (word != "so" || SO_OPENS.contains(&next));
            if joins && !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
                continue;
            }
            if !word.is_empty() {
                current.push(word);
                // "연구 참여 그만뒀으니 연락 안 하셔도 됩니다": a Korean connective ending
                // ("because", "but") closes its clause as a comma would.
                if KOREAN_CLAUSE_ENDINGS.iter().any(|e| word.ends_with(e))
                    && word.chars().next().is_some_and(is_hangul)
                {
                    out.push(current.join(" "));
                    current.clear();
                }
            }
        }
        if !current.is_empty() {
            out.push(current.join(" "));
        }
    }
    out
}

/// The whole text as one upper-case run of letters and digits, in every script:
/// "Opt-Out!" and " s t o p " are keywords too; "실수로 STOP" is not "STOP".
pub fn squeezed(text: &str) -> String {
    normalize(text).replace(' ', "").to_ascii_uppercase()
}

/// Optimal string alignment distance (insertions, deletions, substitutions and
/// adjacent transpositions), stopping early once it exceeds `max`.
pub fn typo_distance(a: &str, b: &str, max: usize) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_in_every_latin_language_and_vietnamese() {
        assert_eq!(normalize("Đừng gửi tin nhắn nữa!"), "dung gui tin nhan nua");
        assert_eq!(normalize("Dung gui tin nhan nua"), "dung gui tin nhan nua");
        assert_eq!(
            normalize("No más mensajes, por favor"),
            "no mas mensajes por favor"
        );
        assert_eq!(
            normalize("Arrêtez de m'envoyer des SMS"),
            "arretez de menvoyer des sms"
        );
        assert_eq!(normalize("Não quero mais"), "nao quero mais");
    }

    #[test]
    fn keeps_other_scripts_and_drops_their_marks() {
        assert_eq!(normalize("请不要再发短信了"), "请不要再发短信了");
        assert_eq!(normalize("Ещё раз"), "еще раз");
        assert_eq!(normalize("أَرْجُو"), "ارجو");
        assert_eq!(normalize("문자 보내지 마세요"), "문자 보내지 마세요");
        assert_eq!(normalize("请stop吧"), "请 stop 吧");
    }

    #[test]
    fn squeezed_keeps_every_script() {
        assert_eq!(squeezed(" s t o p "), "STOP");
        assert_eq!(squeezed("Opt-Out!"), "OPTOUT");
        assert_eq!(squeezed("Arrêt"), "ARRET");
        assert_eq!(squeezed("실수로 STOP"), "실수로STOP");
    }

    #[test]
    fn typo_distance_counts_one_slip_as_one() {
        assert_eq!(typo_distance("stpo", "stop", 2), 1);
        assert_eq!(typo_distance("unsubcribe", "unsubscribe", 2), 1);
        assert!(typo_distance("cancel", "stop", 2) > 2);
    }

    #[test]
    fn text_speak() {
        assert_eq!(
            normalize("plz take my # off ur list!!"),
            "plz take my number off ur list"
        );
        assert_eq!(normalize("Don't TEXT me 🛑"), "dont text me");
        assert_eq!(normalize("stoppp nooo"), "stop no");
    }

    #[test]
    fn clauses_split_at_sentences_commas_and_but() {
        assert_eq!(
            clauses("I have the appointment tomorrow. Stop."),
            ["i have the appointment tomorrow", "stop"]
        );
        assert_eq!(
            clauses("No phone calls please, texts are fine"),
            ["no phone calls please", "texts are fine"]
        );
        assert_eq!(clauses("don't call but text me"), ["dont call", "text me"]);
        assert_eq!(clauses("停止。谢谢"), ["停止", "谢谢"]);
    }
}
