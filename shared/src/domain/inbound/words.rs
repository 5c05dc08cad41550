//! How an inbound text is read before it is classified: folded to lower-case ASCII
//! letters and digits where a letter has an accent ("Arrêt" → "arret", "más" → "mas"),
//! apostrophes dropped ("don't" → "dont"), "#" read as "number", everything else
//! (punctuation, emoji, spaces) a word break, and a letter typed three or more times
//! in a row read once ("Nooo more", "stoppp" → "no more", "stop").

/// The letter without its accent, lower-cased; other characters as they are.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        other => other.to_ascii_lowercase(),
    }
}

/// The words of a text, in order.
pub fn words(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in body.chars() {
        let c = fold(c);
        if c == '\'' || c == '’' || c == '`' {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if c == '#' {
            out.push("number".to_owned());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out.into_iter().map(|w| collapse_runs(&w)).collect()
}

/// "nooo" → "no", "pleaseee" → "please"; a doubled letter ("too", "all") stays.
fn collapse_runs(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let mut j = i;
        while j < chars.len() && chars[j] == chars[i] {
            j += 1;
        }
        let run = j - i;
        let keep = if run >= 3 { 1 } else { run };
        out.extend(std::iter::repeat_n(chars[i], keep));
        i = j;
    }
    out
}

/// The whole text as one upper-case run of letters and digits: "Opt-Out!" and
/// " s t o p " are keywords too.
pub fn squeezed(body: &str) -> String {
    body.chars()
        .map(fold)
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
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
    fn words_fold_accents_drop_apostrophes_and_break_on_everything_else() {
        assert_eq!(words("Don't TEXT me!!🛑"), ["dont", "text", "me"]);
        assert_eq!(words("No más mensajes"), ["no", "mas", "mensajes"]);
        assert_eq!(words("wrong #"), ["wrong", "number"]);
        assert_eq!(words("Nooo more, pleaseee"), ["no", "more", "please"]);
        assert_eq!(words("too all"), ["too", "all"]);
        assert_eq!(words("  "), Vec::<String>::new());
    }

    #[test]
    fn squeezed_keeps_only_letters_and_digits() {
        assert_eq!(squeezed(" s t o p "), "STOP");
        assert_eq!(squeezed("Opt-Out!"), "OPTOUT");
        assert_eq!(squeezed("Arrêt"), "ARRET");
    }

    #[test]
    fn typo_distance_counts_one_slip_as_one() {
        assert_eq!(typo_distance("stpo", "stop", 2), 1);
        assert_eq!(typo_distance("stopp", "stop", 2), 1);
        assert_eq!(typo_distance("unsubcribe", "unsubscribe", 2), 1);
        assert_eq!(typo_distance("stop", "stop", 2), 0);
        assert!(typo_distance("cancel", "stop", 2) > 2);
    }
}
