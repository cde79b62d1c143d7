//! Org units in the database: loaded from the repository's data file at `init`.

use plan361_core::org::{OrgKind, OrgUnit, OrgUnits};
use sqlx::Row;

use crate::{Result, Store, StoreError};

fn kind_code(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::City => "city",
        OrgKind::District => "district",
        OrgKind::Zone => "zone",
        OrgKind::Department => "department",
    }
}

fn kind_from_code(code: &str) -> Result<OrgKind> {
    match code {
        "city" => Ok(OrgKind::City),
        "district" => Ok(OrgKind::District),
        "zone" => Ok(OrgKind::Zone),
        "department" => Ok(OrgKind::Department),
        other => Err(StoreError::corrupt(format!("unknown org unit kind \"{other}\" in the database"))),
    }
}

impl Store {
    /// Adds the org units that are not in the database yet (names are their identity; existing
    /// units keep their data). Returns how many were added.
    pub async fn add_org_units(&self, units: &OrgUnits) -> Result<usize> {
        let mut tx = self.begin_write().await?;
        let mut added = 0;
        for (position, unit) in units.all().iter().enumerate() {
            let exists: Option<String> = sqlx::query_scalar("SELECT name FROM org_units WHERE name = $1")
                .bind(&unit.name)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                continue;
            }
            sqlx::query(
                "INSERT INTO org_units (name, kind, code, full_name, hosts, note, position) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&unit.name)
            .bind(kind_code(unit.kind))
            .bind(unit.code.clone().unwrap_or_default())
            .bind(unit.full_name.clone().unwrap_or_default())
            .bind(unit.hosts.join("、"))
            .bind(unit.note.clone().unwrap_or_default())
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
            added += 1;
        }
        tx.commit().await?;
        self.invalidate();
        Ok(added)
    }

    pub(crate) async fn read_org_units(&self, conn: &mut sqlx::AnyConnection) -> Result<OrgUnits> {
        let rows =
            sqlx::query("SELECT name, kind, code, full_name, hosts, note FROM org_units ORDER BY position, name")
                .fetch_all(conn)
                .await?;
        let none_if_empty = |text: String| (!text.is_empty()).then_some(text);
        let units = rows
            .iter()
            .map(|row| {
                let hosts: String = row.try_get("hosts")?;
                Ok(OrgUnit {
                    name: row.try_get("name")?,
                    kind: kind_from_code(&row.try_get::<String, _>("kind")?)?,
                    code: none_if_empty(row.try_get("code")?),
                    full_name: none_if_empty(row.try_get("full_name")?),
                    hosts: hosts.split('、').filter(|h| !h.is_empty()).map(str::to_string).collect(),
                    note: none_if_empty(row.try_get("note")?),
                })
            })
            .collect::<Result<Vec<OrgUnit>>>()?;
        OrgUnits::new(units).map_err(|e| StoreError::corrupt(format!("org units in the database: {e}")))
    }
}
