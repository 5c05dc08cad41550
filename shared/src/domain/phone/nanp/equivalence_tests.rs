//! The table against libphonenumber: every range of it, and generated texts answered by
//! both paths. Seeded, so a failure repeats.
use super::generate::{self, SplitMix64};
use super::{Table, DEFER, MAX_REGIONS, SPACE};
use crate::domain::phone::{self, libphonenumber};

const SEED: u64 = 0x0031_0031_0031;

/// The outcome with its region as a name, comparable across tables.
fn named(table: Table<'_>, outcome: u8) -> (u8, Option<&str>) {
    (outcome & (DEFER | 3), table.region(outcome))
}

#[test]
fn the_committed_table_is_sorted_ranges_covering_every_ten_digit_number() {
    let table = Table::committed();
    assert!(table.len() > 100, "{} ranges", table.len());
    assert!(usize::from(table.0[0]) <= MAX_REGIONS);
    assert_eq!(table.range(0).map(|(start, _)| start), Some(0));
    for index in 1..table.len() {
        let (start, outcome) = table.range(index).unwrap();
        let (before, previous) = table.range(index - 1).unwrap();
        assert!(before < start && start < SPACE, "range {index}");
        assert_ne!(outcome, previous, "range {index} not merged");
    }
}

#[test]
fn every_range_of_the_committed_table_holds_what_libphonenumber_answers() {
    generate::keep_every_pattern_compiled();
    let table = Table::committed();
    let mut random = SplitMix64(SEED);
    let mut regions = Vec::new();
    for index in 0..table.len() {
        let (start, outcome) = table.range(index).unwrap();
        let end = table.range(index + 1).map_or(SPACE, |(next, _)| next);
        let inside = start + random.below(end - start);
        for national in [start, inside, end - 1] {
            let answered = generate::outcome(national, &mut regions);
            let answered = (answered & (DEFER | 3), regions_name(&regions, answered));
            assert_eq!(
                named(table, outcome),
                answered,
                "range {index} ({start:010}..{end:010}) at {national:010}: regenerate the \
                 table (`cargo run --profile fast -q -p shared --example nanp_table`)"
            );
        }
    }
}

fn regions_name(regions: &[String], outcome: u8) -> Option<&str> {
    let index = usize::from((outcome >> 2) & 0x1f).checked_sub(1)?;
    regions.get(index).map(String::as_str)
}

/// The whole walk again (about a minute optimised): `cargo test -p shared --profile fast
/// -- --ignored the_committed_table_is_what_the_generator_writes`.
#[test]
#[ignore = "a minute optimised; the sampled check above runs every time"]
fn the_committed_table_is_what_the_generator_writes() {
    assert!(
        generate::table() == Table::committed().0,
        "table.bin is stale: run `cargo run --profile fast -q -p shared --example nanp_table`"
    );
}

/// How a number is written in the generated texts: each a way people (or forms) write
/// a +1 number, some of which libphonenumber reads differently (`+1617-…` is country
/// code 1617 to it).
fn write(national: u64, style: u64) -> String {
    let d = format!("{national:010}");
    let (npa, nxx, line) = (&d[..3], &d[3..6], &d[6..]);
    match style % 16 {
        0 => format!("+1{d}"),
        1 => format!("+1 {npa} {nxx} {line}"),
        2 => format!("+1-{npa}-{nxx}-{line}"),
        3 => format!("+1 ({npa}) {nxx}-{line}"),
        4 => format!("+1({npa}){nxx}-{line}"),
        5 => format!("+1.{npa}.{nxx}.{line}"),
        6 => format!("  +1 {npa}{nxx}{line} "),
        7 => format!("+1{npa}-{nxx}-{line}"),
        8 => format!("+1{d}."),
        9 => format!("+(1) {npa} {nxx} {line}"),
        10 => format!("+1-({npa})-{nxx}-{line})"),
        11 => format!("+ 1 {npa}.{nxx}.{line}"),
        12 => format!("+1 {npa} {nxx} {line}-"),
        13 => format!("+-1{d}"),
        14 => format!("+1({npa}) {nxx} {line}"),
        _ => format!("+1 {d}"),
    }
}

/// Texts that are not +1 and ten digits, or not quite.
fn other(random: &mut SplitMix64) -> String {
    let national = random.below(SPACE);
    let written = write(national, random.next_u64());
    match random.below(12) {
        0 => written.replacen("+1", "+44", 1),
        1 => written.replacen("+1", "+", 1),
        2 => written.replacen('+', "", 1),
        3 => written.replacen('+', "++", 1),
        4 => format!("{written}{}", random.below(10)),
        5 => written[..written.len() - 1].to_owned(),
        6 => format!("{written} ext 12"),
        7 => written.replacen(' ', "\u{a0}", 1),
        8 => written.replacen('5', "O", 1),
        9 => format!("tel:{written}"),
        10 => format!("+{}{}", 2 + random.below(98), random.below(SPACE)),
        _ => written.replacen('-', "/", 2),
    }
}

/// The generated texts: numbers of every area code, at random and at each edge of
/// the table's ranges, in every way of writing; then other and malformed texts.
fn texts() -> Vec<String> {
    let mut random = SplitMix64(SEED);
    let mut texts = Vec::new();
    for npa in 0..1000 {
        for _ in 0..30 {
            let national = npa * 10_000_000 + random.below(10_000_000);
            texts.push(write(national, random.next_u64()));
        }
    }
    let table = Table::committed();
    for index in 0..table.len() {
        let (start, _) = table.range(index).unwrap();
        texts.push(write(start, random.next_u64()));
        if start > 0 {
            texts.push(write(start - 1, random.next_u64()));
        }
    }
    for _ in 0..16_000 {
        texts.push(other(&mut random));
    }
    texts
}

#[test]
fn the_table_and_libphonenumber_answer_alike_on_generated_texts() {
    generate::keep_every_pattern_compiled();
    let texts = texts();
    assert!(texts.len() >= 50_000, "{} texts", texts.len());
    let mut answered_by_the_table = 0;
    for text in &texts {
        if super::answer(text.trim()).is_some() {
            answered_by_the_table += 1;
        }
        assert_eq!(
            phone::parse_e164("phone", text).map(String::from),
            libphonenumber::parse_e164("phone", text),
            "parse_e164 {text:?}"
        );
        assert_eq!(
            phone::parse_mobile("phone", text).map(String::from),
            libphonenumber::parse_mobile("phone", text),
            "parse_mobile {text:?}"
        );
        assert_eq!(
            phone::region(text),
            libphonenumber::region(text),
            "region {text:?}"
        );
    }
    // The comparison means something only if the table answered most +1 texts.
    assert!(answered_by_the_table > 25_000, "{answered_by_the_table}");
}
