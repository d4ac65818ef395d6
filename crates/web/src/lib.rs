//! The fixdesk web interface: server-rendered pages for every role, served by the same binary
//! as the JSON API under `/ui`. Like the API it is a transport: it calls the use cases of
//! `fixdesk-usecases` and never reaches the database. Templates are compiled in (askama) and
//! the two assets are embedded, so there is no build step beyond `cargo build` and the pages
//! work offline.
//!
//! Browser sessions live in an HttpOnly, SameSite cookie holding the same revocable session
//! token the API issues; every form carries a CSRF token derived from it (see [`csrf`]).

mod assets;
mod clock;
mod cookies;
mod csrf;
mod due;
mod durations;
mod error;
mod field_errors;
mod flash;
mod form;
mod guard;
mod i18n;
mod layout;
mod pages;
mod preferences;
mod session;
mod view;

use poem::{Endpoint, EndpointExt, Route, get, middleware::CookieJarManager, post};

pub use error::WebError;
pub use fixdesk_edge::Service;

/// The route label of a page for metrics: the pages are counted together.
pub fn route_label(path: &str) -> Option<&'static str> {
    (path == "/ui" || path.starts_with("/ui/")).then_some("/ui")
}

/// Settings of the web interface.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (only sent over HTTPS). On everywhere but local development.
    pub secure_cookies: bool,
    /// The zone times are shown in until a visitor's own is known (no script, first page).
    pub default_time_zone: fixdesk_usecases::domain::TimeZone,
    /// The address people open the desk at (`https://desk.example.org`): what printed labels'
    /// codes point to.
    pub public_url: String,
}

/// Every page and form of the interface, to be nested under `/ui`.
pub fn routes(service: Service, config: WebConfig) -> impl Endpoint<Output = poem::Response> {
    use pages::*;
    Route::new()
        .at("/", get(tickets::home))
        .at("/assets/:name", get(assets::serve))
        .at("/login", get(auth::login_page).post(auth::login))
        .at("/logout", post(auth::logout))
        .at("/lang", post(auth::switch_language))
        .at("/account", get(account::show).post(account::save))
        .at("/account/zone", post(account::report_zone))
        .at(
            "/password",
            get(account::password_page).post(auth::change_password),
        )
        .at("/tickets", get(tickets::list))
        .at(
            "/tickets/new",
            get(new_ticket::show_form).post(new_ticket::create),
        )
        .at("/tickets/export", post(exports::start))
        .at("/tickets/bulk", post(bulk::apply))
        .at("/tickets/next", post(tickets::take_next))
        .at("/tickets/:id", get(ticket::show))
        .at("/tickets/:id/take", post(ticket_actions::take))
        .at("/tickets/:id/status", post(ticket_actions::set_status))
        .at("/tickets/:id/assign", post(ticket_actions::assign))
        .at("/tickets/:id/close", post(ticket_actions::close))
        .at("/tickets/:id/reopen", post(ticket_actions::reopen))
        .at("/tickets/:id/delete", post(ticket_actions::remove))
        .at("/tickets/:id/messages", post(ticket_actions::post_message))
        .at("/tickets/:id/waiting", post(ticket_actions::waiting))
        .at("/tickets/:id/details", post(ticket_actions::edit_details))
        .at("/tickets/:id/checklist", post(ticket_actions::tick))
        .at("/canned", get(canned::list).post(canned::create))
        .at("/canned/:id", post(canned::update))
        .at("/canned/:id/delete", post(canned::delete))
        .at("/tickets/:id/merge", post(ticket_merge::merge))
        .at("/tickets/:id/follow", post(ticket_merge::follow))
        .at("/tickets/:id/unfollow", post(ticket_merge::unfollow))
        .at("/tickets/:id/attachments", post(attachments::upload))
        .at("/attachments/:id", get(attachments::download))
        .at("/exports/:id", get(exports::show))
        .at("/exports/:id/download", get(exports::download))
        .at("/equipment", get(equipment::list))
        .at("/equipment/labels", get(labels::sheets))
        .at("/equipment/health", get(health::show))
        .at("/equipment/health.csv", get(health::csv))
        .at("/equipment/health.xlsx", get(health::xlsx))
        .at("/equipment/:id/label.svg", get(labels::one))
        .at("/r/:id", get(labels::report))
        .at(
            "/equipment/new",
            get(equipment_form::new_form).post(equipment_form::create),
        )
        .at("/equipment/:id", get(equipment::show))
        .at(
            "/equipment/:id/edit",
            get(equipment_form::edit_form).post(equipment_form::update),
        )
        .at("/equipment/:id/delete", post(equipment_form::delete))
        .at("/equipment/:id/schedules", post(schedules::add))
        .at(
            "/equipment/:id/schedules/:schedule/delete",
            post(schedules::delete),
        )
        .at(
            "/equipment/:id/maintenance",
            post(equipment::add_maintenance),
        )
        .at("/users", get(users::list))
        .at("/users/new", get(users::new_form).post(users::create))
        .at("/users/:id", get(users::edit_form).post(users::update))
        .at("/users/:id/delete", post(users::delete))
        .at(
            "/categories",
            get(categories::list).post(categories::create),
        )
        .at("/categories/:id", post(categories::update))
        .at("/service-levels", get(service_levels::show))
        .at(
            "/service-levels/calendars",
            post(service_levels::add_calendar),
        )
        .at("/service-levels/policies", post(service_levels::add_policy))
        .at(
            "/service-levels/calendars/:id",
            post(service_levels::update_calendar),
        )
        .at(
            "/service-levels/policies/:id",
            post(service_levels::update_policy),
        )
        .at(
            "/service-levels/:kind/:id/delete",
            post(service_levels::delete),
        )
        .at("/categories/:id/delete", post(categories::delete))
        .at("/assignment", get(assignment::show))
        .at("/assignment/rules", post(assignment::add_rule))
        .at(
            "/assignment/rules/:id/toggle",
            post(assignment::toggle_rule),
        )
        .at(
            "/assignment/rules/:id/delete",
            post(assignment::delete_rule),
        )
        .at("/assignment/absences", post(assignment::add_absence))
        .at(
            "/assignment/absences/:user/:id/delete",
            post(assignment::remove_absence),
        )
        .at("/audit", get(audit::list))
        .at("/audit/export.csv", get(audit::export))
        .at("/backups", get(backups::show))
        .at("/backups/start", post(backups::start))
        .at("/mail", get(mail::list))
        .at("/mail/:id", get(mail::read))
        .at("/mail/:id/redeliver", post(mail::redeliver))
        .at("/mail/:id/discard", post(mail::discard))
        .at("/stats", get(stats::dashboard))
        .at("/stats/rebuild", post(stats::rebuild))
        .at("/search", get(search::search))
        .at("/notifications", get(notifications::list))
        .at("/notifications/read-all", post(notifications::read_all))
        .at(
            "/notifications/settings",
            post(notifications::save_settings),
        )
        .at("/notifications/:id/read", post(notifications::read))
        .at("/events", get(notifications::events))
        .with(guard::PageGuard)
        .with(CookieJarManager::new())
        .data(service)
        .data(config)
}
