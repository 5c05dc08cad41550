//! The labelled development texts in `tests/fixtures/`: `opt-out-corpus.tsv` (written
//! with the classifier), `opt-out-holdout.tsv` (written independently), `opt-out-kinds.tsv`
//! (the seven kinds of issue 28, eleven languages) and the sealed sets, each folded in
//! after its sealed run (docs/reliability.md). Lines are `label<TAB>text` or
//! `label<TAB>lang<TAB>kind<TAB>source<TAB>text`; `#` starts a comment.
//!
//! Read by the corpus test and by the model's training
//! (`shared/examples/opt_out_model.rs`); nothing on a request path reads it, so the
//! texts are linked into no function.

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../tests/fixtures/",
                $name
            )),
        )
    };
}

const FILES: &[(&str, &str)] = &[
    fixture!("opt-out-corpus.tsv"),
    fixture!("opt-out-holdout.tsv"),
    fixture!("opt-out-kinds.tsv"),
    fixture!("opt-out-sealed-a.tsv"),
    fixture!("opt-out-sealed-b.tsv"),
    fixture!("opt-out-sealed-c.tsv"),
    fixture!("opt-out-sealed-d.tsv"),
    fixture!("opt-out-sealed-e.tsv"),
    fixture!("opt-out-sealed-f.tsv"),
    fixture!("opt-out-sealed-g.tsv"),
    fixture!("opt-out-sealed-h.tsv"),
    fixture!("opt-out-sealed-i.tsv"),
    fixture!("opt-out-train-t.tsv"),
    fixture!("opt-out-train-u.tsv"),
    fixture!("opt-out-train-v.tsv"),
    fixture!("opt-out-sealed-j.tsv"),
    fixture!("opt-out-sealed-k.tsv"),
    fixture!("opt-out-sealed-l.tsv"),
    fixture!("opt-out-sealed-m.tsv"),
    fixture!("opt-out-sealed-n.tsv"),
    fixture!("opt-out-sealed-o.tsv"),
    fixture!("opt-out-sealed-q.tsv"),
    fixture!("opt-out-sealed-p.tsv"),
    fixture!("opt-out-sealed-r.tsv"),
    fixture!("opt-out-sealed-s.tsv"),
    fixture!("opt-out-sealed-w.tsv"),
    fixture!("opt-out-sealed-x.tsv"),
    fixture!("opt-out-sealed-y.tsv"),
    fixture!("opt-out-sealed-aa.tsv"),
    fixture!("opt-out-sealed-ab.tsv"),
    fixture!("opt-out-sealed-ac.tsv"),
    fixture!("opt-out-sealed-ae.tsv"),
    fixture!("opt-out-sealed-af.tsv"),
    fixture!("opt-out-sealed-ag.tsv"),
    fixture!("opt-out-sealed-ah.tsv"),
    fixture!("opt-out-sealed-z.tsv"),
    fixture!("opt-out-sealed-ad.tsv"),
];

/// One labelled text.
#[derive(Clone, Copy, Debug)]
pub struct Labelled {
    /// `keyword`, `revoke`, `unclear` or `ordinary`.
    pub label: &'static str,
    /// The file it comes from.
    pub file: &'static str,
    /// The language code, where the file gives one.
    pub lang: Option<&'static str>,
    pub text: &'static str,
}

impl Labelled {
    /// Whether a reasonable person reads it as a request to stop the texts.
    pub fn is_stop(&self) -> bool {
        matches!(self.label, "keyword" | "revoke")
    }
}

/// Every development text, in file order.
pub fn development() -> Vec<Labelled> {
    FILES
        .iter()
        .flat_map(|(file, data)| parse(file, data))
        .collect()
}

/// The labelled lines of one file in either format.
pub fn parse(file: &'static str, data: &'static str) -> Vec<Labelled> {
    data.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            match fields[..] {
                [label, text] => Labelled {
                    label,
                    file,
                    lang: None,
                    text,
                },
                [label, lang, _, _, text] => Labelled {
                    label,
                    file,
                    lang: Some(lang),
                    text,
                },
                _ => panic!("label<TAB>text or five fields in {file}: {l:?}"),
            }
        })
        .collect()
}
