//! Proof of who sent a mail. A `From:` header is whatever the sender typed, so mail from a
//! staff address may act as staff only with proof, of one of two kinds:
//!
//! - **a reply token**: every mail the desk sends about a ticket carries, in its `Message-ID`,
//!   a token made for that recipient and ticket with a key only the desk holds
//!   (`<ticket-12.n34.u5.<token>@desk>`). A reply names that id in `In-Reply-To` or
//!   `References`, so holding the token shows the mail answers one the desk sent to that
//!   person about that ticket. Making and checking the token is the service's (it holds the
//!   key); its place in the message id is written here.
//! - **the receiving MTA's verdict**: an `Authentication-Results` header (RFC 8601) from the
//!   mail host the desk is configured to believe (by its authserv-id), saying DMARC, DKIM or
//!   SPF passed for the `From:` domain. Only the topmost such header counts: an MTA adds its
//!   own on top and removes any that claims its name from outside.

/// What a reply token is made over: the ticket, the notification mailed, the recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenScope {
    pub ticket: i64,
    pub notification: i64,
    pub user: i64,
}

impl TokenScope {
    /// The bytes the token is computed over.
    pub fn message(&self) -> String {
        format!(
            "fixdesk-reply:{}:{}:{}",
            self.ticket, self.notification, self.user
        )
    }
}

/// The message id of a mail about `scope.ticket` carrying `token`.
pub fn message_id_with_token(scope: TokenScope, token: &str, host: &str) -> String {
    format!(
        "<ticket-{}.n{}.u{}.{token}@{host}>",
        scope.ticket, scope.notification, scope.user
    )
}

/// The scope and token a message id of ours carries, if it carries one.
pub fn token_in(message_id: &str) -> Option<(TokenScope, &str)> {
    let id = message_id.trim().trim_start_matches('<');
    let (local, _host) = id.split_once('@')?;
    let rest = local.strip_prefix("ticket-")?;
    let mut parts = rest.split('.');
    let number = |p: Option<&str>, prefix: &str| -> Option<i64> {
        p?.strip_prefix(prefix)?
            .parse()
            .ok()
            .filter(|n: &i64| *n > 0)
    };
    let ticket = number(parts.next(), "")?;
    let notification = number(parts.next(), "n")?;
    let user = number(parts.next(), "u")?;
    let token = parts.next().filter(|t| !t.is_empty())?;
    if parts.next().is_some() {
        return None;
    }
    Some((
        TokenScope {
            ticket,
            notification,
            user,
        },
        token,
    ))
}

/// One result of an `Authentication-Results` header: the method (`dkim`), its result
/// (`pass`) and its properties (`header.d` → `school.example`), all in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthResult {
    pub method: String,
    pub result: String,
    pub properties: Vec<(String, String)>,
}

impl AuthResult {
    fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Removes RFC 5322 comments (`(…)`, nested) from a header value.
fn without_comments(value: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The authserv-id and the results of one `Authentication-Results` value.
pub fn parse_authentication_results(value: &str) -> Option<(String, Vec<AuthResult>)> {
    let value = without_comments(value).to_lowercase();
    let mut sections = value.split(';');
    let authserv_id = sections.next()?.split_whitespace().next()?.to_owned();
    let results = sections
        .filter_map(|section| {
            let mut words = section.split_whitespace();
            let (method, result) = words.next()?.split_once('=')?;
            let properties = words
                .filter_map(|w| w.split_once('='))
                .filter(|(k, _)| k.contains('.'))
                .map(|(k, v)| (k.to_owned(), v.trim_matches('"').to_owned()))
                .collect();
            Some(AuthResult {
                method: method.to_owned(),
                result: result.to_owned(),
                properties,
            })
        })
        .collect();
    Some((authserv_id, results))
}

/// The domain of an address (`anna@School.example` → `school.example`).
pub fn domain_of(address: &str) -> Option<String> {
    let (_, domain) = address.trim().rsplit_once('@')?;
    let domain = domain.trim_end_matches('>').trim().to_lowercase();
    (!domain.is_empty()).then_some(domain)
}

/// Which check of the mail host proved `from` (the sender's address): given the message's
/// headers in order as (name, value), and the authserv-id the desk believes. Only the topmost
/// `Authentication-Results` with that id is read. DMARC must pass for the `From:` domain;
/// DKIM must pass with a signing domain (`header.d`) equal to it; SPF must pass with an
/// envelope sender (`smtp.mailfrom`) in it.
pub fn verified_by<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    authserv_id: &str,
    from: &str,
) -> Option<&'static str> {
    let from_domain = domain_of(from)?;
    let ours = authserv_id.trim().to_lowercase();
    let (_, results) = headers
        .into_iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("Authentication-Results"))
        .filter_map(|(_, value)| parse_authentication_results(value))
        .find(|(id, _)| *id == ours)?;
    results
        .iter()
        .filter(|r| r.result == "pass")
        .find_map(|r| (proven_domain(r)? == from_domain).then_some(r.method.as_str()))
        .and_then(|m| {
            ["dmarc", "dkim", "spf"]
                .into_iter()
                .find(|known| *known == m)
        })
}

/// The domain a passed result speaks for: DMARC's `header.from`, DKIM's signing domain
/// (`header.d`, or the domain of `header.i`), SPF's envelope sender.
fn proven_domain(r: &AuthResult) -> Option<String> {
    let bare = |d: &str| d.trim_start_matches('@').to_owned();
    match r.method.as_str() {
        "dmarc" => r.property("header.from").map(bare),
        "dkim" => r
            .property("header.d")
            .map(bare)
            .or_else(|| r.property("header.i").and_then(domain_of)),
        "spf" => r
            .property("smtp.mailfrom")
            .map(|m| domain_of(m).unwrap_or_else(|| bare(m))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_rides_in_the_message_id_and_is_read_back() {
        let scope = TokenScope {
            ticket: 12,
            notification: 34,
            user: 5,
        };
        let id = message_id_with_token(scope, "ab12cd", "desk.example.org");
        assert_eq!(id, "<ticket-12.n34.u5.ab12cd@desk.example.org>");
        assert_eq!(token_in(&id), Some((scope, "ab12cd")));
        assert_eq!(crate::mail_out::thread_ticket(&id), Some(12));
        assert_eq!(token_in("<ticket-12.n34@desk>"), None);
        assert_eq!(token_in("<ticket-12.n34.u5.@desk>"), None);
        assert_eq!(token_in("<ticket-12.n34.u5.x.y@desk>"), None);
        assert_eq!(token_in("<ticket-0.n34.u5.x@desk>"), None);
    }

    const MX: &str = "mx.school.example";

    #[test]
    fn the_mail_hosts_verdict_proves_the_from_domain() {
        let dkim = "mx.school.example; dkim=pass (2048-bit key) header.d=School.example header.s=s1; spf=fail smtp.mailfrom=x@evil.example";
        assert_eq!(
            verified_by(
                [("Authentication-Results", dkim)],
                MX,
                "anna@school.example"
            ),
            Some("dkim")
        );
        let dmarc = "mx.school.example 1; dmarc=pass header.from=school.example";
        assert_eq!(
            verified_by(
                [("authentication-results", dmarc)],
                MX,
                "anna@school.example"
            ),
            Some("dmarc")
        );
        let spf = "mx.school.example; spf=pass smtp.mailfrom=bounce@school.example";
        assert_eq!(
            verified_by([("Authentication-Results", spf)], MX, "anna@school.example"),
            Some("spf")
        );
    }

    #[test]
    fn no_verdict_without_a_pass_for_the_same_domain_from_the_believed_host() {
        let other_domain = "mx.school.example; dkim=pass header.d=evil.example";
        assert_eq!(
            verified_by(
                [("Authentication-Results", other_domain)],
                MX,
                "admin@school.example"
            ),
            None
        );
        let failed = "mx.school.example; dkim=fail header.d=school.example";
        assert_eq!(
            verified_by(
                [("Authentication-Results", failed)],
                MX,
                "admin@school.example"
            ),
            None
        );
        let foreign_host = "mx.evil.example; dkim=pass header.d=school.example";
        assert_eq!(
            verified_by(
                [("Authentication-Results", foreign_host)],
                MX,
                "admin@school.example"
            ),
            None
        );
        // A forged header below the host's own is not read.
        let own = "mx.school.example; dkim=none";
        let forged = "mx.school.example; dkim=pass header.d=school.example";
        assert_eq!(
            verified_by(
                [
                    ("Authentication-Results", own),
                    ("Authentication-Results", forged)
                ],
                MX,
                "admin@school.example"
            ),
            None
        );
        let comment = "mx.school.example; dkim=fail (header.d=school.example dkim=pass)";
        assert_eq!(
            verified_by(
                [("Authentication-Results", comment)],
                MX,
                "admin@school.example"
            ),
            None
        );
    }
}
