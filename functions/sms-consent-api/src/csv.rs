//! Consent records as CSV (RFC 4180), one row per record, same fields as the JSON.
use shared::domain::consent::ConsentRecord;

const HEADER: &str = "at,action,phone,person,workspace_id,study_id,booking_id,source,actor,disclosure_version,keyword,note,ip,user_agent";

fn field(value: &str) -> String {
    // Free text opened in a spreadsheet must not run as a formula.
    let value = if value.starts_with(['=', '@', '\t', '\r'])
        || (value.starts_with(['+', '-']) && !value[1..].chars().all(|c| c.is_ascii_digit()))
    {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The header line, with its line end.
pub fn header() -> String {
    format!("{HEADER}\r\n")
}

/// One record's line, with its line end.
pub fn row(r: &ConsentRecord) -> String {
    let cells = [
        r.at.to_rfc3339(),
        r.action.as_str().to_owned(),
        r.phone.to_string(),
        r.person.clone().unwrap_or_default(),
        r.workspace_id.clone(),
        r.study_id.clone().unwrap_or_default(),
        r.booking_id.clone().unwrap_or_default(),
        r.source.as_str().to_owned(),
        r.actor.clone().unwrap_or_default(),
        r.disclosure_version.clone().unwrap_or_default(),
        r.keyword.clone().unwrap_or_default(),
        r.note.clone().unwrap_or_default(),
        r.ip.clone().unwrap_or_default(),
        r.user_agent.clone().unwrap_or_default(),
    ];
    let row: Vec<String> = cells.iter().map(|c| field(c)).collect();
    format!("{}\r\n", row.join(","))
}

pub fn records(records: &[ConsentRecord]) -> String {
    let mut out = header();
    for r in records {
        out.push_str(&row(r));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("+16175550123"), "+16175550123");
        assert_eq!(field("+1+cmd"), "'+1+cmd");
    }
}
