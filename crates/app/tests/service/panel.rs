//! The Panel, as its officers and the public live it: meetings imported from a host council's
//! ModernGov (recorded answers served over HTTP), with restricted papers kept from the public and
//! late papers numbered as supplements; a meeting run here with Part 2 items, supplements that
//! are never renumbered, attendance and minutes; the public's questions and a promised response
//! chased until given; the precept by its statutory timetable with the two-thirds veto; hearings;
//! the iCalendar feed and the OParl-shaped API; and the demo's Panel.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use platform::access::Role;

use crate::support::{TestApp, assert_refused, location};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// An 8 × 8 PNG photograph (a colour gradient), written for these tests.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 8, 0, 0, 0, 8, 8, 2, 0, 0, 0, 75, 109, 41, 220, 0, 0,
    0, 108, 73, 68, 65, 84, 120, 156, 13, 201, 65, 1, 0, 48, 8, 3, 49, 148, 160, 164, 74, 170, 132, 231, 169, 64, 9, 74, 170,
    104, 203, 55, 85, 69, 23, 42, 92, 76, 177, 197, 21, 41, 170, 154, 110, 212, 184, 153, 102, 155, 107, 210, 63, 68, 11, 9, 139,
    17, 43, 78, 68, 63, 76, 27, 25, 155, 49, 107, 206, 196, 63, 134, 30, 52, 120, 152, 97, 135, 27, 50, 63, 150, 94, 180, 120,
    153, 101, 151, 91, 178, 63, 142, 62, 116, 248, 152, 99, 143, 59, 114, 63, 66, 7, 5, 135, 9, 27, 46, 36, 60, 176, 44, 84, 129,
    49, 200, 227, 255, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

fn recorded(name: &str) -> String {
    let path = format!("{}/../panel/recorded/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A stand-in for the host council's web service, answering with the recorded files. `later`
/// switches the meeting of 29 January 2018 to its answer after a paper was added.
async fn stand_in_moderngov(later: Arc<AtomicBool>) -> String {
    use axum::extract::{Query, State};
    use std::collections::HashMap;
    type Q = Query<HashMap<String, String>>;
    #[derive(Clone)]
    struct S {
        base: Arc<std::sync::OnceLock<String>>,
        later: Arc<AtomicBool>,
    }
    fn xml(s: &S, name: &str) -> axum::response::Response {
        use axum::response::IntoResponse;
        let body = recorded(name).replace("RECORDED", s.base.get().map(String::as_str).unwrap_or_default());
        ([("content-type", "text/xml; charset=utf-8")], body).into_response()
    }
    let state = S { base: Arc::new(std::sync::OnceLock::new()), later };
    let app = axum::Router::new()
        .route(
            "/mgWebService.asmx/GetCommittees",
            axum::routing::get(|State(s): State<S>| async move { xml(&s, "GetCommittees.xml") }),
        )
        .route(
            "/mgWebService.asmx/GetMeetings",
            axum::routing::get(|State(s): State<S>, Query(q): Q| async move {
                use axum::response::IntoResponse;
                if q.get("lCommitteeId").map(String::as_str) == Some("177") {
                    xml(&s, "GetMeetings.xml")
                } else {
                    (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "<html>Server Error in '/' Application.</html>")
                        .into_response()
                }
            }),
        )
        .route(
            "/mgWebService.asmx/GetMeeting",
            axum::routing::get(|State(s): State<S>, Query(q): Q| async move {
                match q.get("lMeetingId").map(String::as_str) {
                    Some("9145") if s.later.load(Ordering::SeqCst) => xml(&s, "GetMeeting-9145-later.xml"),
                    Some(id) => xml(&s, &format!("GetMeeting-{id}.xml")),
                    None => xml(&s, "none.xml"),
                }
            }),
        )
        .route(
            "/mgWebService.asmx/GetAttachment",
            axum::routing::get(|State(s): State<S>, Query(q): Q| async move {
                xml(&s, &format!("GetAttachment-{}.xml", q.get("lAttachmentId").cloned().unwrap_or_default()))
            }),
        )
        .route("/mgConvert2PDF.aspx", axum::routing::get(|| async { PDF.to_vec() }))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    state.base.set(base.clone()).expect("set once");
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

#[tokio::test]
async fn meetings_import_from_moderngov_with_restricted_papers_kept_apart_and_late_papers_numbered() {
    let app = TestApp::spawn().await;
    let later = Arc::new(AtomicBool::new(false));
    let base = stand_in_moderngov(later.clone()).await;
    let (mut officer, _) = app.signed_in(Role::PanelOfficer).await;

    // Importing before the service is saved, or with a wrong address, is refused with the reason.
    let response =
        officer.post_from("/staff/panel", "/staff/panel/import", &[("from", "2017-09-01"), ("to", "2018-03-31")]).await;
    assert_refused(response, &["Save the host council’s web service address before importing"]).await;
    let response = officer
        .post_from(
            "/staff/panel",
            "/staff/panel/source",
            &[("service_url", "https://example.org/meetings"), ("committee_id", "x")],
        )
        .await;
    assert_refused(response, &["ending mgWebService.asmx", "committee number, in figures"]).await;
    let service = format!("{base}/mgWebService.asmx");
    let response =
        officer.post_from("/staff/panel", "/staff/panel/source", &[("service_url", &service), ("committee_id", "178")]).await;
    assert_eq!(response.status(), 303);
    // The council's server fails: nothing is imported and the officer is told why.
    let response =
        officer.post_from("/staff/panel", "/staff/panel/import", &[("from", "2017-09-01"), ("to", "2018-03-31")]).await;
    assert_refused(response, &["Nothing was imported", "500"]).await;
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM panel_meeting").await, 0);

    let response =
        officer.post_from("/staff/panel", "/staff/panel/source", &[("service_url", &service), ("committee_id", "177")]).await;
    assert_eq!(response.status(), 303);
    let response =
        officer.post_from("/staff/panel", "/staff/panel/import", &[("from", "2017-09-01"), ("to", "2018-03-31")]).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    let done = location(&response);
    assert!(done.contains("2%20meetings%20added"), "{done}");

    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM panel_meeting WHERE source = 'modern-gov'").await, 2);
    let meeting: String = app.value("SELECT id FROM panel_meeting WHERE external_id = $1", "9145").await;
    assert_eq!(
        app.value::<String>("SELECT starts_at FROM panel_meeting WHERE id = $1", &meeting).await,
        "2018-01-29T10:00:00.000000Z"
    );
    // Six members from the attendees, the co-optee as an independent member; apologies kept.
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM panel_member").await, 6);
    assert_eq!(app.value::<String>("SELECT kind FROM panel_member WHERE external_id = $1", "517").await, "independent");
    let apologies: Vec<String> = app
        .values("SELECT m.name FROM panel_attendance a JOIN panel_member m ON m.id = a.member_id WHERE a.meeting_id = $1 AND a.attendance = 'apologies' ORDER BY m.name", &meeting)
        .await;
    assert_eq!(apologies, ["Doug Pullen", "Paul Darby"]);
    // Public papers fetched and kept; the restricted one recorded by title only.
    let kept: i64 = app
        .value("SELECT COUNT(*) FROM panel_paper WHERE meeting_id = $1 AND file_id IS NOT NULL AND exempt = 0", &meeting)
        .await;
    assert_eq!(kept, 2);
    let restricted: String = app.value("SELECT id FROM panel_paper WHERE external_id = $1", "9145:31003").await;
    assert_eq!(app.value::<Option<String>>("SELECT file_id FROM panel_paper WHERE id = $1", &restricted).await, None);
    assert_eq!(app.value::<i64>("SELECT exempt FROM panel_paper WHERE id = $1", &restricted).await, 1);

    // The public page: the agenda, the precept minute (with its pound sign), no restricted paper.
    let (status, html) = app.get_page(&format!("/panel/meetings/{meeting}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Decisions published since the last meeting"));
    assert!(html.contains("not exercise its veto over the proposed £11.40 (6.29%) increase"), "{html}");
    assert!(html.contains("Not open to the public"));
    assert!(!html.contains("Estates disposal: valuation"));
    assert!(html.contains("<strong>Apologies:</strong> Doug Pullen, Paul Darby"));
    // The kept copy downloads; the restricted paper is not found by the public but read by members.
    let decisions: String = app.value("SELECT id FROM panel_paper WHERE external_id = $1", "9145:31001").await;
    let response = app.get(&format!("/panel/papers/{decisions}")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(response.bytes().await.expect("bytes").as_ref(), PDF);
    assert_eq!(app.get(&format!("/panel/papers/{restricted}")).await.status(), 404);
    let (member, _) = app.signed_in(Role::PanelMember).await;
    let (status, html) = member.get_page(&format!("/staff/panel/meetings/{meeting}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Estates disposal: valuation") && html.contains("restricted to the Panel"));

    // The council adds a paper to item 33 after the agenda went out: the next import numbers it
    // as supplement 1 and adds nothing twice.
    later.store(true, Ordering::SeqCst);
    for _ in 0..2 {
        let response =
            officer.post_from("/staff/panel", "/staff/panel/import", &[("from", "2017-09-01"), ("to", "2018-03-31")]).await;
        assert_eq!(response.status(), 303);
    }
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM panel_paper WHERE meeting_id = $1", &meeting).await, 4);
    assert_eq!(
        app.value::<Option<i64>>("SELECT supplement FROM panel_paper WHERE external_id = $1", "9145:31009").await,
        Some(1)
    );
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM panel_paper WHERE supplement IS NOT NULL").await, 1);
    let (_, html) = app.get_page(&format!("/panel/meetings/{meeting}")).await;
    assert!(html.contains("Supplement 1:"), "{html}");
    // An imported meeting's agenda is the council's: adding an item here is refused.
    let response = officer
        .post_from(
            &format!("/staff/panel/meetings/{meeting}"),
            &format!("/staff/panel/meetings/{meeting}/items"),
            &[("title", "Extra")],
        )
        .await;
    assert_refused(response, &["imported from the host council"]).await;
}

async fn json(app: &TestApp, path: &str) -> serde_json::Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    serde_json::from_str(&response.text().await.expect("body")).expect("JSON")
}

/// Adds a meeting `days` from today at 10am, as an officer would; gives its id.
async fn add_meeting(app: &TestApp, officer: &mut crate::support::Visitor<'_>, days: i64) -> String {
    let day = platform::calendar::uk_today() + time::Duration::days(days);
    let date = platform::db::date(day);
    let response = officer
        .post_from(
            "/staff/panel",
            "/staff/panel/meetings",
            &[("date", &date), ("time", "10:00"), ("place", "Council Chamber, Stafford"), ("webcast_url", "")],
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    let to = location(&response);
    let id = to.rsplit('/').next().expect("id").to_string();
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM panel_meeting WHERE id = $1", &id).await, 1);
    id
}

#[tokio::test]
async fn a_meeting_run_here_keeps_part_two_from_the_public_and_never_renumbers_a_supplement() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PanelOfficer).await;
    let meeting = add_meeting(&app, &mut officer, 20).await;
    let page = format!("/staff/panel/meetings/{meeting}");
    let add = |title: &'static str, reason: &'static str| [("title", title), ("number", ""), ("exempt_reason", reason)];
    for (title, reason) in
        [("Questions to the Commissioner", ""), ("Estates: sale of a former police station", "Paragraph 3 of Schedule 12A")]
    {
        let response = officer.post_from(&page, &format!("{page}/items"), &add(title, reason)).await;
        assert_eq!(response.status(), 303);
    }
    let response = officer.post_from(&page, &format!("{page}/items"), &add("", "")).await;
    assert_refused(response, &["Enter the item’s title"]).await;
    let public_item: String = app.value("SELECT id FROM panel_item WHERE meeting_id = $1 AND exempt = 0", &meeting).await;
    let exempt_item: String = app.value("SELECT id FROM panel_item WHERE meeting_id = $1 AND exempt = 1", &meeting).await;

    let upload = |item: String, title: &'static str, supplement: bool| {
        move |form: reqwest::multipart::Form| {
            let form = form.text("item", item).text("title", title);
            let form = if supplement { form.text("supplement", "yes") } else { form };
            form.part("file", reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("paper.pdf"))
        }
    };
    for (item, title, supplement) in [
        (public_item.clone(), "Report on questions", false),
        (exempt_item.clone(), "Valuation of the station", false),
        (public_item.clone(), "Late paper one", true),
    ] {
        let response = officer.post_multipart(&format!("{page}/papers"), &page, upload(item, title, supplement)).await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    }
    // A file that is not a paper is refused by name; a missing file is asked for.
    let response = officer
        .post_multipart(&format!("{page}/papers"), &page, |form| {
            form.text("item", public_item.clone())
                .text("title", "Script")
                .part("file", reqwest::multipart::Part::bytes(b"#!/bin/sh\n".to_vec()).file_name("run.sh"))
        })
        .await;
    assert_refused(response, &["must be a PDF, Word, OpenDocument or Excel file"]).await;
    // Supplement 1 withdrawn; the next is 2, never 1 again.
    let late: String = app.value("SELECT id FROM panel_paper WHERE title = $1", "Late paper one").await;
    let response = officer
        .post_from(&page, &format!("/staff/panel/papers/{late}/withdraw"), &[("reason", "Replaced by a corrected version")])
        .await;
    assert_eq!(response.status(), 303);
    let response =
        officer.post_multipart(&format!("{page}/papers"), &page, upload(public_item.clone(), "Late paper two", true)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.value::<Option<i64>>("SELECT supplement FROM panel_paper WHERE title = $1", "Late paper two").await, Some(2));

    let (_, html) = app.get_page(&format!("/panel/meetings/{meeting}")).await;
    assert!(html.contains("Report on questions") && html.contains("Supplement 2:") && html.contains("Late paper one, withdrawn"));
    assert!(!html.contains("Valuation of the station"), "a Part 2 paper's title is kept from the public");
    let valuation: String = app.value("SELECT id FROM panel_paper WHERE title = $1", "Valuation of the station").await;
    assert_eq!(app.get(&format!("/panel/papers/{valuation}")).await.status(), 404);
    let (member, _) = app.signed_in(Role::PanelMember).await;
    assert_eq!(member.get(&format!("/staff/panel/papers/{valuation}")).await.status(), 200);
    let read: i64 = app
        .value(
            "SELECT COUNT(*) FROM platform_audit_event WHERE record_type = 'panel paper' AND action = 'read' AND record_id = $1",
            &valuation,
        )
        .await;
    assert_eq!(read, 1, "reading a Part 2 paper is audited");
    let (partner, _) = app.signed_in(Role::Partner).await;
    assert_eq!(partner.get(&format!("/staff/panel/papers/{valuation}")).await.status(), 403);

    // A paper made from the precept round, as the office makes it.
    let response = officer
        .post_from(
            "/staff/panel/precept",
            "/staff/panel/precept/rounds",
            &[("year", "2027"), ("precept", "police"), ("current_band_d", "250.00")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let round: String = app.one("SELECT id FROM panel_precept").await;
    let response = officer
        .post_from(
            "/staff/panel/precept",
            &format!("/staff/panel/precept/rounds/{round}"),
            &[("version", "0"), ("step", "notify"), ("on", "2027-01-29"), ("band_d", "264.00")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let generator = format!("precept:{round}");
    let response =
        officer.post_from(&page, &format!("{page}/generate"), &[("item", &public_item), ("generator", &generator)]).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    let made: String = app.value("SELECT id FROM panel_paper WHERE generated_from = $1", &generator).await;
    let (status, html) = app.get_page(&format!("/panel/papers/{made}")).await;
    assert_eq!(status, 200);
    // Band A is 6/9 of £264.00: £176.00 exactly.
    assert!(html.contains("£176.00") && html.contains("£528.00"), "{html}");

    // Attendance, an interest and the minutes, then published.
    let response = officer
        .post_from(
            "/staff/panel",
            "/staff/panel/members",
            &[
                ("name", "Alex Marsh"),
                ("kind", "councillor"),
                ("council", "Stafford Borough Council"),
                ("party", ""),
                ("position", "Chair"),
                ("term_from", "2024-05-20"),
                ("term_to", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let alex: String = app.one("SELECT id FROM panel_member").await;
    // A member's question, recorded as asked; refused without a member.
    let response = officer.post_from(&page, &format!("{page}/questions"), &[("member", ""), ("question", "Why?")]).await;
    assert_refused(response, &["Choose the member who asked"]).await;
    let asked = [("member", alex.as_str()), ("question", "How many officers were recruited this year?")];
    assert_eq!(officer.post_from(&page, &format!("{page}/questions"), &asked).await.status(), 303);
    let record = [
        ("status".to_string(), "held".to_string()),
        ("webcast_url".to_string(), "https://www.youtube.com/watch?v=demo".to_string()),
        (format!("attendance-{alex}"), "present".to_string()),
        (format!("resolution-{public_item}"), "That the answers be noted.".to_string()),
        ("interest_member".to_string(), alex.clone()),
        ("interest_item".to_string(), public_item.clone()),
        ("interest".to_string(), "Member of a residents’ association that asked a question".to_string()),
        ("publish_minutes".to_string(), "yes".to_string()),
    ];
    let fields: Vec<(&str, &str)> = record.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = officer.post_from(&page, &format!("{page}/record"), &fields).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    let (_, html) = app.get_page(&format!("/panel/meetings/{meeting}")).await;
    assert!(html.contains("<strong>Present:</strong> Alex Marsh"), "{html}");
    assert!(html.contains("That the answers be noted.") && html.contains("Member of a residents’ association"));
    assert!(
        html.contains("From Alex Marsh") && html.contains("How many officers were recruited this year?"),
        "a member's question is public with their name"
    );

    // The calendar feed and the open API.
    let response = app.get("/panel/meetings.ics").await;
    assert_eq!(response.headers()["content-type"], "text/calendar; charset=utf-8");
    let feed = response.text().await.expect("feed");
    assert!(
        feed.contains(&format!("UID:panel-meeting-{meeting}@"))
            && feed.contains("DTSTART:")
            && feed.contains("LOCATION:Council Chamber\\, Stafford")
    );
    let api: serde_json::Value = json(&app, &format!("/api/oparl/v1/meetings/{meeting}")).await;
    assert_eq!(api["type"], "https://schema.oparl.org/1.1/Meeting");
    let items = api["agendaItem"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    let exempt = items.iter().find(|i| i["public"] == false).expect("the Part 2 item");
    assert_eq!(exempt["auxiliaryFile"].as_array().map(Vec::len), Some(0));
    let papers: serde_json::Value = json(&app, "/api/oparl/v1/papers").await;
    let titles: Vec<&str> = papers["data"].as_array().expect("data").iter().filter_map(|p| p["name"].as_str()).collect();
    assert!(titles.contains(&"Report on questions") && !titles.contains(&"Valuation of the station"));
    assert_eq!(papers["pagination"]["totalElements"], titles.len());
    let system: serde_json::Value = json(&app, "/api/oparl/v1/system").await;
    assert_eq!(system["oparlVersion"], "https://schema.oparl.org/1.1/");
}

#[tokio::test]
async fn a_public_question_is_checked_decided_answered_and_a_promised_response_chased_until_given() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PanelOfficer).await;
    let meeting = add_meeting(&app, &mut officer, 25).await;
    let page = format!("/staff/panel/meetings/{meeting}");

    let (status, html) = app.get_page("/panel/questions/ask").await;
    assert_eq!(status, 200);
    assert!(html.contains("questions close"));
    let response = app
        .post_form(
            "/panel/questions/ask",
            &[("meeting", &meeting), ("name", ""), ("email", "nope"), ("question", "Why? And why not?")],
        )
        .await;
    assert_refused(response, &["Enter your full name", "Enter an email address in the correct format", "Ask one question"]).await;
    let response = app
        .post_form(
            "/panel/questions/ask",
            &[
                ("meeting", &meeting),
                ("name", "Sam Resident"),
                ("email", "sam@example.com"),
                ("question", "How many officers patrol Leek at night?"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let sent = location(&response);
    let reference = sent.rsplit('/').next().expect("reference").to_string();
    let (_, html) = app.get_page(&sent).await;
    assert!(html.contains(&reference));
    let queued: i64 = app.value("SELECT COUNT(*) FROM platform_outbox WHERE to_address = $1", "sam@example.com").await;
    assert_eq!(queued, 1);
    // Not public until accepted.
    let (_, html) = app.get_page(&format!("/panel/meetings/{meeting}")).await;
    assert!(!html.contains("How many officers patrol Leek"));

    let path = format!("/staff/panel/questions/{reference}");
    let response = officer.post_from(&page, &path, &[("version", "0"), ("action", "decline"), ("words", "")]).await;
    assert_refused(response, &["Enter why the question is declined"]).await;
    let response = officer.post_from(&page, &path, &[("version", "0"), ("action", "accept"), ("words", "")]).await;
    assert_eq!(response.status(), 303);
    // A second officer working from the old page is told someone got there first.
    let response =
        officer.post_from(&page, &path, &[("version", "0"), ("action", "promise"), ("words", "Will provide a response.")]).await;
    assert_refused(response, &["Someone else has just recorded something on this question"]).await;
    let due = platform::db::date(platform::calendar::uk_today() - time::Duration::days(7));
    let response = officer
        .post_from(&page, &path, &[("version", "1"), ("action", "promise"), ("words", "Will provide a response."), ("due", &due)])
        .await;
    assert_eq!(response.status(), 303);
    let (_, html) = app.get_page("/panel/promised-responses").await;
    assert!(html.contains(&reference) && html.contains("Overdue by 7 days"), "{html}");

    // The daily chase emails the office once a day while the promise is overdue by a whole week.
    let sent = panel::chase::run(&app.pool, &app.settings, time::OffsetDateTime::now_utc()).await.expect("chase");
    assert!(sent >= 1);
    assert_eq!(panel::chase::run(&app.pool, &app.settings, time::OffsetDateTime::now_utc()).await.expect("chase"), 0);
    let chased: Option<String> = app.value("SELECT last_chased_on FROM panel_question WHERE reference = $1", &reference).await;
    assert_eq!(chased, Some(platform::db::date(platform::calendar::uk_today())));

    let response = officer
        .post_from(&page, &path, &[("version", "2"), ("action", "respond"), ("words", "Four officers patrol Leek each night.")])
        .await;
    assert_eq!(response.status(), 303);
    let (_, html) = app.get_page("/panel/promised-responses").await;
    assert!(html.contains("Answered late") && html.contains("Four officers patrol Leek each night."));
    let (_, html) = app.get_page(&format!("/panel/meetings/{meeting}")).await;
    assert!(
        html.contains("How many officers patrol Leek") && !html.contains("Sam Resident"),
        "published without the asker's name"
    );
    let told: i64 = app.value("SELECT COUNT(*) FROM platform_outbox WHERE to_address = $1", "sam@example.com").await;
    assert_eq!(told, 3, "sent, accepted, and the response");
}

async fn step(
    officer: &mut crate::support::Visitor<'_>,
    path: &str,
    version: i64,
    fields: Vec<(&str, &str)>,
) -> reqwest::Response {
    let v = version.to_string();
    let mut all = vec![("version", v.as_str())];
    all.extend(fields);
    officer.post_from("/staff/panel/precept", path, &all).await
}

#[tokio::test]
async fn the_precept_keeps_the_statutory_timetable_and_a_veto_needs_two_thirds_of_current_members() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PanelOfficer).await;
    for i in 0..12 {
        let name = format!("Member {i}");
        let response = officer
            .post_from(
                "/staff/panel",
                "/staff/panel/members",
                &[
                    ("name", &name),
                    ("kind", "independent"),
                    ("council", ""),
                    ("party", ""),
                    ("position", "Member"),
                    ("term_from", "2024-05-20"),
                    ("term_to", ""),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
    }
    let response = officer
        .post_from(
            "/staff/panel/precept",
            "/staff/panel/precept/rounds",
            &[("year", "2027"), ("precept", "police"), ("current_band_d", "two hundred")],
        )
        .await;
    assert_refused(response, &["Enter this year’s Band D in pounds and pence"]).await;
    let response = officer
        .post_from(
            "/staff/panel/precept",
            "/staff/panel/precept/rounds",
            &[("year", "2027"), ("precept", "police"), ("current_band_d", "250.00")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let round: String = app.one("SELECT id FROM panel_precept").await;
    let path = format!("/staff/panel/precept/rounds/{round}");
    let mut version = 0;
    assert_refused(
        step(&mut officer, &path, version, vec![("step", "issue"), ("on", "2027-02-10"), ("band_d", "265.00")]).await,
        &["has not been notified"],
    )
    .await;
    assert_eq!(
        step(&mut officer, &path, version, vec![("step", "notify"), ("on", "2027-01-29"), ("band_d", "265.00")]).await.status(),
        303
    );
    version += 1;
    // Seven of twelve is not two-thirds of the current members, however many attended.
    let refused = step(
        &mut officer,
        &path,
        version,
        vec![("step", "report"), ("on", "2027-02-05"), ("report", "vetoed-too-high"), ("votes", "7")],
    )
    .await;
    assert_refused(refused, &["needs two-thirds of the Panel’s 12 current members", "at least 8 votes"]).await;
    assert_eq!(
        step(
            &mut officer,
            &path,
            version,
            vec![("step", "report"), ("on", "2027-02-05"), ("report", "vetoed-too-high"), ("votes", "8")]
        )
        .await
        .status(),
        303
    );
    version += 1;
    assert_refused(
        step(&mut officer, &path, version, vec![("step", "revise"), ("on", "2027-02-12"), ("band_d", "266.00")]).await,
        &["the revision must be lower"],
    )
    .await;
    assert_eq!(
        step(&mut officer, &path, version, vec![("step", "revise"), ("on", "2027-02-12"), ("band_d", "260.00")]).await.status(),
        303
    );
    version += 1;
    assert_eq!(step(&mut officer, &path, version, vec![("step", "second-report"), ("on", "2027-02-19")]).await.status(), 303);
    version += 1;
    assert_eq!(step(&mut officer, &path, version, vec![("step", "respond"), ("on", "2027-02-22")]).await.status(), 303);
    version += 1;
    assert_refused(
        step(&mut officer, &path, version, vec![("step", "issue"), ("on", "2027-02-24"), ("band_d", "261.00")]).await,
        &["cannot be more than the revision (£260.00)"],
    )
    .await;
    assert_refused(
        step(&mut officer, &path, version, vec![("step", "issue"), ("on", "2027-03-01"), ("band_d", "259.00")]).await,
        &["must be issued before Monday 1 March 2027"],
    )
    .await;
    assert_eq!(
        step(&mut officer, &path, version, vec![("step", "issue"), ("on", "2027-02-24"), ("band_d", "259.00")]).await.status(),
        303
    );

    let (_, html) = app.get_page("/panel/precept").await;
    assert!(html.contains("Vetoed as too high") && html.contains("8 of 12 current members voted to veto"), "{html}");
    // Band A: 6/9 of £259.00 = £172.666…, shown as £172.67; Band H: 2 × Band D.
    assert!(html.contains("£172.67") && html.contains("£518.00"));
    assert!(html.contains("The referendum limit for 2027 to 2028 is not recorded here."), "{html}");

    // Hearings: a chief executive's appointment cannot be vetoed; a chief constable's can.
    for (post, name) in [("chief-executive", "Candidate A"), ("chief-constable", "Candidate B")] {
        let response = officer
            .post_from(
                "/staff/panel/precept",
                "/staff/panel/hearings",
                &[("post", post), ("candidate", name), ("notified_on", "2027-03-01"), ("hearing_on", "2027-03-10")],
            )
            .await;
        assert_eq!(response.status(), 303);
    }
    let ce: String = app.value("SELECT id FROM panel_hearing WHERE post = $1", "chief-executive").await;
    let response = officer
        .post_from(
            "/staff/panel/precept",
            &format!("/staff/panel/hearings/{ce}"),
            &[("outcome", "vetoed"), ("votes", "12"), ("on", "2027-03-12"), ("words", "")],
        )
        .await;
    assert_refused(response, &["cannot veto the appointment of a chief executive"]).await;
    let cc: String = app.value("SELECT id FROM panel_hearing WHERE post = $1", "chief-constable").await;
    let response = officer
        .post_from(
            "/staff/panel/precept",
            &format!("/staff/panel/hearings/{cc}"),
            &[("outcome", "vetoed"), ("votes", "8"), ("on", "2027-03-12"), ("words", "The Panel vetoes the appointment.")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, html) = app.get_page("/panel/precept").await;
    assert!(html.contains("The Panel vetoed the appointment") && !html.contains("the Panel’s report is due by"));
    let (_, html) = officer.get_page("/staff/panel/precept").await;
    assert!(html.contains("the Panel’s report is due by Monday 22 March 2027"), "3 weeks from notification: {html}");
}

#[tokio::test]
async fn recommendations_are_answered_in_public_and_complaints_stay_confidential_with_only_the_count_published() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PanelOfficer).await;
    let page = "/staff/panel/recommendations";
    let response = officer
        .post_from(
            page,
            "/staff/panel/recommendations/new",
            &[("report", "plan"), ("meeting", ""), ("words", ""), ("made_on", "soon"), ("response_due", "")],
        )
        .await;
    assert_refused(response, &["Enter the recommendation", "Enter the date it was made"]).await;
    let made = platform::db::date(platform::calendar::uk_today() - time::Duration::days(35));
    let response = officer
        .post_from(
            page,
            "/staff/panel/recommendations/new",
            &[
                ("report", "plan"),
                ("meeting", ""),
                ("words", "Publish response times by district."),
                ("made_on", &made),
                ("response_due", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let reference: String = app.one("SELECT reference FROM panel_recommendation").await;
    let due: String = app.value("SELECT response_due FROM panel_recommendation WHERE reference = $1", &reference).await;
    assert_eq!(due, platform::db::date(platform::calendar::uk_today() - time::Duration::days(7)), "28 days after it was made");
    let (_, html) = app.get_page("/panel/recommendations").await;
    assert!(html.contains("Publish response times by district.") && html.contains("Overdue by 7 days"), "{html}");
    // Overdue by a whole week: chased with the office today, once.
    let sent = panel::chase::run(&app.pool, &app.settings, time::OffsetDateTime::now_utc()).await.expect("chase");
    assert!(sent >= 1);
    assert_eq!(panel::chase::run(&app.pool, &app.settings, time::OffsetDateTime::now_utc()).await.expect("chase"), 0);
    let today = platform::db::date(platform::calendar::uk_today());
    let path = format!("/staff/panel/recommendations/{reference}");
    let response = officer.post_from(page, &path, &[("version", "0"), ("response", "Accepted."), ("on", &today)]).await;
    assert_eq!(response.status(), 303);
    let response = officer.post_from(page, &path, &[("version", "0"), ("response", "Accepted again."), ("on", &today)]).await;
    assert_refused(response, &["already been recorded"]).await;
    let (_, html) = app.get_page("/panel/recommendations").await;
    assert!(html.contains("Answered late") && html.contains("Accepted."));

    // Complaints: logged, acknowledged, resolved; the log is the officers' alone and each
    // reading is audited; the public see only the yearly count.
    let complaints = "/staff/panel/complaints";
    let response = officer
        .post_from(
            complaints,
            complaints,
            &[("received_on", "2999-01-01"), ("about", "commissioner"), ("complainant", ""), ("summary", ""), ("route", "")],
        )
        .await;
    assert_refused(response, &["today or earlier", "Enter the complainant’s name", "Choose whether the Panel resolves it"]).await;
    for (route, name) in [("panel", "Jo Complainant"), ("iopc", "Lee Complainant")] {
        let response = officer
            .post_from(
                complaints,
                complaints,
                &[
                    ("received_on", &made),
                    ("about", "commissioner"),
                    ("complainant", name),
                    ("contact", "jo@example.com"),
                    ("summary", "A letter went unanswered."),
                    ("route", route),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
    }
    let open: String = app.one("SELECT reference FROM panel_complaint WHERE route = 'panel'").await;
    let (_, html) = officer.get_page(complaints).await;
    assert!(html.contains("Acknowledge by") && html.contains("(late)"), "5 working days have passed: {html}");
    let step = format!("/staff/panel/complaints/{open}");
    let response =
        officer.post_from(complaints, &step, &[("version", "0"), ("step", "resolve"), ("on", &today), ("outcome", "")]).await;
    assert_refused(response, &["Enter the outcome"]).await;
    for (version, step_name, outcome) in [("0", "acknowledge", ""), ("1", "resolve", "Resolved informally with an apology.")] {
        let response = officer
            .post_from(complaints, &step, &[("version", version), ("step", step_name), ("on", &today), ("outcome", outcome)])
            .await;
        assert_eq!(response.status(), 303);
    }
    assert_eq!(app.value::<String>("SELECT status FROM panel_complaint WHERE reference = $1", &open).await, "resolved");
    let viewed: i64 = app.one("SELECT COUNT(*) FROM platform_audit_event WHERE record_type = 'complaints about the Commissioner' AND action = 'viewed'").await;
    assert!(viewed >= 2);
    let (member, _) = app.signed_in(Role::PanelMember).await;
    assert_eq!(member.get(complaints).await.status(), 403);
    let (_, html) = app.get_page("/panel").await;
    assert!(!html.contains("Jo Complainant") && !html.contains("A letter went unanswered"));
    let year =
        platform::periods::FinancialYear::containing(platform::calendar::uk_today() - time::Duration::days(35)).short_label();
    let row = format!(
        "{year}</th><td class=\"govuk-table__cell govuk-table__cell--numeric\">2</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">1</td><td class=\"govuk-table__cell govuk-table__cell--numeric\">1</td>"
    );
    assert!(html.contains(&row), "the published count: {html}");
}

#[tokio::test]
async fn an_askers_and_a_complainants_details_are_found_for_subject_access_and_go_at_the_end_of_retention() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PanelOfficer).await;
    let meeting = add_meeting(&app, &mut officer, 25).await;
    let asked = [
        ("meeting", meeting.as_str()),
        ("name", "Rhian Pritchard"),
        ("email", "rhian@example.com"),
        ("question", "Will the station in Leek stay open?"),
    ];
    assert_eq!(app.post_form("/panel/questions/ask", &asked).await.status(), 303);
    let complaint = [
        ("received_on", "2024-01-10"),
        ("about", "deputy"),
        ("complainant", "Rhian Pritchard"),
        ("contact", "rhian@example.com"),
        ("summary", "No reply to my letter."),
        ("route", "panel"),
    ];
    assert_eq!(officer.post_from("/staff/panel/complaints", "/staff/panel/complaints", &complaint).await.status(), 303);

    // The subject access search finds both, by email and by name.
    let (searcher, _) = app.signed_in(Role::TransparencyOfficer).await;
    let (_, html) = searcher.get_page("/staff/people?email=RHIAN%40example.com").await;
    assert!(html.contains("Questions at Panel meetings") && html.contains("Complaints about the Commissioner"), "{html}");

    // Settled long ago: the nightly retention takes the asker's and the complainant's details,
    // and keeps what was published.
    let reference: String = app.one("SELECT reference FROM panel_question").await;
    sqlx::query("UPDATE panel_question SET status = 'declined', decline_reason = 'Not about the Commissioner', submitted_at = '2020-01-01T10:00:00.000000Z' WHERE reference = $1")
        .bind(&reference)
        .execute(&app.pool)
        .await
        .expect("an old question");
    let complaint: String = app.one("SELECT reference FROM panel_complaint").await;
    for (version, step, outcome) in [("0", "acknowledge", ""), ("1", "resolve", "Resolved with an apology.")] {
        let fields = [("version", version), ("step", step), ("on", "2024-01-20"), ("outcome", outcome)];
        assert_eq!(
            officer.post_from("/staff/panel/complaints", &format!("/staff/panel/complaints/{complaint}"), &fields).await.status(),
            303
        );
    }
    casekit::retention::run(&commissioner::server::services(), &app.pool, time::OffsetDateTime::now_utc())
        .await
        .expect("retention");
    assert_eq!(app.value::<String>("SELECT email FROM panel_question WHERE reference = $1", &reference).await, "");
    assert_eq!(
        app.value::<String>("SELECT asker_name FROM panel_question WHERE reference = $1", &reference).await,
        "A member of the public"
    );
    assert_eq!(app.value::<String>("SELECT complainant FROM panel_complaint WHERE reference = $1", &complaint).await, "");
    assert_eq!(
        app.value::<String>("SELECT status FROM panel_complaint WHERE reference = $1", &complaint).await,
        "resolved",
        "the count still has it"
    );
    let (_, html) = searcher.get_page("/staff/people?email=rhian%40example.com").await;
    assert!(!html.contains("Questions at Panel meetings") && !html.contains("Complaints about the Commissioner"));
}

/// Actions by status in a locked plan quarter, counted from its stored JSON: the check beside
/// the report's own count.
fn statuses_in(content: &str) -> std::collections::BTreeMap<String, usize> {
    let snapshot: serde_json::Value = serde_json::from_str(content).expect("snapshot JSON");
    let mut counts = std::collections::BTreeMap::new();
    for priority in snapshot["priorities"].as_array().expect("priorities") {
        for commitment in priority["commitments"].as_array().expect("commitments") {
            for action in commitment["actions"].as_array().expect("actions") {
                *counts.entry(action["status"].as_str().expect("status").to_string()).or_default() += 1;
            }
        }
    }
    counts
}

#[tokio::test]
async fn the_annual_report_is_made_from_the_records_published_after_the_year_and_reviewed_by_the_panel() {
    let app = TestApp::spawn().await;
    let now = time::OffsetDateTime::now_utc();
    plans::demo::seed(&app.pool, now).await.expect("plans demo");
    performance::demo::seed(&app.pool, now).await.expect("performance demo");
    // The year of the newest locked plan quarter (the demo's Police and Crime Plan), with its
    // fourth quarter of police performance locked as it stood.
    let quarter: String = app.one("SELECT s.quarter FROM plans_snapshot s JOIN plans_plan p ON p.id = s.plan_id WHERE p.status = 'published' ORDER BY s.quarter DESC LIMIT 1").await;
    let year: i32 = quarter[..4].parse().expect("year");
    let office = platform::office::load(&app.pool).await.expect("office").expect("set up");
    performance::snapshot::lock_as_it_stood(
        &app.pool,
        &office,
        performance::model::Service::Police,
        &format!("{year}-Q4"),
        &platform::audit::Actor::system("test"),
        (now, now.date()),
    )
    .await
    .expect("locked");

    let (mut writer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let list = "/staff/annual-reports";
    let (status, html) = writer.get_page(list).await;
    assert_eq!(status, 200, "{html}");
    let response = writer.post_from(list, "/staff/annual-reports/new", &[("year", "1999")]).await;
    assert_refused(response, &["Enter the year the financial year starts"]).await;
    let y = year.to_string();
    let response = writer.post_from(list, "/staff/annual-reports/new", &[("year", &y)]).await;
    assert_eq!(response.status(), 303);
    let page = format!("/staff/annual-reports/{year}");
    // Publishing without the office's words is refused; then the words are saved.
    let response = writer.post_from(&page, &format!("{page}/publish"), &[("version", "0")]).await;
    assert_refused(response, &["Write the office’s sections before publishing"]).await;
    let words = [
        ("version", "0"),
        ("narrative", "## Foreword\nA year of steady work."),
        ("case_studies", "## Helping a victim\nShe was supported."),
    ];
    assert_eq!(writer.post_from(&page, &format!("{page}/text"), &words).await.status(), 303);
    // A photograph without words for what it shows is refused; with them it is in the report.
    let photo = |alt: &'static str| {
        move |form: reqwest::multipart::Form| {
            form.text("alt", alt)
                .text("caption", "Volunteers at work")
                .part("photo", reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("garden.png"))
        }
    };
    let response = writer.post_multipart(&format!("{page}/photos"), &page, photo("")).await;
    assert_refused(response, &["Say what the photograph shows"]).await;
    let response = writer.post_multipart(&format!("{page}/photos"), &page, photo("Volunteers planting a community garden")).await;
    assert_eq!(response.status(), 303);
    let (_, html) = writer.get_page(&page).await;
    assert!(html.contains("The report as it would be made now") && html.contains("A year of steady work."));
    assert!(html.contains("alt=\"Volunteers planting a community garden\""), "{html}");
    let response = writer.post_from(&page, &format!("{page}/publish"), &[("version", "1")]).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());

    // The plan's delivery as the year's last locked quarter recorded it, counted independently.
    let content: String = app.value("SELECT s.content FROM plans_snapshot s JOIN plans_plan p ON p.id = s.plan_id WHERE s.quarter = $1 AND p.status = 'published' LIMIT 1", &quarter).await;
    let counts = statuses_in(&content);
    let csv = app.get(&format!("/panel/annual-reports/{year}/csv")).await.text().await.expect("csv");
    for (slug, name) in
        [("implemented", "Implemented"), ("being-implemented", "Being implemented"), ("not-implemented", "Not implemented")]
    {
        let n = counts.get(slug).copied().unwrap_or(0);
        assert!(
            csv.lines().any(|l| l.contains("delivery actions by status") && l.ends_with(&format!(",{name},Actions,{n}"))),
            "{name} {n}: {csv}"
        );
    }
    assert!(csv.contains("each measure’s latest figure and verdict"), "the police quarter: {csv}");
    for service in ["Anti-social behaviour case reviews", "Police complaint reviews", "Information requests"] {
        let (_, html) = app.get_page(&format!("/panel/annual-reports/{year}")).await;
        assert!(html.contains(service), "{service} is in the report");
    }
    let (status, html) = app.get_page(&format!("/panel/annual-reports/{year}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("A year of steady work.")
            && html.contains("Helping a victim")
            && html.contains("The Panel has not reviewed this report yet.")
    );
    // Frozen: the words cannot change now.
    let response = writer
        .post_from(&page, &format!("{page}/text"), &[("version", "2"), ("narrative", "Changed"), ("case_studies", "")])
        .await;
    assert_refused(response, &["The report is published"]).await;

    // The PDF is tagged, passes the PDF/UA checker and carries the office's words.
    let response = app.get(&format!("/panel/annual-reports/{year}/pdf")).await;
    assert_eq!(response.headers()["content-type"], "application/pdf");
    crate::support::assert_tagged_pdf(&response.bytes().await.expect("pdf"), &["A year of steady work.", "Delivering the plan"]);

    // The year still running cannot be published.
    let current = platform::periods::FinancialYear::containing(platform::calendar::uk_today()).0.to_string();
    assert_eq!(writer.post_from(list, "/staff/annual-reports/new", &[("year", &current)]).await.status(), 303);
    let running = format!("/staff/annual-reports/{current}");
    assert_eq!(
        writer
            .post_from(&running, &format!("{running}/text"), &[("version", "0"), ("narrative", "Words."), ("case_studies", "")])
            .await
            .status(),
        303
    );
    let response = writer.post_from(&running, &format!("{running}/publish"), &[("version", "1")]).await;
    assert_refused(response, &["can be published once the year has ended"]).await;

    // The Panel's officer records its review; Panel members read drafts but do not write them.
    let (mut officer, _) = app.signed_in(Role::PanelOfficer).await;
    let review =
        [("review", "The Panel welcomed the report and asked for more on victims’ satisfaction."), ("reviewed_on", "2024-07-15")];
    assert_eq!(officer.post_from(&page, &format!("{page}/review"), &review).await.status(), 303);
    let (_, html) = app.get_page(&format!("/panel/annual-reports/{year}")).await;
    assert!(html.contains("asked for more on victims’ satisfaction") && html.contains("Monday 15 July 2024"));
    let (mut member, _) = app.signed_in(Role::PanelMember).await;
    assert_eq!(member.get(&running).await.status(), 200);
    assert_eq!(member.post_from("/staff", &format!("{running}/text"), &[("version", "1")]).await.status(), 403);
}

#[tokio::test]
async fn the_demo_panel_has_its_members_papers_and_one_overdue_promise() {
    let app = TestApp::spawn().await;
    let now = time::OffsetDateTime::now_utc();
    plans::demo::seed(&app.pool, now).await.expect("plans demo");
    performance::demo::seed(&app.pool, now).await.expect("performance demo");
    transparency::demo::seed(&app.pool, &app.settings, now).await.expect("transparency demo");
    panel::demo::seed(&app.pool, &app.settings, now).await.expect("panel demo");
    panel::demo::seed(&app.pool, &app.settings, now).await.expect("seeding again changes nothing");
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM panel_member WHERE kind = 'councillor'").await, 10);
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM panel_member WHERE kind = 'independent'").await, 2);
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM panel_meeting").await, 3);
    let made: Vec<String> =
        app.all("SELECT generated_from FROM panel_paper WHERE generated_from <> '' ORDER BY generated_from").await;
    assert!(made.iter().any(|g| g.starts_with("plan:")) && made.iter().any(|g| g.starts_with("performance:")), "{made:?}");
    let decisions: String = app.one("SELECT id FROM panel_paper WHERE generated_from LIKE 'decisions:%'").await;
    let (_, html) = app.get_page(&format!("/panel/papers/{decisions}")).await;
    assert!(
        html.contains("decisions published") && html.contains("/transparency/decisions/"),
        "the demo's decisions reach the Panel: {html}"
    );
    let (_, html) = app.get_page("/panel/promised-responses").await;
    assert_eq!(html.matches("Overdue by").count(), 1, "{html}");
    let (status, html) = app.get_page("/panel/precept").await;
    assert_eq!(status, 200);
    assert!(html.contains("Issued") && html.contains("Not yet notified to the Panel"));
    let (status, _) = app.get_page("/panel").await;
    assert_eq!(status, 200);
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM panel_recommendation WHERE responded_on IS NULL").await, 1);
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM panel_complaint").await, 2);
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM panel_annual_report WHERE status = 'draft' AND narrative <> ''").await, 1);
}

#[tokio::test]
async fn the_panel_receives_the_decisions_published_since_its_last_meeting() {
    let app = TestApp::spawn().await;
    // Two decisions published through the decisions register today.
    let (mut transparency_officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let list = "/staff/transparency/decisions";
    let today = platform::calendar::uk_today();
    let decided = platform::db::date(today);
    for title in ["Custody medical services", "Estates strategy"] {
        let fields =
            [("title", title), ("decided_on", decided.as_str()), ("decision_maker", "The Commissioner"), ("summary", "Agreed")];
        let response = transparency_officer.post_from(list, list, &fields).await;
        let page = location(&response);
        for (version, step) in [("1", "sign"), ("2", "publish")] {
            let response =
                transparency_officer.post_from(&page, &format!("{page}/step"), &[("version", version), ("step", step)]).await;
            assert_eq!(response.status(), 303);
        }
    }
    // A meeting held a month ago, and the next in three weeks: the paper covers the days between.
    let (mut officer, _) = app.signed_in(Role::PanelOfficer).await;
    let _previous = add_meeting(&app, &mut officer, -30).await;
    let meeting = add_meeting(&app, &mut officer, 20).await;
    let page = format!("/staff/panel/meetings/{meeting}");
    let response = officer
        .post_from(
            &page,
            &format!("{page}/items"),
            &[("title", "Decisions since the last meeting"), ("number", ""), ("exempt_reason", "")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let item: String = app.value("SELECT id FROM panel_item WHERE meeting_id = $1", &meeting).await;
    let generator = format!("decisions:{}:{}", platform::db::date(today - time::Duration::days(29)), platform::db::date(today));
    let (_, html) = officer.get_page(&page).await;
    assert!(html.contains(&format!("value=\"{generator}\"")), "offered: {generator}");
    let response = officer.post_from(&page, &format!("{page}/generate"), &[("item", &item), ("generator", &generator)]).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    let made: String = app.value("SELECT id FROM panel_paper WHERE generated_from = $1", &generator).await;
    let (status, html) = app.get_page(&format!("/panel/papers/{made}")).await;
    assert_eq!(status, 200);
    let year = today.year();
    assert!(html.contains("2 decisions published"), "{html}");
    assert!(
        html.contains(&format!("{year}/001: Custody medical services"))
            && html.contains(&format!("{year}/002: Estates strategy"))
    );
    assert!(html.contains(&format!("/transparency/decisions/{year}-001")));
}

#[tokio::test]
async fn a_paper_larger_than_a_form_is_taken() {
    // The 64 KB limit is for forms; an upload route takes files up to its own limit.
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PanelOfficer).await;
    let meeting = add_meeting(&app, &mut officer, 20).await;
    let page = format!("/staff/panel/meetings/{meeting}");
    let response =
        officer.post_from(&page, &format!("{page}/items"), &[("title", "Estates"), ("number", ""), ("exempt_reason", "")]).await;
    assert_eq!(response.status(), 303);
    let item: String = app.value("SELECT id FROM panel_item WHERE meeting_id = $1", &meeting).await;
    let mut pdf = PDF.to_vec();
    pdf.splice(9..9, std::iter::repeat_n(b'%', 300 * 1024).chain(*b"\n"));
    let response = officer
        .post_multipart(&format!("{page}/papers"), &page, |form| {
            form.text("item", item.clone())
                .text("title", "Estates strategy")
                .part("file", reqwest::multipart::Part::bytes(pdf.clone()).file_name("estates.pdf"))
        })
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    let size: i64 = app.one("SELECT f.size_bytes FROM platform_file f JOIN panel_paper p ON p.file_id = f.id").await;
    assert!(size > 300 * 1024);
}
