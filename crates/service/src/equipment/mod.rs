//! The equipment inventory and its maintenance records.

pub(crate) mod planned_completion;
pub(crate) mod preventive;
mod reliability_file;
pub(crate) mod state;

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use fixdesk_domain::{
    Actor, CategoryId, ClientInfo, DomainError, Equipment, EquipmentChanges, EquipmentFilter,
    EquipmentId, ExportLayout, Maintenance, NewEquipment, NewMaintenance, Page, Removal,
    TicketQuery,
    category::category_named,
    reliability::{self, Figures, GroupBy, Tally},
};
use fixdesk_repository::{categories, equipment, maintenance, statistics, tickets};
use fixdesk_usecases::{EquipmentUseCases, ServiceError, TicketPage, async_trait};

use crate::{Tickets, context::Context, trail};

/// Types offered even before any item of them exists, as the old service did.
const COMMON_KINDS: [&str; 4] = ["computer", "printer", "monitor", "projector"];
const COMMON_LOCATIONS: [&str; 2] = ["Офис 101", "Офис 102"];

#[derive(Debug, Clone)]
pub struct EquipmentRegister {
    ctx: Arc<Context>,
    tickets: Tickets,
}

fn with_suggestions(mut known: Vec<String>, suggestions: &[&str]) -> Vec<String> {
    for s in suggestions {
        if !known.iter().any(|k| k == s) {
            known.push((*s).to_string());
        }
    }
    known
}

/// Where an item belongs and the type it shows: the category chosen by id, else the one its
/// type names ignoring case (either way the type is the category's name), else none (the type
/// text is kept as given).
async fn placed<C: fixdesk_db::ConnectionTrait>(
    conn: &C,
    chosen: Option<CategoryId>,
    kind: &str,
) -> Result<(Option<CategoryId>, String), ServiceError> {
    if let Some(id) = chosen {
        let c = categories::find(conn, id)
            .await?
            .ok_or(DomainError::UnknownCategory)?;
        return Ok((Some(c.id), c.name));
    }
    let mut names: Vec<(i64, String)> = categories::names(conn).await?.into_iter().collect();
    names.sort_unstable();
    let named = names.iter().map(|(id, n)| (CategoryId(*id), n.as_str()));
    Ok(match category_named(kind, named) {
        Some(id) => {
            let name = names
                .iter()
                .find(|(i, _)| *i == id.0)
                .map(|(_, n)| n.clone());
            (Some(id), name.unwrap_or_else(|| kind.to_string()))
        }
        None => (None, kind.to_string()),
    })
}

impl EquipmentRegister {
    pub(crate) fn new(ctx: Arc<Context>, tickets: Tickets) -> Self {
        Self { ctx, tickets }
    }

    async fn load(&self, id: EquipmentId) -> Result<Equipment, ServiceError> {
        equipment::find(self.ctx.db.reader(), id)
            .await?
            .ok_or_else(|| DomainError::EquipmentNotFound.into())
    }
}

#[async_trait]
impl EquipmentUseCases for EquipmentRegister {
    async fn list(
        &self,
        _actor: &Actor,
        mut filter: EquipmentFilter,
        category: Option<CategoryId>,
        page: Page,
    ) -> Result<Vec<Equipment>, ServiceError> {
        // An unknown category has no equipment (the old service returned everything).
        if category.is_some() {
            filter.category_id = category;
        }
        Ok(equipment::list(self.ctx.db.reader(), &filter, page).await?)
    }

    async fn kinds(&self, _actor: &Actor) -> Result<Vec<String>, ServiceError> {
        Ok(with_suggestions(
            equipment::kinds(self.ctx.db.reader()).await?,
            &COMMON_KINDS,
        ))
    }

    async fn locations(&self, _actor: &Actor) -> Result<Vec<String>, ServiceError> {
        Ok(with_suggestions(
            equipment::locations(self.ctx.db.reader()).await?,
            &COMMON_LOCATIONS,
        ))
    }

    async fn held_values(
        &self,
        _actor: &Actor,
    ) -> Result<(Vec<String>, Vec<String>), ServiceError> {
        let conn = self.ctx.db.reader();
        Ok((
            equipment::kinds(conn).await?,
            equipment::locations(conn).await?,
        ))
    }

    async fn get(&self, _actor: &Actor, id: EquipmentId) -> Result<Equipment, ServiceError> {
        self.load(id).await
    }

    async fn create(
        &self,
        actor: &Actor,
        mut new: NewEquipment,
        client: &ClientInfo,
    ) -> Result<Equipment, ServiceError> {
        actor.require_staff()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        (new.category_id, new.kind) = placed(uow.conn(), new.category_id, &new.kind).await?;
        let e = equipment::insert(uow.conn(), new, actor.id, now).await?;
        trail::commit(uow, trail::equipment_created(actor.id, &e, client), now).await?;
        Ok(e)
    }

    async fn update(
        &self,
        actor: &Actor,
        id: EquipmentId,
        mut changes: EquipmentChanges,
        client: &ClientInfo,
    ) -> Result<Equipment, ServiceError> {
        actor.require_staff()?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let before = equipment::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::EquipmentNotFound)?;
        match (changes.category_id, &changes.kind) {
            (Some(Some(chosen)), _) => {
                let (category, kind) = placed(uow.conn(), Some(chosen), "").await?;
                (changes.category_id, changes.kind) = (Some(category), Some(kind));
            }
            (None, Some(kind)) => {
                changes.category_id = Some(placed(uow.conn(), None, kind).await?.0);
            }
            _ => {}
        }
        let after = equipment::update(uow.conn(), id, changes, actor.id, now).await?;
        trail::commit(
            uow,
            trail::equipment_updated(actor.id, &before, &after, client),
            now,
        )
        .await?;
        Ok(after)
    }

    async fn delete(
        &self,
        actor: &Actor,
        id: EquipmentId,
        client: &ClientInfo,
    ) -> Result<Removal, ServiceError> {
        actor
            .require_admin()
            .map_err(|_| DomainError::EquipmentDeleteAdminOnly)?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let e = equipment::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::EquipmentNotFound)?;
        let used = tickets::for_equipment(uow.conn(), id).await?;
        let referenced = used > 0;
        if referenced {
            equipment::retire(uow.conn(), id, actor.id, now).await?;
        } else {
            equipment::delete(uow.conn(), id).await?;
        }
        trail::commit(
            uow,
            trail::equipment_deleted(actor.id, &e, referenced, client),
            now,
        )
        .await?;
        Ok(if referenced {
            Removal::KeptForTickets(used)
        } else {
            Removal::Deleted
        })
    }

    async fn add_maintenance(
        &self,
        actor: &Actor,
        id: EquipmentId,
        new: NewMaintenance,
        client: &ClientInfo,
    ) -> Result<Maintenance, ServiceError> {
        actor.require_staff()?;
        fixdesk_domain::text::plain("description", &new.description).map_err(DomainError::from)?;
        let now = self.ctx.clock.now();
        let uow = self.ctx.db.begin_write().await?;
        let e = equipment::find(uow.conn(), id)
            .await?
            .ok_or(DomainError::EquipmentNotFound)?;
        let performed_at = new.performed_at.unwrap_or(now);
        let m = maintenance::insert(
            uow.conn(),
            id,
            new.kind,
            new.description,
            performed_at,
            actor.id,
            new.work,
        )
        .await?;
        let newest = maintenance::newest(uow.conn(), id).await?;
        equipment::set_last_maintenance(uow.conn(), id, newest).await?;
        trail::commit(
            uow,
            trail::maintenance_recorded(actor.id, &e, &m, client),
            now,
        )
        .await?;
        Ok(m)
    }

    async fn history(
        &self,
        _actor: &Actor,
        id: EquipmentId,
    ) -> Result<Vec<Maintenance>, ServiceError> {
        self.load(id).await?;
        Ok(maintenance::for_equipment(self.ctx.db.reader(), id).await?)
    }

    async fn tickets(
        &self,
        actor: &Actor,
        id: EquipmentId,
        mut query: TicketQuery,
    ) -> Result<TicketPage, ServiceError> {
        self.load(id).await?;
        query.filter.equipment_id = Some(id);
        self.tickets.page(actor, query).await
    }

    async fn reliability(
        &self,
        actor: &Actor,
        by: GroupBy,
        days: u32,
    ) -> Result<Vec<Figures>, ServiceError> {
        actor.require_staff()?;
        let days = days.clamp(1, 3660);
        let now = self.ctx.clock.now();
        let to = now.date();
        let from = to - chrono::Days::new(u64::from(days - 1));
        let conn = self.ctx.db.reader();
        let mut per_item: HashMap<i64, Tally> = HashMap::new();
        for (item, [failures, repairs, minutes, downtime]) in
            statistics::equipment_between(conn, from, to).await?
        {
            let t = per_item.entry(item).or_default();
            (t.failures, t.repairs, t.repair_minutes) = (failures, repairs, minutes);
            t.downtime_minutes = downtime;
        }
        // Whole days, as the counters count: today's records (even this second's) included.
        let start = from.and_hms_opt(0, 0, 0).unwrap_or(now);
        let end = (to + chrono::Days::new(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or(now);
        for (item, currency, downtime, cost) in
            maintenance::totals_between(conn, start, end).await?
        {
            let t = per_item.entry(item).or_default();
            t.maintenance_minutes += downtime;
            if !currency.is_empty() {
                *t.costs.entry(currency).or_default() += cost;
            }
        }
        let every = Page {
            offset: 0,
            limit: i64::MAX as u64,
        };
        let items = equipment::list(conn, &EquipmentFilter::default(), every).await?;
        let category_names = categories::names(conn).await?;
        let mut groups: BTreeMap<String, (String, Tally)> = BTreeMap::new();
        for e in items {
            let (key, label) = match by {
                GroupBy::Item => (
                    e.id.0.to_string(),
                    format!("{} ({})", e.name, e.asset_tag()),
                ),
                GroupBy::Model => {
                    let model = e.model.clone().unwrap_or_default();
                    (model.clone(), model)
                }
                GroupBy::Category => match e.category_id {
                    Some(c) => (
                        c.0.to_string(),
                        category_names.get(&c.0).cloned().unwrap_or_default(),
                    ),
                    None => (String::new(), e.kind.clone().unwrap_or_default()),
                },
                GroupBy::Location => {
                    let place = e.location.clone().unwrap_or_default();
                    (place.clone(), place)
                }
            };
            let mut tally = per_item.remove(&e.id.0).unwrap_or_default();
            tally.items = 1;
            groups
                .entry(key)
                .or_insert_with(|| (label, Tally::default()))
                .1
                .add(&tally);
        }
        let period = i64::from(days) * 24 * 60;
        let mut rows: Vec<Figures> = groups
            .into_iter()
            .map(|(key, (label, tally))| Figures::of(key, label, tally, period))
            .collect();
        reliability::rank(&mut rows);
        Ok(rows)
    }

    async fn reliability_file(
        &self,
        actor: &Actor,
        by: GroupBy,
        days: u32,
        layout: ExportLayout,
    ) -> Result<Vec<u8>, ServiceError> {
        let rows = self.reliability(actor, by, days).await?;
        reliability_file::write(rows, layout).await
    }
}
