use async_trait::async_trait;
use fixdesk_domain::{
    Actor, CategoryId, ClientInfo, Equipment, EquipmentChanges, EquipmentFilter, EquipmentId,
    Maintenance, NewEquipment, NewMaintenance, Page, Removal, TicketQuery,
};
use fixdesk_domain::{
    ExportLayout,
    reliability::{Figures, GroupBy},
};

use crate::{ServiceError, TicketPage};

/// The equipment inventory and its maintenance history. Everyone signed in reads it; staff
/// change it; only admins delete.
#[async_trait]
pub trait EquipmentUseCases: Send + Sync {
    /// Items matching the filter; with `category`, those whose type is that category's name
    /// (none when the category does not exist).
    async fn list(
        &self,
        actor: &Actor,
        filter: EquipmentFilter,
        category: Option<CategoryId>,
        page: Page,
    ) -> Result<Vec<Equipment>, ServiceError>;
    /// Known equipment types, then common ones not yet in use.
    async fn kinds(&self, actor: &Actor) -> Result<Vec<String>, ServiceError>;
    /// Known locations, then the usual suggestions not yet in use.
    async fn locations(&self, actor: &Actor) -> Result<Vec<String>, ServiceError>;
    /// The types and locations the desk's items have (no suggestions): what a list's filters
    /// can offer without offering what would find nothing.
    async fn held_values(&self, actor: &Actor) -> Result<(Vec<String>, Vec<String>), ServiceError>;
    async fn get(&self, actor: &Actor, id: EquipmentId) -> Result<Equipment, ServiceError>;
    async fn create(
        &self,
        actor: &Actor,
        new: NewEquipment,
        client: &ClientInfo,
    ) -> Result<Equipment, ServiceError>;
    async fn update(
        &self,
        actor: &Actor,
        id: EquipmentId,
        changes: EquipmentChanges,
        client: &ClientInfo,
    ) -> Result<Equipment, ServiceError>;
    /// Removes an item; one that tickets refer to is retired instead, so they stay readable.
    /// Says which.
    async fn delete(
        &self,
        actor: &Actor,
        id: EquipmentId,
        client: &ClientInfo,
    ) -> Result<Removal, ServiceError>;
    async fn add_maintenance(
        &self,
        actor: &Actor,
        id: EquipmentId,
        new: NewMaintenance,
        client: &ClientInfo,
    ) -> Result<Maintenance, ServiceError>;
    /// Maintenance records, newest first.
    async fn history(
        &self,
        actor: &Actor,
        id: EquipmentId,
    ) -> Result<Vec<Maintenance>, ServiceError>;
    /// Tickets filed against the item that the actor may see.
    async fn tickets(
        &self,
        actor: &Actor,
        id: EquipmentId,
        query: TicketQuery,
    ) -> Result<TicketPage, ServiceError>;
    /// Reliability over the last `days` days (today included), per item or summed over a
    /// model, category or location, the most failing first (staff). Read from counters.
    async fn reliability(
        &self,
        actor: &Actor,
        by: GroupBy,
        days: u32,
    ) -> Result<Vec<Figures>, ServiceError>;
    /// The same as a file in `layout`'s format (CSV or XLSX) with its headers (8 columns:
    /// name, items, failures, repairs, MTBF h, MTTR h, downtime h, cost).
    async fn reliability_file(
        &self,
        actor: &Actor,
        by: GroupBy,
        days: u32,
        layout: ExportLayout,
    ) -> Result<Vec<u8>, ServiceError>;
}
