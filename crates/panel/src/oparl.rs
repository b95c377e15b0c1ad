//! An open API for the Panel's meetings in the shape of the OParl 1.1 standard
//! (https://oparl.org): System, Body, Organization, Person (with Memberships), Meeting (with its
//! AgendaItems and Files) and Paper. Every list is one page (the Panel's business is small) with
//! OParl's pagination fields, so an OParl client reads it as it reads any other. Part 2 items are
//! listed as not public, without their papers; withdrawn papers are marked deleted.

use std::collections::HashMap;

use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::web::PageRequest;
use platform::{AppError, Platform};
use serde_json::{Value, json};

use crate::store::{self, Item, Meeting, Member, Paper};

const V: &str = "https://schema.oparl.org/1.1/";

pub fn routes() -> Routes {
    Routes::new()
        .route("/api/oparl/v1/system", Access::Public, get(system))
        .route("/api/oparl/v1/bodies", Access::Public, get(bodies))
        .route("/api/oparl/v1/body", Access::Public, get(body))
        .route("/api/oparl/v1/organizations", Access::Public, get(organizations))
        .route("/api/oparl/v1/persons", Access::Public, get(persons))
        .route("/api/oparl/v1/meetings", Access::Public, get(meetings))
        .route("/api/oparl/v1/meetings/{meeting}", Access::Public, get(meeting))
        .route("/api/oparl/v1/papers", Access::Public, get(papers))
}

fn base(platform: &Platform) -> String {
    format!("{}/api/oparl/v1", platform.settings().public_url.trim_end_matches('/'))
}

fn web(platform: &Platform) -> String {
    platform.settings().public_url.trim_end_matches('/').to_string()
}

fn kind(name: &str) -> String {
    format!("{V}{name}")
}

/// A list as OParl pages it: everything on one page.
fn list(data: Vec<Value>) -> Response {
    let total = data.len();
    Json(json!({
        "data": data,
        "pagination": { "totalElements": total, "elementsPerPage": total.max(1), "currentPage": 1, "totalPages": 1 },
        "links": {},
    }))
    .into_response()
}

async fn system(PageRequest { platform, .. }: PageRequest) -> Result<Response, AppError> {
    let office = platform.office().await?;
    let b = base(&platform);
    Ok(Json(json!({
        "id": format!("{b}/system"),
        "type": kind("System"),
        "oparlVersion": V,
        "body": format!("{b}/bodies"),
        "name": format!("{}: the Police, Fire and Crime Panel", office.name),
        "website": format!("{}/panel", web(&platform)),
        "license": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    }))
    .into_response())
}

async fn body_json(platform: &Platform) -> Result<Value, AppError> {
    let office = platform.office().await?;
    let b = base(platform);
    Ok(json!({
        "id": format!("{b}/body"),
        "type": kind("Body"),
        "system": format!("{b}/system"),
        "name": format!("{} Police, Fire and Crime Panel", office.area),
        "shortName": "Panel",
        "website": format!("{}/panel", web(platform)),
        "license": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "organization": format!("{b}/organizations"),
        "person": format!("{b}/persons"),
        "meeting": format!("{b}/meetings"),
        "paper": format!("{b}/papers"),
        "legislativeTerm": [],
        "classification": "Police and crime panel (Police Reform and Social Responsibility Act 2011)",
    }))
}

async fn bodies(PageRequest { platform, .. }: PageRequest) -> Result<Response, AppError> {
    Ok(list(vec![body_json(&platform).await?]))
}

async fn body(PageRequest { platform, .. }: PageRequest) -> Result<Response, AppError> {
    Ok(Json(body_json(&platform).await?).into_response())
}

fn organization_id(b: &str) -> String {
    format!("{b}/organizations#panel")
}

async fn organizations(PageRequest { platform, .. }: PageRequest) -> Result<Response, AppError> {
    let office = platform.office().await?;
    let b = base(&platform);
    Ok(list(vec![json!({
        "id": organization_id(&b),
        "type": kind("Organization"),
        "body": format!("{b}/body"),
        "name": format!("{} Police, Fire and Crime Panel", office.area),
        "organizationType": "Gremium",
        "classification": "Joint committee",
        "meeting": format!("{b}/meetings"),
        "website": format!("{}/panel", web(&platform)),
    })]))
}

fn person(b: &str, m: &Member) -> Value {
    json!({
        "id": format!("{b}/persons#{}", m.id),
        "type": kind("Person"),
        "body": format!("{b}/body"),
        "name": m.name,
        "membership": [{
            "id": format!("{b}/persons#{}-membership", m.id),
            "type": kind("Membership"),
            "person": format!("{b}/persons#{}", m.id),
            "organization": organization_id(b),
            "role": m.position,
            "votingRight": true,
            "startDate": m.term_from,
            "endDate": m.term_to,
            "onBehalfOf": if m.kind == "independent" { Value::Null } else { Value::String(m.council.clone()) },
        }],
        "status": [if m.kind == "independent" { "Independent co-opted member" } else { "Councillor" }],
    })
}

async fn persons(PageRequest { platform, .. }: PageRequest) -> Result<Response, AppError> {
    let b = base(&platform);
    Ok(list(store::members(platform.pool()).await?.iter().map(|m| person(&b, m)).collect()))
}

fn file(platform: &Platform, p: &Paper) -> Value {
    let url = format!("{}/panel/papers/{}", web(platform), p.id);
    json!({
        "id": format!("{}/papers#{}-file", base(platform), p.id),
        "type": kind("File"),
        "name": p.title,
        "mimeType": if p.kind == "generated" { "text/html" } else if p.file_id.is_some() { "application/octet-stream" } else { "text/html" },
        "accessUrl": if p.file_id.is_none() && !p.source_url.is_empty() { p.source_url.clone() } else { url.clone() },
        "date": p.published_at.get(..10).unwrap_or_default(),
        "web": url,
        "deleted": p.is_withdrawn(),
    })
}

fn meeting_json(platform: &Platform, m: &Meeting, items: Option<(&[Item], &[Paper])>) -> Value {
    let b = base(platform);
    let mut value = json!({
        "id": format!("{b}/meetings/{}", m.id),
        "type": kind("Meeting"),
        "name": format!("Panel meeting, {}", m.date_words()),
        "meetingState": m.status_words(),
        "cancelled": m.status == "cancelled",
        "start": m.starts_at,
        "end": platform::db::timestamp(m.starts() + time::Duration::hours(3)),
        "location": { "type": kind("Location"), "description": m.place },
        "organization": [organization_id(&b)],
        "web": format!("{}/panel/meetings/{}", web(platform), m.id),
        "modified": m.updated_at,
    });
    if let Some((items, papers)) = items {
        let agenda: Vec<Value> = items
            .iter()
            .map(|i| {
                let files: Vec<Value> = if i.is_exempt() {
                    Vec::new()
                } else {
                    papers.iter().filter(|p| p.item_id == i.id && !p.is_exempt()).map(|p| file(platform, p)).collect()
                };
                json!({
                    "id": format!("{b}/meetings/{}#item-{}", m.id, i.position),
                    "type": kind("AgendaItem"),
                    "meeting": format!("{b}/meetings/{}", m.id),
                    "number": i.number,
                    "order": i.position,
                    "name": i.title,
                    "public": !i.is_exempt(),
                    "result": if m.minutes_published != 0 && !i.is_exempt() { i.resolution.clone() } else { String::new() },
                    "auxiliaryFile": files,
                })
            })
            .collect();
        value["agendaItem"] = Value::Array(agenda);
    }
    value
}

async fn meetings(PageRequest { platform, .. }: PageRequest) -> Result<Response, AppError> {
    let all = store::meetings(platform.pool()).await?;
    Ok(list(all.iter().map(|m| meeting_json(&platform, m, None)).collect()))
}

async fn meeting(PageRequest { platform, .. }: PageRequest, Path(id): Path<String>) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&id) {
        return Err(AppError::NotFound);
    }
    let m = store::meeting(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
    let items = store::items(platform.pool(), &m.id).await?;
    let papers = store::papers(platform.pool(), &m.id).await?;
    Ok(Json(meeting_json(&platform, &m, Some((&items, &papers)))).into_response())
}

async fn papers(PageRequest { platform, .. }: PageRequest) -> Result<Response, AppError> {
    let b = base(&platform);
    let mut out = Vec::new();
    for m in store::meetings(platform.pool()).await? {
        let items: HashMap<String, Item> =
            store::items(platform.pool(), &m.id).await?.into_iter().map(|i| (i.id.clone(), i)).collect();
        for p in store::papers(platform.pool(), &m.id).await? {
            let Some(item) = items.get(&p.item_id) else { continue };
            if p.is_exempt() || item.is_exempt() {
                continue;
            }
            out.push(json!({
                "id": format!("{b}/papers#{}", p.id),
                "type": kind("Paper"),
                "body": format!("{b}/body"),
                "name": p.title,
                "reference": p.supplement.map(|n| format!("Supplement {n}")),
                "date": p.published_at.get(..10).unwrap_or_default(),
                "paperType": match p.kind.as_str() { "generated" => "Report of the office", "imported" => "Paper (from the host council)", _ => "Paper" },
                "mainFile": file(&platform, &p),
                "consultation": [{ "type": kind("Consultation"), "meeting": format!("{b}/meetings/{}", m.id), "agendaItem": format!("{b}/meetings/{}#item-{}", m.id, item.position) }],
                "web": format!("{}/panel/papers/{}", web(&platform), p.id),
                "deleted": p.is_withdrawn(),
            }));
        }
    }
    Ok(list(out))
}
