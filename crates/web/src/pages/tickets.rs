//! The ticket list: each role lands on its most useful view (staff: their working list — the
//! queue and what they hold; users: their own tickets), with the filters, sorting and text
//! search of the API, numbered pages, and the last filters remembered for the account.

use std::collections::HashMap;

use askama::Template;
use fixdesk_usecases::domain::{
    Actor, CategoryId, DueView, Page, PreferencesChange, Priority, Ticket, TicketFilter,
    TicketQuery, TicketSort, TicketStatus, sla::SlaReading,
};
use fixdesk_usecases::{ServiceError, domain::DomainError};
use poem::{
    IntoResponse, Request, Response, handler,
    web::{Data, Form, Query, Redirect},
};
use serde::{Deserialize, Serialize};

use crate::{
    Service, WebError,
    clock::{Clock, When},
    due::Due,
    flash::{Flash, done},
    form::{page_number, parse_opt},
    i18n::Texts,
    layout::{Layout, page},
    pages::auth::CsrfOnly,
    preferences::{self, FILTERS_COOKIE},
    session::Session,
    view::{self, Choice, PAGE_SIZE, Pager},
};

#[handler]
pub fn home() -> Redirect {
    Redirect::see_other("/ui/tickets")
}

/// The list's filters as they appear in its URL.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct TicketFilters {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub view: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub priority: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sort: String,
    #[serde(default, skip_serializing)]
    pub page: Option<String>,
}

/// The most matches a list counts: beyond, it says "10000+" (a page then costs the same at a
/// million tickets as at a thousand).
pub const COUNT_LIMIT: u64 = 10_000;

/// The views staff choose from; each is a set of filters with a name.
const STAFF_VIEWS: [&str; 7] = [
    "work",
    "queue",
    "mine",
    "overdue",
    "due_today",
    "unassigned_high",
    "all",
];

impl TicketFilters {
    /// The view a role starts on.
    fn landing(actor: &Actor) -> Self {
        Self {
            view: if actor.role.is_staff() { "work" } else { "" }.into(),
            ..Self::default()
        }
    }

    /// Whether no filter is set (the page is then a landing).
    fn is_empty(&self) -> bool {
        serde_urlencoded::to_string(self).is_ok_and(|q| q.is_empty())
    }

    /// The order asked for, else the view's own: staff's working views and the views of due
    /// times read soonest due first (oldest first among tickets whose clock does not run), the
    /// rest newest first.
    fn sort_or_default(&self, actor: &Actor) -> &str {
        if !self.sort.is_empty() {
            return &self.sort;
        }
        let due_first = actor.role.is_staff()
            && matches!(
                self.view.as_str(),
                "work" | "queue" | "mine" | "unassigned_high" | "overdue" | "due_today"
            );
        if due_first { "due_at" } else { "-created_at" }
    }

    /// The query for `actor` (the service narrows users to their own tickets anyway), with
    /// "today" as the visitor's `clock` has it.
    pub fn query(&self, actor: &Actor, page: Page, clock: &Clock) -> Result<TicketQuery, WebError> {
        let mut filter = TicketFilter {
            status: parse_opt::<TicketStatus>("status", &self.status)?,
            priority: parse_opt::<Priority>("priority", &self.priority)?,
            category_id: parse_opt::<i64>("category", &self.category)?.map(CategoryId),
            search: crate::form::given(&self.q).map(str::to_string),
            ..TicketFilter::default()
        };
        if actor.role.is_staff() {
            match self.view.as_str() {
                "work" => filter.work_of = Some(actor.id),
                "queue" => {
                    filter.status = Some(TicketStatus::New);
                    filter.unassigned = true;
                }
                "mine" => {
                    filter.assigned_to_id = Some(actor.id);
                    filter.open_only = filter.status.is_none();
                }
                "overdue" => filter.due = Some(DueView::Overdue),
                "due_today" => filter.due = Some(DueView::Today(clock.zone.tz())),
                "unassigned_high" => {
                    filter.unassigned = true;
                    filter.open_only = true;
                    filter.priority = Some(Priority::High);
                }
                _ => {}
            }
        }
        let sort = self.sort_or_default(actor).parse::<TicketSort>();
        let sort = sort.map_err(|_| WebError::BadForm("sort".into()))?;
        Ok(TicketQuery {
            filter,
            sort,
            page,
            count_limit: Some(COUNT_LIMIT),
        })
    }
}

/// A ticket as a list row shows it.
#[derive(Debug)]
pub struct TicketRow {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub priority: &'static str,
    pub priority_label: &'static str,
    pub category: String,
    pub room: String,
    pub creator: String,
    pub assignee: String,
    pub created: When,
    pub updated: When,
    pub awaiting: bool,
    /// When the resolution is due (staff, where a policy applies).
    pub due: Option<Due>,
    pub waiting: bool,
}

impl TicketRow {
    pub fn new(
        t: &Texts,
        clock: &Clock,
        ticket: &Ticket,
        categories: &HashMap<i64, String>,
        reading: Option<&SlaReading>,
    ) -> Self {
        Self {
            id: ticket.id.0,
            title: ticket.title.clone(),
            status: ticket.status.as_str(),
            status_label: view::status_label(t, ticket.status),
            priority: ticket.priority.as_str(),
            priority_label: view::priority_label(t, ticket.priority),
            category: ticket
                .category_id
                .and_then(|c| categories.get(&c.0).cloned())
                .unwrap_or_default(),
            room: ticket.room_number.clone(),
            creator: ticket.creator_name.clone().unwrap_or_default(),
            assignee: ticket.assigned_to_name.clone().unwrap_or_default(),
            created: clock.when(&ticket.created_at),
            updated: clock.when(&ticket.updated_at),
            awaiting: ticket.awaits_reply(),
            due: reading.map(|r| Due::resolution(t, clock, r)),
            waiting: ticket.waiting_on_requester,
        }
    }
}

/// The rows of a page of tickets, with their clocks as the service read them.
pub fn rows(l: &Layout, tickets: &[Ticket], categories: &HashMap<i64, String>) -> Vec<TicketRow> {
    tickets
        .iter()
        .map(|ticket| TicketRow::new(l.t, &l.clock, ticket, categories, ticket.reading.as_ref()))
        .collect()
}

/// A sortable column's heading: where clicking it leads and which way it sorts now.
#[derive(Debug)]
pub struct SortLink {
    pub href: String,
    /// `ascending`, `descending` or `none`, as `aria-sort` wants it.
    pub state: &'static str,
}

/// The headings of the sortable columns, keeping the other filters.
#[derive(Debug, Default)]
pub struct SortLinks(HashMap<&'static str, SortLink>);

impl SortLinks {
    fn new(f: &TicketFilters, actor: &Actor) -> Self {
        let current = f.sort_or_default(actor);
        let links = [
            "id",
            "status",
            "priority",
            "created_at",
            "updated_at",
            "due_at",
        ]
        .into_iter()
        .map(|key| {
            let (state, next) = match current.strip_prefix('-') {
                Some(k) if k == key => ("descending", key.to_string()),
                None if current == key => ("ascending", format!("-{key}")),
                _ => ("none", format!("-{key}")),
            };
            let query = serde_urlencoded::to_string(TicketFilters {
                sort: next,
                page: None,
                ..f.clone()
            })
            .unwrap_or_default();
            (
                key,
                SortLink {
                    href: format!("/ui/tickets?{query}"),
                    state,
                },
            )
        })
        .collect();
        Self(links)
    }

    pub fn get(&self, key: &str) -> Option<&SortLink> {
        self.0.get(key)
    }
}

/// The heading link of column `key`, on a list that sorts.
pub fn sort_link<'a>(sort: &'a Option<SortLinks>, key: &str) -> Option<&'a SortLink> {
    sort.as_ref().and_then(|s| s.get(key))
}

/// Category names by id, inactive ones included for staff.
pub async fn category_names(
    service: &Service,
    actor: &Actor,
) -> Result<HashMap<i64, String>, WebError> {
    Ok(service
        .categories()
        .list(
            actor,
            actor.role.is_staff(),
            Page::new(0, Page::MAX_LIMIT as i64),
        )
        .await?
        .into_iter()
        .map(|c| (c.id.0, c.name))
        .collect())
}

#[derive(Template)]
#[template(path = "tickets/list.html")]
struct ListPage {
    l: Layout,
    f: TicketFilters,
    /// Where "reset" leads, when the filters shown are the account's remembered ones.
    reset: Option<String>,
    rows: Vec<TicketRow>,
    pager: Pager,
    /// The total as shown: exact, or "10000+".
    total: String,
    views: Vec<Choice>,
    statuses: Vec<Choice>,
    priorities: Vec<Choice>,
    categories: Vec<Choice>,
    sort: Option<SortLinks>,
    bulk: bool,
    assignees: Vec<Choice>,
}

/// The filters the list shows: those in the URL; with none, the account's last ones (then
/// `true`: the page says so and offers a reset), else the role's landing view. Filters that
/// differ from the remembered ones are remembered.
async fn chosen_filters(
    req: &Request,
    session: &Session,
    service: &Service,
    asked: TicketFilters,
) -> (TicketFilters, bool) {
    let remembered = req
        .cookie()
        .get(FILTERS_COOKIE)
        .map(|c| c.value_str().to_string())
        .unwrap_or_default();
    if asked.is_empty() {
        let landing = TicketFilters::landing(&session.actor);
        return match serde_urlencoded::from_str::<TicketFilters>(&remembered) {
            Ok(f) if !f.is_empty() && f != landing => (f, true),
            _ => (landing, false),
        };
    }
    let query = serde_urlencoded::to_string(&asked).unwrap_or_default();
    if query != remembered
        && let Ok(change) = PreferencesChange::default().with_filters(&query)
    {
        // Remembering is a comfort: failing to must not cost the visitor the list.
        if let Ok(prefs) = service
            .users()
            .set_preferences(&session.actor, change, &session.client)
            .await
        {
            preferences::apply(req, &prefs);
        }
    }
    (asked, false)
}

#[handler]
pub async fn list(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Query(asked): Query<TicketFilters>,
) -> Result<Response, WebError> {
    let (f, remembered) = chosen_filters(req, &session, service, asked).await;
    let actor = &session.actor;
    let mut number = page_number(f.page.as_deref());
    let window = |n: u64| Page {
        offset: Pager::offset(n),
        limit: PAGE_SIZE,
    };
    let tickets = service.tickets();
    let clock = Clock::of(req, session.lang.texts());
    let mut found = tickets
        .list(actor, f.query(actor, window(number), &clock)?)
        .await?;
    // Past the end (an old link, a list that shrank): the last page instead.
    if found.items.is_empty() && number > Pager::last(found.total) {
        number = Pager::last(found.total);
        found = tickets
            .list(actor, f.query(actor, window(number), &clock)?)
            .await?;
    }
    let names = category_names(service, actor).await?;
    let l = Layout::new(req, &session, service).await;
    let t = l.t;
    let mut categories: Vec<Choice> = names
        .iter()
        .map(|(id, name)| Choice::new(id.to_string(), name.clone(), &f.category))
        .collect();
    categories.sort_by(|a, b| a.label.cmp(&b.label));
    let staff = actor.role.is_staff();
    let assignees = if staff {
        crate::pages::assignees::choices(service, actor, t, "").await?
    } else {
        Vec::new()
    };
    page(&ListPage {
        reset: remembered.then(|| {
            let start = if staff { "work" } else { "all" };
            format!("/ui/tickets?view={start}")
        }),
        rows: rows(&l, &found.items, &names),
        total: if found.total > COUNT_LIMIT {
            format!("{COUNT_LIMIT}+")
        } else {
            found.total.to_string()
        },
        pager: Pager::new("/ui/tickets", &f, number, Some(found.total), false),
        views: STAFF_VIEWS
            .into_iter()
            .map(|v| Choice::new(v, view_label(t, v), &f.view))
            .collect(),
        statuses: view::status_choices(t, &f.status),
        priorities: view::priority_choices(t, &f.priority),
        categories,
        sort: Some(SortLinks::new(&f, &session.actor)),
        bulk: staff,
        assignees,
        f,
        l,
    })
}

/// "Next ticket": takes the soonest due of the queue and opens it; an empty queue says so
/// on the list.
#[handler]
pub async fn take_next(
    req: &Request,
    session: Session,
    Data(service): Data<&Service>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    session.check_csrf(&form.csrf)?;
    let t = session.lang.texts();
    match service
        .assignment()
        .next_ticket(&session.actor, &session.client)
        .await
    {
        Ok(ticket) => Ok(done(
            req,
            t.ticket_taken,
            &format!("/ui/tickets/{}", ticket.id),
        )),
        Err(ServiceError::Domain(DomainError::QueueEmpty)) => {
            Flash::error(t.queue_empty, Vec::new()).store(req.cookie());
            Ok(Redirect::see_other("/ui/tickets").into_response())
        }
        Err(e) => Err(WebError::back("/ui/tickets")(e)),
    }
}

fn view_label(t: &Texts, view: &str) -> &'static str {
    match view {
        "work" => t.view_work,
        "queue" => t.view_queue,
        "mine" => t.view_mine,
        "unassigned_high" => t.view_unassigned_high,
        "overdue" => t.view_overdue,
        "due_today" => t.view_due_today,
        _ => t.view_all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fixdesk_usecases::domain::{Role, SessionId, UserId};

    fn someone(role: Role) -> Actor {
        Actor {
            id: UserId(1),
            username: "someone".into(),
            full_name: None,
            role,
            session: SessionId("s".into()),
        }
    }

    #[test]
    fn staffs_working_views_read_soonest_due_first_unless_a_column_is_chosen() {
        let view = |v: &str, sort: &str| TicketFilters {
            view: v.into(),
            sort: sort.into(),
            ..TicketFilters::default()
        };
        let agent = someone(Role::Agent);
        for v in ["work", "queue", "mine", "overdue"] {
            assert_eq!(view(v, "").sort_or_default(&agent), "due_at", "{v}");
            let links = SortLinks::new(&view(v, ""), &agent);
            assert_eq!(links.get("due_at").map(|l| l.state), Some("ascending"));
        }
        assert_eq!(view("all", "").sort_or_default(&agent), "-created_at");
        assert_eq!(view("work", "-id").sort_or_default(&agent), "-id");
        assert_eq!(
            view("", "").sort_or_default(&someone(Role::User)),
            "-created_at"
        );
    }

    #[test]
    fn sorting_a_column_flips_its_direction_and_keeps_the_filters() {
        let f = TicketFilters {
            status: "new".into(),
            sort: "-updated_at".into(),
            page: Some("3".into()),
            ..TicketFilters::default()
        };
        let links = SortLinks::new(&f, &someone(Role::Agent));
        let updated = links.get("updated_at").expect("a link");
        assert_eq!(updated.state, "descending");
        assert_eq!(updated.href, "/ui/tickets?status=new&sort=updated_at");
        let id = links.get("id").expect("a link");
        assert_eq!(id.state, "none");
        assert_eq!(id.href, "/ui/tickets?status=new&sort=-id");
    }

    #[test]
    fn an_empty_query_is_a_landing() {
        assert!(TicketFilters::default().is_empty());
        assert!(
            TicketFilters {
                page: Some("2".into()),
                ..TicketFilters::default()
            }
            .is_empty()
        );
        assert!(
            !TicketFilters {
                q: "1014".into(),
                ..TicketFilters::default()
            }
            .is_empty()
        );
    }
}
