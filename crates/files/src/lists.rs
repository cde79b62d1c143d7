//! The four lists as files: one flat table per list, what `list export` writes and `list import`
//! reads (CSV or XLSX). An enterprise with several honours takes one row per honour, its own
//! columns repeated; dated series (investment by period, renovations) go in one cell as
//! `KEY:VALUE;KEY:VALUE`.

use std::collections::HashMap;

use plan361_core::calendar::Date;
use plan361_core::registry::{
    ClusterOverride, Enterprise, Entity, Honour, ListKind, MajorProject, Park, Platform, Renovation,
};

use crate::table::{self, Records};
use crate::xlsx::Cell;
use crate::{FileErrors, RowError};

/// The columns of each list's file, in order; the first is the entry's key.
pub fn columns(list: ListKind) -> &'static [&'static str] {
    match list {
        ListKind::Enterprises => &[
            "credit_code",
            "name",
            "district",
            "industry",
            "above_scale",
            "clusters",
            "cluster_reason",
            "honour",
            "level",
            "granted",
            "revoked",
            "note",
        ],
        ListKind::Projects => &[
            "code",
            "name",
            "owner",
            "cluster",
            "district",
            "category",
            "origin",
            "investment",
            "signed",
            "landed",
            "started",
            "completed",
            "invested",
        ],
        ListKind::Parks => {
            &["code", "name", "kind", "level", "district", "area_mu", "leading_cluster", "established", "renovations"]
        }
        ListKind::Platforms => {
            &["code", "name", "level", "kind", "host", "cluster", "district", "recognized", "revoked"]
        }
    }
}

/// Chinese column titles for templates and exports, in the order of [`columns`].
pub fn titles(list: ListKind) -> &'static [&'static str] {
    match list {
        ListKind::Enterprises => &[
            "统一社会信用代码",
            "企业名称",
            "所在区县(市)",
            "行业代码(GB/T 4754小类)",
            "规上年份(;分隔)",
            "所属集群(手工指定)",
            "手工指定原因",
            "荣誉",
            "级别",
            "授予日期",
            "撤销日期",
            "备注",
        ],
        ListKind::Projects => &[
            "项目编号",
            "项目名称",
            "业主企业",
            "所属集群",
            "所在区县(市)",
            "类别",
            "来源(国内/外资)",
            "总投资(亿元)",
            "签约日期",
            "落地日期",
            "开工日期",
            "投产日期",
            "完成投资(期:亿元;…)",
        ],
        ListKind::Parks => {
            &["园区编号", "名称", "类型", "级别", "所在区县(市)", "面积(亩)", "主导集群", "设立日期", "改造(日期:亩;…)"]
        }
        ListKind::Platforms => {
            &["平台编号", "名称", "级别", "类型", "依托单位", "所属集群", "所在区县(市)", "认定日期", "撤销日期"]
        }
    }
}

/// Reads a list file. Every cell that cannot be read (a date, a number) is reported with row
/// and column; the entries' meaning (codes, districts, permissions) is checked by the store.
pub fn read(list: ListKind, file: &str, bytes: &[u8]) -> Result<Vec<(usize, Entity)>, FileErrors> {
    let records = table::read(file, bytes, &columns(list)[..2])?;
    let mut errors = FileErrors::default();
    let mut entities: Vec<(usize, Entity)> = Vec::new();
    let mut enterprise_rows: HashMap<String, usize> = HashMap::new();
    for (line, cells) in &records.rows {
        let mut row = RowReader { records: &records, cells, problems: Vec::new() };
        let parsed = row.entity(list);
        for (column, reason) in row.problems {
            errors.push(RowError {
                file: file.to_string(),
                sheet: records.sheet.clone(),
                row: *line,
                column: Some(records.column_label(column)),
                reason,
            });
        }
        let Some(entity) = parsed else { continue };
        // Further rows of the same enterprise add honours; its own columns must agree.
        if let Entity::Enterprise(e) = &entity
            && let Some(&index) = enterprise_rows.get(&e.credit_code)
        {
            if let (first_line, Entity::Enterprise(first)) = &mut entities[index] {
                let same = Enterprise { honours: first.honours.clone(), ..e.clone() };
                if &same != first {
                    errors.push(RowError {
                        file: file.to_string(),
                        sheet: records.sheet.clone(),
                        row: *line,
                        column: None,
                        reason: format!("{}: the enterprise's columns differ from row {first_line}", e.credit_code),
                    });
                }
                first.honours.extend(e.honours.iter().cloned());
            }
            continue;
        }
        if let Entity::Enterprise(e) = &entity {
            enterprise_rows.insert(e.credit_code.clone(), entities.len());
        }
        entities.push((*line, entity));
    }
    if errors.is_empty() { Ok(entities) } else { Err(errors) }
}

/// Reads one entry from named fields, named as the file's columns (a web form's fields). The
/// cells are read as a file's are; what cannot be read is reported by field.
pub fn read_fields(list: ListKind, fields: &[(String, String)]) -> Result<Entity, Vec<(&'static str, String)>> {
    let records =
        Records { sheet: None, header: fields.iter().map(|(name, _)| name.clone()).collect(), rows: Vec::new() };
    let cells: Vec<String> = fields.iter().map(|(_, value)| value.clone()).collect();
    let mut row = RowReader { records: &records, cells: &cells, problems: Vec::new() };
    match row.entity(list) {
        Some(entity) if row.problems.is_empty() => Ok(entity),
        _ => Err(row.problems),
    }
}

struct RowReader<'a> {
    records: &'a Records,
    cells: &'a [String],
    problems: Vec<(&'static str, String)>,
}

impl RowReader<'_> {
    fn entity(&mut self, list: ListKind) -> Option<Entity> {
        match list {
            ListKind::Enterprises => self.enterprise().map(Entity::Enterprise),
            ListKind::Projects => self.project().map(Entity::Project),
            ListKind::Parks => self.park().map(Entity::Park),
            ListKind::Platforms => self.platform().map(Entity::Platform),
        }
    }

    fn text(&self, column: &str) -> String {
        self.records.cell(self.cells, column).to_string()
    }

    fn date(&mut self, column: &'static str) -> Option<Date> {
        let text = self.text(column);
        if text.is_empty() {
            return None;
        }
        text.parse::<Date>().map_err(|e| self.problems.push((column, e))).ok()
    }

    fn number(&mut self, column: &'static str) -> f64 {
        let text = self.text(column);
        if text.is_empty() {
            return 0.0;
        }
        crate::observations::parse_number(&text).unwrap_or_else(|| {
            self.problems.push((column, format!("\"{text}\" is not a number")));
            0.0
        })
    }

    fn list(&self, column: &str) -> Vec<String> {
        self.text(column)
            .split([';', '；', '、'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// `KEY:VALUE;…` pairs, keys kept as text.
    fn series(&mut self, column: &'static str) -> Vec<(String, f64)> {
        let mut pairs = Vec::new();
        for item in self.list(column) {
            match item.split_once([':', '：']).map(|(k, v)| (k.trim(), crate::observations::parse_number(v))) {
                Some((key, Some(value))) => pairs.push((key.to_string(), value)),
                _ => self.problems.push((column, format!("\"{item}\" is not KEY:NUMBER"))),
            }
        }
        pairs
    }

    fn enterprise(&mut self) -> Option<Enterprise> {
        let above_scale = self
            .list("above_scale")
            .iter()
            .filter_map(|y| {
                y.parse::<i32>().map_err(|_| self.problems.push(("above_scale", format!("\"{y}\" is not a year")))).ok()
            })
            .collect();
        let clusters = self.list("clusters");
        let honour_kind = self.text("honour");
        let granted = self.date("granted");
        let revoked = self.date("revoked");
        let honours = match (honour_kind.is_empty(), granted) {
            (true, _) => Vec::new(),
            (false, Some(granted)) => {
                vec![Honour { kind: honour_kind, level: self.text("level"), granted, revoked, note: self.text("note") }]
            }
            (false, None) => {
                self.problems.push(("granted", format!("{honour_kind}: the date it was granted is required")));
                Vec::new()
            }
        };
        Some(Enterprise {
            credit_code: self.text("credit_code").to_uppercase(),
            name: self.text("name"),
            district: self.text("district"),
            industry: self.text("industry"),
            above_scale,
            cluster_override: (!clusters.is_empty())
                .then(|| ClusterOverride { clusters, reason: self.text("cluster_reason") }),
            honours,
        })
    }

    fn project(&mut self) -> Option<MajorProject> {
        Some(MajorProject {
            code: self.text("code"),
            name: self.text("name"),
            owner: self.text("owner"),
            cluster: self.text("cluster"),
            district: self.text("district"),
            category: self.text("category"),
            origin: self.text("origin"),
            investment: self.number("investment"),
            signed: self.date("signed"),
            landed: self.date("landed"),
            started: self.date("started"),
            completed: self.date("completed"),
            invested: self.series("invested"),
        })
    }

    fn park(&mut self) -> Option<Park> {
        let renovations = self
            .series("renovations")
            .into_iter()
            .filter_map(|(date, mu)| match date.parse::<Date>() {
                Ok(date) => Some(Renovation { date, mu }),
                Err(e) => {
                    self.problems.push(("renovations", e));
                    None
                }
            })
            .collect();
        Some(Park {
            code: self.text("code"),
            name: self.text("name"),
            kind: self.text("kind"),
            level: self.text("level"),
            district: self.text("district"),
            area_mu: self.number("area_mu"),
            leading_cluster: self.text("leading_cluster"),
            established: self.date("established"),
            renovations,
        })
    }

    fn platform(&mut self) -> Option<Platform> {
        let recognized = self.date("recognized");
        if recognized.is_none() && self.problems.iter().all(|(c, _)| *c != "recognized") {
            self.problems.push(("recognized", "the date it was recognised is required".into()));
        }
        Some(Platform {
            code: self.text("code"),
            name: self.text("name"),
            level: self.text("level"),
            kind: self.text("kind"),
            host: self.text("host"),
            cluster: self.text("cluster"),
            district: self.text("district"),
            recognized: recognized?,
            revoked: self.date("revoked"),
        })
    }
}

fn date_cell(date: Option<Date>) -> Cell {
    date.map_or(Cell::Empty, |d| Cell::Text(d.to_string()))
}

fn joined(items: impl IntoIterator<Item = String>) -> Cell {
    Cell::Text(items.into_iter().collect::<Vec<_>>().join(";"))
}

/// The rows of a list's file for `entities`, in the order of [`columns`].
pub fn rows(entities: &[Entity]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for entity in entities {
        match entity {
            Entity::Enterprise(e) => {
                let own = |honour: Option<&Honour>| {
                    vec![
                        Cell::from(e.credit_code.as_str()),
                        e.name.as_str().into(),
                        e.district.as_str().into(),
                        e.industry.as_str().into(),
                        joined(e.above_scale.iter().map(i32::to_string)),
                        joined(e.cluster_override.iter().flat_map(|o| o.clusters.clone())),
                        e.cluster_override.as_ref().map_or("", |o| o.reason.as_str()).into(),
                        honour.map_or("", |h| h.kind.as_str()).into(),
                        honour.map_or("", |h| h.level.as_str()).into(),
                        date_cell(honour.map(|h| h.granted)),
                        date_cell(honour.and_then(|h| h.revoked)),
                        honour.map_or("", |h| h.note.as_str()).into(),
                    ]
                };
                if e.honours.is_empty() {
                    rows.push(own(None));
                }
                rows.extend(e.honours.iter().map(|h| own(Some(h))));
            }
            Entity::Project(p) => rows.push(vec![
                p.code.as_str().into(),
                p.name.as_str().into(),
                p.owner.as_str().into(),
                p.cluster.as_str().into(),
                p.district.as_str().into(),
                p.category.as_str().into(),
                p.origin.as_str().into(),
                Cell::Number(p.investment),
                date_cell(p.signed),
                date_cell(p.landed),
                date_cell(p.started),
                date_cell(p.completed),
                joined(p.invested.iter().map(|(period, amount)| format!("{period}:{amount}"))),
            ]),
            Entity::Park(p) => rows.push(vec![
                p.code.as_str().into(),
                p.name.as_str().into(),
                p.kind.as_str().into(),
                p.level.as_str().into(),
                p.district.as_str().into(),
                Cell::Number(p.area_mu),
                p.leading_cluster.as_str().into(),
                date_cell(p.established),
                joined(p.renovations.iter().map(|r| format!("{}:{}", r.date, r.mu))),
            ]),
            Entity::Platform(p) => rows.push(vec![
                p.code.as_str().into(),
                p.name.as_str().into(),
                p.level.as_str().into(),
                p.kind.as_str().into(),
                p.host.as_str().into(),
                p.cluster.as_str().into(),
                p.district.as_str().into(),
                date_cell(Some(p.recognized)),
                date_cell(p.revoked),
            ]),
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(list: ListKind, lines: &[&str]) -> Vec<u8> {
        let mut text = columns(list).join(",");
        for line in lines {
            text.push('\n');
            text.push_str(line);
        }
        text.into_bytes()
    }

    #[test]
    fn an_enterprise_with_two_honours_takes_two_rows() {
        let bytes = csv(
            ListKind::Enterprises,
            &[
                "91330206MA0000001X,甲公司,北仑区,3612,2024;2025,,,制造业单项冠军,国家级,2023-11-01,,",
                "91330206MA0000001X,甲公司,北仑区,3612,2024;2025,,,专精特新小巨人,国家级,2022-08-01,2025-08-01,",
                "91330212MA0000002X,乙公司,鄞州区,2511,,,,,,,,",
            ],
        );
        let entities = read(ListKind::Enterprises, "e.csv", &bytes).expect("valid");
        assert_eq!(entities.len(), 2);
        let Entity::Enterprise(first) = &entities[0].1 else { panic!("an enterprise") };
        assert_eq!(first.honours.len(), 2);
        assert_eq!(first.above_scale, [2024, 2025]);
        assert_eq!(first.honours[1].revoked.map(|d| d.to_string()).as_deref(), Some("2025-08-01"));
        let written = rows(&entities.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>());
        assert_eq!(written.len(), 3, "one row per honour, one for the enterprise without");
    }

    #[test]
    fn cells_that_cannot_be_read_are_named() {
        let bytes =
            csv(ListKind::Projects, &["P1,项目,,nev-equipment,北仑区,先进制造业,国内,十亿,2025-02-30,,,,2026-01:x"]);
        let errors = read(ListKind::Projects, "p.csv", &bytes).expect_err("bad cells");
        let columns: Vec<Option<&str>> = errors.iter().map(|e| e.column.as_deref()).collect();
        assert_eq!(columns, [Some("investment"), Some("signed"), Some("invested")]);
        assert!(errors.iter().all(|e| e.row == 2));
    }

    #[test]
    fn rows_that_disagree_about_an_enterprise_are_refused() {
        let bytes = csv(
            ListKind::Enterprises,
            &[
                "91330206MA0000001X,甲公司,北仑区,3612,,,,制造业单项冠军,国家级,2023-11-01,,",
                "91330206MA0000001X,甲公司,鄞州区,3612,,,,专精特新小巨人,国家级,2022-08-01,,",
            ],
        );
        let errors = read(ListKind::Enterprises, "e.csv", &bytes).expect_err("conflict");
        assert!(errors[0].reason.contains("differ from row 2"), "{}", errors[0].reason);
    }

    #[test]
    fn an_entry_reads_from_named_fields() {
        let fields = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let project = read_fields(
            ListKind::Projects,
            &fields(&[
                ("code", "P1"),
                ("name", "项目"),
                ("district", "北仑区"),
                ("investment", "12.5"),
                ("landed", "2025-03-01"),
            ]),
        )
        .expect("valid");
        let Entity::Project(p) = project else { panic!("a project") };
        assert_eq!((p.investment, p.landed.map(|d| d.to_string())), (12.5, Some("2025-03-01".into())));
        let problems = read_fields(ListKind::Platforms, &fields(&[("code", "T1"), ("recognized", "2025-02-30")]))
            .expect_err("bad");
        assert_eq!(problems.iter().map(|(c, _)| *c).collect::<Vec<_>>(), ["recognized"]);
    }

    #[test]
    fn every_list_round_trips_through_its_file() {
        for list in ListKind::ALL {
            assert_eq!(columns(list).len(), titles(list).len(), "{list:?}");
        }
        let bytes = csv(ListKind::Parks, &["K1,区块,工业区块,,北仑区,1200,,2019-05-01,2025-04-01:300;2026-04-01:200"]);
        let parks = read(ListKind::Parks, "k.csv", &bytes).expect("valid");
        let Entity::Park(park) = &parks[0].1 else { panic!("a park") };
        assert_eq!(park.renovations.len(), 2);
        let back = rows(&[parks[0].1.clone()]);
        assert_eq!(back[0][8], Cell::Text("2025-04-01:300;2026-04-01:200".into()));
    }
}
