//! Harness for the cross-function tests: one local stack per test binary, built from
//! `template.yaml` against the emulator `make test` starts. Without the emulator the
//! tests fail; they never skip.
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::OnceLock;

pub mod pages;
pub mod tables;

pub struct Stack {
    pub base_url: String,
    pub emulator_url: String,
    /// Prefix of this stack's tables in the emulator.
    pub prefix: String,
    /// The inbound SMS topic the SMS webhook accepts signed messages from.
    pub inbound_topic_arn: String,
    /// The secret the external panel signs its webhook calls with.
    pub panel_webhook_secret: String,
}

/// The certificate the local stack trusts as "the SNS signing certificate" (test-only
/// key material; see tests/fixtures/README.md).
pub const SNS_TEST_CERTIFICATE_PEM: &[u8] = include_bytes!("../fixtures/sns-test-signing-cert.pem");

static STACK: OnceLock<Stack> = OnceLock::new();

static TEMPLATE_LIMITS: OnceLock<()> = OnceLock::new();

/// The limits on bookings and verification codes (`template.yaml`) are raised out of the
/// way for every suite, whose tests book many times from 127.0.0.1, unless the suite
/// calls this before the stack starts: then the stack keeps the template's defaults.
pub fn keep_template_limits() {
    assert!(
        STACK.get().is_none() || TEMPLATE_LIMITS.get().is_some(),
        "keep_template_limits() must be called before the stack starts"
    );
    TEMPLATE_LIMITS.get_or_init(|| ());
}

/// The template parameters that set the rate limits.
pub const LIMIT_PARAMETERS: [&str; 5] = [
    "BookingsPerShareLinkPerHour",
    "BookingsPerSourceIpPerHour",
    "BookingTextsPerPhonePerDay",
    "VerificationCodesPerUserPerHour",
    "VerificationCodesPerPhonePerDay",
];

/// `infra/emulator/fault_proxy.py`, between this binary's stack and the emulator, when
/// a test binary asks for it (`fault_proxy()`) before the stack starts.
pub struct FaultProxy {
    pub url: String,
    _process: std::sync::Mutex<local_stack::fault_proxy::FaultProxy>,
    /// Tests that set faults take this, so one test's faults never hit another's calls.
    pub exclusive: tokio::sync::Mutex<()>,
}

static FAULT_PROXY: OnceLock<FaultProxy> = OnceLock::new();

/// Starts the fault proxy (once per test binary, faults off). Call it before anything
/// starts the stack: the stack's SDK calls then go through it. The proxy exits with
/// the test binary (it watches its stdin).
pub fn fault_proxy() -> &'static FaultProxy {
    FAULT_PROXY.get_or_init(|| {
        assert!(
            STACK.get().is_none(),
            "fault_proxy() must be called before the stack starts"
        );
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let proxy = local_stack::fault_proxy::start(&root, &emulator_url())
            .unwrap_or_else(|e| panic!("{e}"));
        FaultProxy {
            url: proxy.url.clone(),
            _process: std::sync::Mutex::new(proxy),
            exclusive: tokio::sync::Mutex::new(()),
        }
    })
}

impl FaultProxy {
    /// Sets the faults (see the proxy's docstring); returns the proxy's answer.
    pub async fn set(&self, config: Value) -> Value {
        reqwest::Client::new()
            .post(format!("{}/_faults", self.url))
            .json(&config)
            .send()
            .await
            .expect("fault proxy")
            .json()
            .await
            .expect("fault proxy json")
    }

    /// What the proxy has injected since the last `set`.
    pub async fn injected(&self) -> Value {
        let url = format!("{}/_faults", self.url);
        let faults = local_stack::inspect::get_json(&reqwest::Client::new(), &url).await;
        faults.expect("fault proxy")["injected"].clone()
    }
}

fn emulator_url() -> String {
    std::env::var("AWS_ENDPOINT_URL").expect(
        "AWS_ENDPOINT_URL is not set: run the tests with `make test`, which starts the AWS emulator",
    )
}

/// The stack for this test binary, started on first use on its own runtime so it
/// outlives any one test's runtime.
pub fn stack() -> &'static Stack {
    STACK.get_or_init(|| {
        let emulator_url = emulator_url();
        let prefix = format!("t{}-", &uuid::Uuid::new_v4().simple().to_string()[..8]);
        let template = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../template.yaml");
        let sdk_endpoint = FAULT_PROXY
            .get()
            .map(|p| p.url.clone())
            .unwrap_or_else(|| emulator_url.clone());
        let mut options = local_stack::StackOptions::local(
            template,
            sdk_endpoint,
            prefix.clone(),
            SocketAddr::from(([127, 0, 0, 1], 0)),
        );
        // Slow enough that a STOP can land in the middle of a dispatch run.
        options
            .parameters
            .insert("SmsMessagesPerSecond".to_owned(), "20".to_owned());
        if TEMPLATE_LIMITS.get().is_none() {
            for parameter in LIMIT_PARAMETERS {
                options
                    .parameters
                    .insert(parameter.to_owned(), "1000000".to_owned());
            }
        }
        options.sns_signing_certificate_pem = Some(SNS_TEST_CERTIFICATE_PEM.to_vec());
        options.panel_webhook_secret = format!("panel-secret-{}", uuid::Uuid::new_v4().simple());
        let panel_webhook_secret = options.panel_webhook_secret.clone();
        // The stack's own logs (JSON, ids only): see `LogSink`.
        shared::telemetry::init_with_writer(|| LogSink, &captured_levels());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().expect("test runtime");
            runtime.block_on(async move {
                let running = local_stack::start(options).await;
                match running {
                    Ok(running) => {
                        let topic = running
                            .resources
                            .refs
                            .get("InboundSmsTopic")
                            .cloned()
                            .unwrap_or_default();
                        let _ = tx.send(Ok((running.base_url.clone(), topic)));
                        let _ = running.server.await;
                    }
                    Err(e) => {
                        let _ = tx.send(Err(e.to_string()));
                    }
                }
            });
        });
        let (base_url, inbound_topic_arn) =
            rx.recv().expect("local stack thread").unwrap_or_else(|e| {
                panic!("the local stack did not start against {emulator_url}: {e}")
            });
        Stack {
            base_url,
            emulator_url,
            prefix,
            inbound_topic_arn,
            panel_webhook_secret,
        }
    })
}

/// Our crates, whose logs are captured at `debug` (the rest at `info`, what the
/// template deploys).
pub const OUR_CRATES: &[&str] = &[
    "shared",
    "local_stack",
    "workspaces_api",
    "studies_api",
    "participants_api",
    "public_booking",
    "manage_booking",
    "sms_consent_api",
    "bookings_api",
    "sms_sender",
    "reminder_dispatcher",
    "sms_inbound",
    "sms_webhook",
    "conversations_api",
    "participant_inbox_api",
    "phone_verification_api",
    "support_api",
    "panel_chat_api",
    "panel_relay",
    "panel_webhook",
];

fn captured_levels() -> String {
    std::iter::once("info".to_owned())
        .chain(OUR_CRATES.iter().map(|c| format!("{c}=debug")))
        .collect::<Vec<_>>()
        .join(",")
}

/// The buffers of the running log captures (`capture_logs`).
static LOG_CAPTURES: std::sync::Mutex<Vec<std::sync::Weak<std::sync::Mutex<Vec<u8>>>>> =
    std::sync::Mutex::new(Vec::new());

/// Where the process's one log subscriber writes (installed with the stack; a process
/// has one subscriber, and all tests of a binary share the process): every line to the
/// running captures, and to stdout the lines at `RUST_LOG`'s level or above, if it names
/// one, else at `warn` or above.
#[derive(Clone, Copy)]
struct LogSink;

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOG_CAPTURES
            .lock()
            .expect("log captures")
            .retain(|capture| match capture.upgrade() {
                Some(capture) => {
                    capture.lock().expect("log capture").extend_from_slice(buf);
                    true
                }
                None => false,
            });
        if shown_on_stdout(buf) {
            std::io::stdout().write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().flush()
    }
}

fn shown_on_stdout(line: &[u8]) -> bool {
    const LEVELS: [&str; 5] = ["ERROR", "WARN", "INFO", "DEBUG", "TRACE"];
    static SHOWN: OnceLock<usize> = OnceLock::new();
    let shown = *SHOWN.get_or_init(|| {
        let wanted = std::env::var("RUST_LOG").unwrap_or_default().to_uppercase();
        LEVELS.iter().position(|l| *l == wanted).unwrap_or(1)
    });
    let line = String::from_utf8_lossy(line);
    LEVELS[..=shown]
        .iter()
        .any(|level| line.contains(&format!("\"level\":\"{level}\"")))
}

/// The log lines (JSON) and metric lines (EMF) of this process's functions from now on,
/// at `info` and our crates (`OUR_CRATES`) at `debug`: every test's, since all of a
/// binary's tests share the stack.
pub struct LogCapture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

pub fn capture_logs() -> LogCapture {
    let capture = std::sync::Arc::default();
    LOG_CAPTURES
        .lock()
        .expect("log captures")
        .push(std::sync::Arc::downgrade(&capture));
    LogCapture(capture)
}

impl LogCapture {
    /// What has been captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log capture")).into_owned()
    }
}

/// An HTTP answer, with the body parsed as JSON where it is JSON.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub content_type: String,
    pub body: Value,
}

impl Reply {
    /// The answer, with its body read.
    pub async fn read(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            headers,
            content_type,
            body,
        }
    }

    /// Asserts an RFC 9457 problem with this status, and returns it.
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "expected {status}, got {self:?}");
        assert_eq!(self.content_type, "application/problem+json", "{self:?}");
        assert_eq!(self.body["status"], status, "{self:?}");
        for field in ["type", "title", "detail"] {
            assert!(
                self.body[field].is_string(),
                "problem without {field}: {self:?}"
            );
        }
        &self.body
    }

    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "expected {status}, got {self:?}");
        &self.body
    }

    /// The fields named in a validation problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.problem(422)["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A signed-in person with a fresh unique identity.
#[derive(Clone, Debug)]
pub struct User {
    pub sub: String,
    pub email: String,
    pub token: String,
}

pub struct Api {
    base: String,
    http: reqwest::Client,
}

impl Default for Api {
    fn default() -> Self {
        Self::new()
    }
}

impl Api {
    pub fn new() -> Self {
        Self {
            base: stack().base_url.clone(),
            http: reqwest::Client::new(),
        }
    }

    /// A client whose requests come from `ip` (any 127.0.0.0/8 address reaches the
    /// stack on loopback): the local stack gives the peer address to the functions as
    /// API Gateway's `sourceIp`.
    pub fn from_address(ip: std::net::IpAddr) -> Self {
        Self {
            base: stack().base_url.clone(),
            http: reqwest::Client::builder()
                .local_address(ip)
                .build()
                .expect("http client"),
        }
    }

    pub async fn user(&self, name: &str) -> User {
        let sub = format!("{name}-{}", uuid::Uuid::new_v4().simple());
        let email = format!("{sub}@example.org");
        self.signed_in(sub, email).await
    }

    /// A signed-in person with this email and a fresh identity (`sub`) starting `name-`.
    pub async fn user_with_email(&self, name: &str, email: &str) -> User {
        let sub = format!("{name}-{}", uuid::Uuid::new_v4().simple());
        self.signed_in(sub, email.to_owned()).await
    }

    async fn signed_in(&self, sub: String, email: String) -> User {
        let reply = self
            .send(
                "POST",
                "/_dev/token",
                None,
                Some(json!({"sub": sub, "email": email})),
                &[],
            )
            .await;
        let token = reply.ok(200)["token"].as_str().expect("token").to_owned();
        User { sub, email, token }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        user: Option<&User>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(user) = user {
            request = request.bearer_auth(&user.token);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.read(request).await
    }

    /// Sends a raw body, for malformed-input tests.
    pub async fn send_raw(&self, method: &str, path: &str, user: &User, body: &str) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&user.token)
            .header("content-type", "application/json")
            .body(body.to_owned());
        self.read(request).await
    }

    async fn read(&self, request: reqwest::RequestBuilder) -> Reply {
        Reply::read(request.send().await.expect("the local stack answers")).await
    }

    pub async fn get(&self, path: &str, user: &User) -> Reply {
        self.send("GET", path, Some(user), None, &[]).await
    }

    pub async fn post(&self, path: &str, user: &User, body: Value) -> Reply {
        self.send("POST", path, Some(user), Some(body), &[]).await
    }

    pub async fn put(&self, path: &str, user: &User, body: Value) -> Reply {
        self.send("PUT", path, Some(user), Some(body), &[]).await
    }

    /// A new workspace administered by `admin`; returns its id.
    pub async fn workspace(&self, admin: &User) -> String {
        let reply = self
            .post("/workspaces", admin, json!({"name": "Sleep Lab"}))
            .await;
        reply.ok(201)["id"]
            .as_str()
            .expect("workspace id")
            .to_owned()
    }

    pub async fn add_member(&self, admin: &User, ws: &str, user: &User, role: &str) {
        self.put(
            &format!("/workspaces/{ws}/members/{}", user.sub),
            admin,
            json!({"role": role, "email": user.email}),
        )
        .await
        .ok(200);
    }

    /// Switches SMS on or off for workspace `ws`, as `by` (`PUT
    /// /workspaces/{ws}/settings/sms`); returns the answer.
    pub async fn set_sms(&self, by: &User, ws: &str, enabled: bool) -> Reply {
        self.put(
            &format!("/workspaces/{ws}/settings/sms"),
            by,
            json!({"enabled": enabled}),
        )
        .await
    }

    /// Puts `member` on study `study_id`'s team with `role` and the panel permission
    /// `external_panel`, as `by` (`PUT /studies/{sid}/team/{user_id}`); returns the answer.
    pub async fn put_team_member(
        &self,
        by: &User,
        study_id: &str,
        member: &User,
        role: &str,
        external_panel: bool,
    ) -> Reply {
        self.put(
            &format!("/studies/{study_id}/team/{}", member.sub),
            by,
            json!({"role": role, "external_panel": external_panel}),
        )
        .await
    }

    /// A new study in `ws` owned by `owner`; returns the creation answer.
    pub async fn study(&self, owner: &User, ws: &str, kind: &str, recruitment: &str) -> Value {
        let reply = self
            .post(
                &format!("/workspaces/{ws}/studies"),
                owner,
                json!({"name": "Sleep and memory", "kind": kind, "recruitment": recruitment}),
            )
            .await;
        reply.ok(201).clone()
    }

    /// A new workspace administered by `admin`, with `members` added as members;
    /// returns its id.
    pub async fn workspace_with(&self, admin: &User, members: &[&User]) -> String {
        let ws = self.workspace(admin).await;
        for member in members {
            self.add_member(admin, &ws, member, "member").await;
        }
        ws
    }

    /// `user` asks for a verification code texted to `phone` (`POST /me/phone`);
    /// returns the answer.
    pub async fn ask_for_code(&self, user: &User, phone: &str) -> Reply {
        self.post("/me/phone", user, json!({"phone": phone})).await
    }

    /// `user` gives the verification code `code` (`POST /me/phone/verify`); returns the
    /// answer.
    pub async fn verify_code(&self, user: &User, code: &str) -> Reply {
        self.post("/me/phone/verify", user, json!({"code": code}))
            .await
    }

    /// A new workspace of two fresh people, named `admin` (who made it) and `member`
    /// (added as a member); returns them and the workspace's id.
    pub async fn workspace_of_two(&self, admin: &str, member: &str) -> (User, User, String) {
        let ([admin, member], ws) = self.workspace_of([admin, member]).await;
        (admin, member, ws)
    }

    /// A new workspace of fresh people named `names`, made one after another: the first
    /// made the workspace and administers it, the others are added as members; returns
    /// them, in that order, and the workspace's id.
    pub async fn workspace_of<const N: usize>(&self, names: [&str; N]) -> ([User; N], String) {
        let mut users = Vec::with_capacity(N);
        for name in names {
            users.push(self.user(name).await);
        }
        let (admin, members) = users.split_first().expect("a workspace has an admin");
        let ws = self
            .workspace_with(admin, &members.iter().collect::<Vec<_>>())
            .await;
        let users = users.try_into().expect("one user a name");
        (users, ws)
    }

    /// Asserts that each of `paths` is not found (404) for `user`: not there, or not
    /// theirs to see.
    pub async fn assert_not_found(&self, user: &User, paths: &[String]) {
        for path in paths {
            self.get(path, user).await.problem(404);
        }
    }

    /// `DELETE path` as `user`; returns the answer.
    pub async fn delete(&self, path: &str, user: &User) -> Reply {
        self.send("DELETE", path, Some(user), None, &[]).await
    }

    /// Switches study `study_id`'s interview reminder on or off, as `by` (`PUT
    /// /studies/{sid}/sms`); returns the answer.
    pub async fn set_interview_reminder(&self, by: &User, study_id: &str, on: bool) -> Reply {
        self.put(
            &format!("/studies/{study_id}/sms"),
            by,
            json!({"interview_reminder": on}),
        )
        .await
    }

    /// Writes `body` in a thread (`path`: a conversation's or a panel chat's
    /// `.../messages`) as `by`; asserts it is created and returns the 201 answer.
    pub async fn post_message(&self, path: &str, by: &User, body: &str) -> Value {
        self.post(path, by, json!({"body": body}))
            .await
            .ok(201)
            .clone()
    }

    /// Adds a participant named `name`, recruited directly, with a fresh address of
    /// their own (`{first name}-…@example.org`, lower case) to study `study_id`, as
    /// `owner`; returns their id and their email.
    pub async fn add_direct_participant(
        &self,
        owner: &User,
        study_id: &str,
        name: &str,
    ) -> (String, String) {
        let first = name.split(' ').next().unwrap_or(name).to_lowercase();
        let email = format!("{first}-{}@example.org", uuid::Uuid::new_v4().simple());
        let pid = self
            .add_participant(
                owner,
                study_id,
                json!({"email": email, "name": name, "source": "direct"}),
            )
            .await;
        (pid, email)
    }

    /// Adds a participant named `name` from the external panel, with a fresh panel id
    /// (`R-…`, their address `{panel id}@panel.example`), to study `study_id`, as
    /// `owner`; returns their id and their panel id.
    pub async fn add_panel_participant(
        &self,
        owner: &User,
        study_id: &str,
        name: &str,
    ) -> (String, String) {
        let panel_id = format!("R-{}", uuid::Uuid::new_v4().simple());
        let pid = self
            .add_participant(
                owner,
                study_id,
                json!({"email": format!("{panel_id}@panel.example"), "name": name,
                       "source": "respondent", "panel_participant_id": panel_id}),
            )
            .await;
        (pid, panel_id)
    }

    /// Staff grant or revoke participant `pid`'s SMS consent with a note, as `by` (`PUT
    /// /studies/{sid}/participants/{pid}/sms-consent`); returns the answer.
    pub async fn change_consent(
        &self,
        by: &User,
        study_id: &str,
        pid: &str,
        granted: bool,
        note: &str,
    ) -> Reply {
        self.put(
            &format!("/studies/{study_id}/participants/{pid}/sms-consent"),
            by,
            json!({"granted": granted, "note": note}),
        )
        .await
    }
}

/// A client of the emulator's DynamoDB, through the real SDK.
async fn dynamodb() -> aws_sdk_dynamodb::Client {
    let sdk = shared::aws::emulator_sdk_config(&stack().emulator_url).await;
    aws_sdk_dynamodb::Client::new(&sdk)
}

/// A query of this stack's main table for the items whose `key` is `value` and whose
/// `sort_key` starts with `sort_prefix`.
async fn main_table_query(
    key: &str,
    value: String,
    sort_key: &str,
    sort_prefix: &str,
) -> aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder {
    dynamodb()
        .await
        .query()
        .table_name(format!("{}MainTable", stack().prefix))
        .key_condition_expression(format!("{key} = :pk AND begins_with({sort_key}, :prefix)"))
        .expression_attribute_values(":pk", aws_sdk_dynamodb::types::AttributeValue::S(value))
        .expression_attribute_values(
            ":prefix",
            aws_sdk_dynamodb::types::AttributeValue::S(sort_prefix.to_owned()),
        )
}

/// Direct reads of this stack's table through the real SDK, for asserting what a
/// request did (or did not) write.
pub async fn count_items_for_user(sub: &str, sort_prefix: &str) -> usize {
    let out = main_table_query("gsi1pk", format!("USER#{sub}"), "gsi1sk", sort_prefix)
        .await
        .index_name("gsi1")
        .send()
        .await
        .expect("query the emulator");
    out.items.unwrap_or_default().len()
}

/// How many items sit in one partition of this stack's main table under a sort-key
/// prefix (e.g. a study's participants).
pub async fn count_items_in_partition(pk: &str, sort_prefix: &str) -> usize {
    let out = main_table_query("pk", pk.to_owned(), "sk", sort_prefix)
        .await
        .send()
        .await
        .expect("query the emulator");
    out.items.unwrap_or_default().len()
}

/// How many participants study `s` has, straight from the table.
pub async fn count_participants(s: &BookableStudy) -> usize {
    count_items_in_partition(&format!("STUDY#{}", s.study_id), "PARTICIPANT#").await
}

/// A study ready for public booking: its workspace has SMS on and (for interview
/// studies) the reminder is on, so SMS consent is required.
pub struct BookableStudy {
    pub admin: User,
    pub workspace_id: String,
    pub study_id: String,
    pub share_token: String,
}

impl Api {
    pub async fn bookable_study(&self, sms_enabled: bool) -> BookableStudy {
        let admin = self.user("admin").await;
        let ws = self.workspace(&admin).await;
        if sms_enabled {
            self.set_sms(&admin, &ws, true).await.ok(200);
        }
        let study = self.study(&admin, &ws, "interview", "direct").await;
        BookableStudy {
            admin,
            workspace_id: ws,
            study_id: study["id"].as_str().expect("study id").to_owned(),
            share_token: study["share_token"]
                .as_str()
                .expect("share token")
                .to_owned(),
        }
    }

    /// One fresh phone (`unique_phone`) and two SMS-enabled studies
    /// (`bookable_study(true)`), each in a workspace of its own, for that number to be
    /// known to both.
    pub async fn two_workspaces_and_a_phone(&self) -> (BookableStudy, BookableStudy, String) {
        let first = self.bookable_study(true).await;
        let second = self.bookable_study(true).await;
        (first, second, unique_phone())
    }

    /// Books `s` publicly with `body` (`booking_at`, `booking_body`); returns the 201
    /// answer.
    pub async fn book(&self, s: &BookableStudy, body: Value) -> Value {
        self.post_booking(s, body).await.ok(201).clone()
    }

    /// Posts a public booking of `s` with `body`; returns the answer, whatever it is.
    pub async fn post_booking(&self, s: &BookableStudy, body: Value) -> Reply {
        self.public(
            "POST",
            &format!("/public/studies/{}/bookings", s.share_token),
            Some(body),
        )
        .await
    }

    /// Moves a booking of `s` to `starts_at`, as the study's admin
    /// (`PATCH /studies/{sid}/bookings/{bid}`); returns the answer.
    pub async fn reschedule(
        &self,
        s: &BookableStudy,
        booking_id: &str,
        starts_at: chrono::DateTime<chrono::Utc>,
    ) -> Reply {
        self.send(
            "PATCH",
            &format!("/studies/{}/bookings/{booking_id}", s.study_id),
            Some(&s.admin),
            Some(json!({"starts_at": starts_at.to_rfc3339()})),
            &[],
        )
        .await
    }

    /// Removes a booking's phone through its manage link (`DELETE
    /// /public/bookings/{token}/phone`); returns the answer.
    pub async fn remove_phone(&self, manage_token: &str) -> Reply {
        self.public(
            "DELETE",
            &format!("/public/bookings/{manage_token}/phone"),
            None,
        )
        .await
    }

    /// The SMS consent status of `phone` in `s`'s workspace, read by its admin (the 200
    /// answer's body).
    pub async fn consent_status(&self, s: &BookableStudy, phone: &str) -> Value {
        self.get(
            &format!(
                "/workspaces/{}/sms-consent/status?phone={}",
                s.workspace_id,
                phone.replace('+', "%2B")
            ),
            &s.admin,
        )
        .await
        .ok(200)
        .clone()
    }

    /// Whether `phone` is opted out, by the consent status in `s`'s workspace.
    pub async fn opted_out(&self, s: &BookableStudy, phone: &str) -> bool {
        self.consent_status(s, phone).await["opted_out"]
            .as_bool()
            .expect("opted_out")
    }

    /// The (action, source) of each consent record of `phone` in `s`'s workspace, oldest
    /// first.
    pub async fn consent_actions(&self, s: &BookableStudy, phone: &str) -> Vec<(String, String)> {
        self.consent_records(s, Some(phone))
            .await
            .iter()
            .map(|r| {
                (
                    r["action"].as_str().expect("action").to_owned(),
                    r["source"].as_str().expect("source").to_owned(),
                )
            })
            .collect()
    }

    /// A booking's SMS log (`GET /studies/{sid}/bookings/{bid}/sms`), read by the
    /// study's admin: its items, oldest first.
    pub async fn sms_log(&self, s: &BookableStudy, booking_id: &str) -> Vec<Value> {
        self.items_read_by_admin(
            s,
            &format!("/studies/{}/bookings/{booking_id}/sms", s.study_id),
        )
        .await
    }

    /// A booking's SMS log entries of one kind (`confirmation`, `reminder`, ...), oldest
    /// first.
    pub async fn sms_log_entries(
        &self,
        s: &BookableStudy,
        booking_id: &str,
        kind: &str,
    ) -> Vec<Value> {
        self.sms_log(s, booking_id)
            .await
            .into_iter()
            .filter(|e| e["kind"] == kind)
            .collect()
    }

    /// A booking's first SMS log entry of one kind, if it has one.
    pub async fn sms_log_entry(
        &self,
        s: &BookableStudy,
        booking_id: &str,
        kind: &str,
    ) -> Option<Value> {
        self.sms_log_entries(s, booking_id, kind)
            .await
            .into_iter()
            .next()
    }

    /// The `items` of the 200 answer to `GET path` by `s`'s admin.
    async fn items_read_by_admin(&self, s: &BookableStudy, path: &str) -> Vec<Value> {
        self.get(path, &s.admin).await.ok(200)["items"]
            .as_array()
            .expect("items")
            .clone()
    }

    /// The SMS consent records of `s`'s workspace, read by its admin: all of them, or
    /// those of one phone.
    pub async fn consent_records(&self, s: &BookableStudy, phone: Option<&str>) -> Vec<Value> {
        let query = phone
            .map(|p| format!("?phone={}", p.replace('+', "%2B")))
            .unwrap_or_default();
        self.items_read_by_admin(
            s,
            &format!("/workspaces/{}/sms-consent/records{query}", s.workspace_id),
        )
        .await
    }

    /// Adds a participant to study `study_id` as `owner` with `body` (email, name,
    /// source, ...); returns the new participant's id.
    pub async fn add_participant(&self, owner: &User, study_id: &str, body: Value) -> String {
        self.post(&format!("/studies/{study_id}/participants"), owner, body)
            .await
            .ok(201)["id"]
            .as_str()
            .expect("participant id")
            .to_owned()
    }

    /// Approves participant `pid` of study `study_id`, as `owner`.
    pub async fn approve_participant(&self, owner: &User, study_id: &str, pid: &str) {
        self.post(
            &format!("/studies/{study_id}/participants/{pid}/approve"),
            owner,
            json!({}),
        )
        .await
        .ok(200);
    }

    /// Starts a conversation with participant `participant_id` of study `study_id` as
    /// `member`; returns its id.
    pub async fn start_conversation(
        &self,
        member: &User,
        study_id: &str,
        participant_id: &str,
        body: &str,
    ) -> String {
        self.post(
            &format!("/studies/{study_id}/conversations"),
            member,
            json!({"participant_id": participant_id, "body": body}),
        )
        .await
        .ok(201)["conversation_id"]
            .as_str()
            .expect("conversation id")
            .to_owned()
    }

    /// The participant accepts conversation `cid` (`POST /me/conversations/{cid}/accept`).
    pub async fn accept_conversation(&self, participant: &User, cid: &str) {
        self.post(
            &format!("/me/conversations/{cid}/accept"),
            participant,
            json!({}),
        )
        .await
        .ok(200);
    }

    /// Sends a public (anonymous) request.
    pub async fn public(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        self.send(method, path, None, body, &[]).await
    }
}

/// The `id` of a creation answer's body (a study's, a participant's).
pub fn id(body: &Value) -> String {
    body["id"].as_str().expect("id").to_owned()
}

/// A booking body with SMS consent for `phone` at `starts_at` (the email is made from
/// the phone, so each phone's bookings are one person's).
pub fn booking_at(phone: &str, starts_at: chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "name": "Ann Example",
        "email": format!("{}@example.org", &phone[1..]),
        "starts_at": starts_at.to_rfc3339(),
        "time_zone": "America/New_York",
        "phone": phone,
        "sms_consent": true,
    })
}

/// A booking body for a time a week ahead.
pub fn booking_body(phone: Option<&str>, consent: Option<bool>) -> Value {
    let starts_at = chrono::Utc::now() + chrono::Duration::days(7);
    let mut body = json!({
        "name": "Ann Example",
        "email": "ann@example.org",
        "starts_at": starts_at.format("%Y-%m-%dT%H:%M:00Z").to_string(),
        "time_zone": "America/New_York",
    });
    if let Some(phone) = phone {
        body["phone"] = json!(phone);
    }
    if let Some(consent) = consent {
        body["sms_consent"] = json!(consent);
    }
    body
}

/// A fresh fictional US mobile number for this test binary (555-01xx is reserved for
/// fiction). Opt-outs are platform-wide and every binary's texts land in the one
/// emulator's outbox, so binaries running at once must never share a number: each test
/// binary has its own area codes (`AREA_CODES`) and takes its numbers from those blocks
/// of 100, one after another within the process (its tests run in parallel threads),
/// starting at a random point so that re-running against a long-lived emulator does
/// not reuse yesterday's STOPs.
pub fn unique_phone() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    static START: OnceLock<usize> = OnceLock::new();
    let areas = binary_area_codes();
    let numbers = areas.len() * 100;
    let start = *START.get_or_init(|| uuid::Uuid::new_v4().as_u128() as usize % numbers);
    let n = (NEXT.fetch_add(1, Ordering::SeqCst) + start) % numbers;
    format!("+1{}55501{:02}", areas[n / 100], n % 100)
}

/// Each test binary's area codes, never shared: two binaries with one area code text
/// each other's numbers (the outbox is the emulator's). Not 617: tests use fixed 617
/// numbers. The `system` binary holds most tests, so most numbers.
const AREA_CODES: [(&str, &[&str]); 3] = [
    (
        "system",
        &[
            "212", "213", "312", "415", "503", "602", "702", "718", "206", "305", "404", "512",
            "303", "614", "713", "919", "313", "314", "315", "316", "317", "318", "319", "320",
        ],
    ),
    ("serial", &["321", "323", "330"]),
    ("abuse", &["334", "336", "337"]),
];

/// This binary's area codes (`AREA_CODES`); any other binary: one code none of them has.
fn binary_area_codes() -> &'static [&'static str] {
    static AREAS: OnceLock<&[&str]> = OnceLock::new();
    AREAS.get_or_init(|| {
        // Test binaries are named `<name>-<hash>`.
        let exe = std::env::current_exe().ok();
        let name = exe
            .as_ref()
            .and_then(|p| p.file_stem())
            .and_then(|s| s.to_str())
            .and_then(|s| s.rsplit_once('-').map(|(name, _)| name.to_owned()))
            .unwrap_or_default();
        AREA_CODES
            .iter()
            .find(|(binary, _)| *binary == name)
            .map(|(_, areas)| *areas)
            .unwrap_or(&["401"])
    })
}

/// The days ahead on which the modules of the `system` binary that run the dispatcher
/// (`Api::tick`) book. A tick sends what is due in its window (`due_window`: interviews
/// starting in the next 25 minutes) across the whole stack, which all modules of that
/// binary share: so each module that ticks books only on days of its own, which no other
/// module books on (the others book within the first weeks), and its tests pick
/// distinct days within its block.
pub mod days {
    pub const SMS: i64 = 100;
    pub const INBOUND: i64 = 200;
    pub const CARRIER: i64 = 300;
    pub const LOGS: i64 = 400;
}

/// A minute-aligned start `days` ahead.
pub fn start_in_days(days: i64) -> chrono::DateTime<chrono::Utc> {
    use chrono::DurationRound;
    (chrono::Utc::now() + chrono::Duration::days(days))
        .duration_trunc(chrono::Duration::minutes(1))
        .expect("a minute-aligned time")
}

impl Api {
    /// What the local stack's outbox (`GET /_dev/outbox`) holds of one kind: `sms`,
    /// `emails` or `panel` (messages to the external panel), oldest first.
    pub async fn outbox(&self, kind: &str) -> Vec<Value> {
        let outbox = self.public("GET", "/_dev/outbox", None).await;
        outbox.ok(200)[kind]
            .as_array()
            .unwrap_or_else(|| panic!("outbox {kind}"))
            .clone()
    }

    /// What the outbox holds of one kind (`outbox`) whose `field` is `value`, oldest first.
    pub async fn outbox_where(&self, kind: &str, field: &str, value: &str) -> Vec<Value> {
        self.outbox(kind)
            .await
            .into_iter()
            .filter(|m| m[field] == value)
            .collect()
    }

    /// The texts the emulated SNS received for one number, oldest first.
    pub async fn texts_to(&self, phone: &str) -> Vec<String> {
        self.outbox_where("sms", "to", phone)
            .await
            .iter()
            .filter_map(|m| m["body"].as_str().map(str::to_owned))
            .collect()
    }

    /// Waits (up to 5 s, the local stack's bound for asynchronous work) until `phone`
    /// has received `count` texts, and returns them.
    pub async fn wait_for_texts(&self, phone: &str, count: usize) -> Vec<String> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let texts = self.texts_to(phone).await;
            if texts.len() >= count || std::time::Instant::now() > deadline {
                return texts;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Runs the scheduled functions once at event time `now`.
    pub async fn tick(&self, now: chrono::DateTime<chrono::Utc>) -> Value {
        let reply = self
            .public("POST", "/_dev/tick", Some(json!({"now": now.to_rfc3339()})))
            .await;
        let body = reply.ok(200).clone();
        for run in body["ran"].as_array().expect("ran") {
            assert!(
                run.get("error").is_none(),
                "a scheduled function failed: {run}"
            );
        }
        body
    }
}

/// The items of one partition of this stack's main table under a sort-key prefix.
pub async fn items(pk: &str, sort_prefix: &str) -> Vec<std::collections::HashMap<String, String>> {
    let out = main_table_query("pk", pk.to_owned(), "sk", sort_prefix)
        .await
        .consistent_read(true)
        .send()
        .await
        .expect("query the emulator");
    out.items
        .unwrap_or_default()
        .into_iter()
        .map(|item| {
            item.into_iter()
                .filter_map(|(k, v)| match v {
                    aws_sdk_dynamodb::types::AttributeValue::S(s) => Some((k, s)),
                    aws_sdk_dynamodb::types::AttributeValue::N(n) => Some((k, n)),
                    aws_sdk_dynamodb::types::AttributeValue::Bool(b) => Some((k, b.to_string())),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

impl Api {
    /// Delivers an inbound text through the local stack, as AWS would.
    pub async fn text_in(&self, from: &str, body: &str) -> Value {
        self.text_in_with(json!({"from": from, "body": body})).await
    }

    pub async fn text_in_with(&self, fields: Value) -> Value {
        let reply = self.public("POST", "/_dev/sms/inbound", Some(fields)).await;
        let body = reply.ok(200).clone();
        for delivery in body["delivered"].as_array().expect("delivered") {
            assert!(
                delivery.get("error").is_none(),
                "the inbound function failed: {delivery}"
            );
        }
        assert!(
            !body["delivered"].as_array().unwrap().is_empty(),
            "no inbound function is subscribed"
        );
        body
    }
}

/// Moves a booking's start straight in the table (the API refuses a start in the
/// past): how a test puts "now" after an interview's start without waiting for it.
pub async fn set_booking_start(booking_id: &str, starts_at: chrono::DateTime<chrono::Utc>) {
    dynamodb()
        .await
        .update_item()
        .table_name(format!("{}MainTable", stack().prefix))
        .set_key(Some(local_stack::inspect::meta_key(format!(
            "BOOKING#{booking_id}"
        ))))
        .update_expression("SET starts_at = :at, gsi1sk = :slot")
        .condition_expression("attribute_exists(pk)")
        .expression_attribute_values(
            ":at",
            aws_sdk_dynamodb::types::AttributeValue::S(starts_at.to_rfc3339()),
        )
        .expression_attribute_values(
            ":slot",
            aws_sdk_dynamodb::types::AttributeValue::S(format!(
                "{}#{booking_id}",
                shared::domain::sms::sortable(starts_at)
            )),
        )
        .send()
        .await
        .expect("move the booking's start");
}

/// A JSON fixture of `tests/fixtures/` (e.g. `ses-events/bounce.json`).
pub fn fixture(path: &str) -> Value {
    let path = format!("{}/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("fixture json")
}

/// Puts an event on the emulator's default EventBridge bus, as an AWS service (SES, End
/// User Messaging) would; the template's rules deliver it.
pub async fn put_on_default_bus(event: &Value) {
    let sdk = shared::aws::emulator_sdk_config(&stack().emulator_url).await;
    let out = aws_sdk_eventbridge::Client::new(&sdk)
        .put_events()
        .entries(
            aws_sdk_eventbridge::types::PutEventsRequestEntry::builder()
                .source(event["source"].as_str().expect("source"))
                .detail_type(event["detail-type"].as_str().expect("detail-type"))
                .detail(event["detail"].to_string())
                .build(),
        )
        .send()
        .await
        .expect("put the event");
    assert_eq!(out.failed_entry_count(), 0, "{out:?}");
}
