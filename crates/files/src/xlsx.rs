//! Excel in and out: the reporting form a unit fills in, reading it (or any sheet with the
//! same columns, .xlsx or old .xls) back, and plain tables for export.
//!
//! The form's header row carries machine names (`target_id`, `org_unit`, `period`, `value`,
//! `comment`) under the Chinese labels, so a form keeps importing however a person rearranges
//! or re-saves it.

use plan361_core::Period;
use plan361_core::i18n::{self, Lang};
use plan361_core::plan::{Basis, Kind, Measure, Target, TargetKey};
use plan361_core::units;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// What a value cell of the form accepts: the rules of `core::observation::check` a
/// spreadsheet can enforce by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRule {
    Any,
    NonNegative,
    /// A count: a whole number, not negative.
    Whole,
    /// A milestone's share done in percent, 0 to 100.
    Percent,
}

impl ValueRule {
    /// The rule of a target's values (or of one measure of a two-sided target).
    pub fn of(target: &Target, measure: Option<&Measure>) -> ValueRule {
        let unit = measure.map_or(target.unit.as_str(), |m| m.unit.as_str());
        if target.kind == Kind::Milestone {
            ValueRule::Percent
        } else if units::is_count(unit) {
            ValueRule::Whole
        } else if matches!(target.basis, Basis::SinceStart(_)) {
            ValueRule::NonNegative
        } else {
            ValueRule::Any
        }
    }
}

/// One line of a reporting form.
#[derive(Clone, Debug)]
pub struct FormRow {
    /// A target id, or `id:measure`.
    pub target: String,
    pub indicator: String,
    pub unit: String,
    /// What the value is, in words (§3A.1): "1—N月累计", "2025年1月起累计新增" …
    pub basis: String,
    pub goal: String,
    pub org_unit: String,
    pub period: String,
    pub last_value: Option<f64>,
    pub last_period: Option<String>,
    pub rule: ValueRule,
    /// The revision of the value stored when the form was made (0: none): an upload of the form
    /// conflicts with any change made since.
    pub revision: i64,
}

impl FormRow {
    /// The line for `key` (a target id, or `id:measure`) of `target`, owed by `org_unit` for
    /// `period`, with the last value reported before it and the revision of the value stored for
    /// the period so far (0: none).
    pub fn new(
        target: &Target,
        key: &str,
        org_unit: &str,
        period: Period,
        last: Option<(Period, f64)>,
        revision: i64,
        lang: Lang,
    ) -> FormRow {
        let Ok(parsed) = key.parse::<TargetKey>();
        let measure = parsed.measure.and_then(|m| target.measures.iter().find(|x| x.key == m));
        let indicator = match measure {
            Some(m) => format!("{}:{}", target.indicator, m.name),
            None => target.indicator.clone(),
        };
        let unit = match (measure, target.kind) {
            (Some(m), _) => m.unit.clone(),
            (None, Kind::Milestone) => "%".to_string(),
            (None, _) => target.unit.clone(),
        };
        let basis = i18n::basis_label(target, lang);
        let basis = basis.rsplit_once([',', ',']).map_or(basis.as_str(), |(words, _)| words).to_string();
        let goal = target
            .goal
            .stated()
            .into_iter()
            .map(|(year, value)| i18n::dated_goal(year, value, target.comparator, &target.unit, lang))
            .collect::<Vec<_>>()
            .join(";");
        FormRow {
            target: key.to_string(),
            indicator,
            unit,
            basis,
            goal,
            org_unit: org_unit.to_string(),
            period: period.to_string(),
            last_value: last.map(|(_, v)| v),
            last_period: last.map(|(p, _)| p.to_string()),
            rule: ValueRule::of(target, measure),
            revision,
        }
    }
}

const FORM_SHEET: &str = "填报表";
const FIRST_DATA_ROW: u32 = 5;

/// The columns of the form: Chinese label, machine name, width.
const FORM_COLUMNS: [(&str, &str, f64); 11] = [
    ("指标编号", "target_id", 10.0),
    ("指标名称", "indicator", 36.0),
    ("计量单位", "unit", 9.0),
    ("填报口径", "basis", 18.0),
    ("目标", "goal", 24.0),
    ("报送单位", "org_unit", 12.0),
    ("报送期", "period", 10.0),
    ("上期值", "last_value", 14.0),
    ("本期值(必填)", "value", 14.0),
    ("情况说明", "comment", 40.0),
    ("版本(勿改)", "revision", 8.0),
];

fn column_of(name: &str) -> u16 {
    FORM_COLUMNS.iter().position(|(_, key, _)| *key == name).unwrap_or_default() as u16
}

fn xlsx_error(e: XlsxError) -> String {
    format!("cannot write the workbook: {e}")
}

/// The reporting form for one unit and period: one row per value the unit must report, with
/// the last value for reference and validation on the value cells. Only the value and comment
/// cells are editable.
pub fn write_form(title: &str, instructions: &[&str], rows: &[FormRow]) -> Result<Vec<u8>, String> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name(FORM_SHEET).map_err(xlsx_error)?;
    let title_format = Format::new().set_bold().set_font_size(14);
    let note_format = Format::new().set_font_color("#555555");
    let header =
        Format::new().set_bold().set_background_color("#DCE6F1").set_border(FormatBorder::Thin).set_text_wrap();
    let key_format = Format::new().set_font_color("#888888").set_font_size(8).set_border(FormatBorder::Thin);
    let locked = Format::new().set_border(FormatBorder::Thin).set_background_color("#F2F2F2");
    let number =
        Format::new().set_border(FormatBorder::Thin).set_background_color("#F2F2F2").set_num_format("#,##0.###");
    let editable = Format::new().set_unlocked().set_border(FormatBorder::Thin).set_background_color("#FFF9DB");
    let editable_text = editable.clone().set_text_wrap().set_align(FormatAlign::Top);

    sheet.write_string_with_format(0, 0, title, &title_format).map_err(xlsx_error)?;
    for (i, line) in instructions.iter().take(2).enumerate() {
        sheet.write_string_with_format(1 + i as u32, 0, *line, &note_format).map_err(xlsx_error)?;
    }
    for (col, (label, key, width)) in FORM_COLUMNS.iter().enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, *width).map_err(xlsx_error)?;
        sheet.write_string_with_format(FIRST_DATA_ROW - 2, col, *label, &header).map_err(xlsx_error)?;
        sheet.write_string_with_format(FIRST_DATA_ROW - 1, col, *key, &key_format).map_err(xlsx_error)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = FIRST_DATA_ROW + i as u32;
        let texts = [
            ("target_id", &row.target),
            ("indicator", &row.indicator),
            ("unit", &row.unit),
            ("basis", &row.basis),
            ("goal", &row.goal),
            ("org_unit", &row.org_unit),
            ("period", &row.period),
        ];
        for (key, text) in texts {
            sheet.write_string_with_format(r, column_of(key), text.as_str(), &locked).map_err(xlsx_error)?;
        }
        sheet.write_number_with_format(r, column_of("revision"), row.revision as f64, &locked).map_err(xlsx_error)?;
        match row.last_value {
            Some(v) => sheet.write_number_with_format(r, column_of("last_value"), v, &number),
            None => sheet.write_string_with_format(r, column_of("last_value"), "", &locked),
        }
        .map_err(xlsx_error)?;
        sheet.write_blank(r, column_of("value"), &editable).map_err(xlsx_error)?;
        sheet.write_blank(r, column_of("comment"), &editable_text).map_err(xlsx_error)?;
        let validation = value_validation(row.rule).map_err(xlsx_error)?;
        sheet.add_data_validation(r, column_of("value"), r, column_of("value"), &validation).map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(FIRST_DATA_ROW, 2).map_err(xlsx_error)?;
    sheet.protect();
    write_notes(workbook.add_worksheet(), instructions)?;
    workbook.save_to_buffer().map_err(xlsx_error)
}

fn value_validation(rule: ValueRule) -> Result<DataValidation, XlsxError> {
    let (validation, message) = match rule {
        ValueRule::Any => {
            (DataValidation::new().allow_decimal_number(DataValidationRule::Between(-1e15, 1e15)), "请填写数值")
        }
        ValueRule::NonNegative => (
            DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            "请填写不小于0的数值",
        ),
        ValueRule::Whole => (
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
            "请填写不小于0的整数",
        ),
        ValueRule::Percent => (
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)),
            "请填写完成进度(%),0至100之间(100表示已完成)",
        ),
    };
    validation.set_input_message(message)?.set_error_title("数值无效")?.set_error_message(message)
}

fn write_notes(sheet: &mut Worksheet, instructions: &[&str]) -> Result<(), String> {
    sheet.set_name("填报说明").map_err(xlsx_error)?;
    sheet.set_column_width(0, 100.0).map_err(xlsx_error)?;
    for (i, line) in instructions.iter().enumerate() {
        sheet.write_string(i as u32, 0, *line).map_err(xlsx_error)?;
    }
    Ok(())
}

/// A cell of an exported table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A fraction shown as a percentage.
    Percent(f64),
    /// An amount shown with its unit ("7393.4亿元"), kept a number.
    Quantity(f64, String),
    /// Percentage points, to one decimal.
    Points(f64),
    Empty,
}

impl From<Option<f64>> for Cell {
    fn from(value: Option<f64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Number)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

/// A named table for export.
pub struct Table<'a> {
    pub sheet: &'a str,
    pub headers: &'a [&'a str],
    pub rows: &'a [Vec<Cell>],
}

/// Tables as a workbook, one sheet each, with a bold frozen header and filters.
pub fn write_tables(tables: &[Table]) -> Result<Vec<u8>, String> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#DCE6F1").set_border(FormatBorder::Thin);
    let percent = Format::new().set_num_format("0.0%");
    let points = Format::new().set_num_format("+0.0;-0.0;0.0");
    for table in tables {
        let sheet = workbook.add_worksheet().set_name(table.sheet).map_err(xlsx_error)?;
        for (col, title) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *title, &header).map_err(xlsx_error)?;
            sheet
                .set_column_width(col as u16, (title.chars().count() as f64 * 2.2).clamp(8.0, 40.0))
                .map_err(xlsx_error)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(text) => sheet.write_string(r, c, text).map(|_| ()),
                    Cell::Number(n) => sheet.write_number(r, c, *n).map(|_| ()),
                    Cell::Percent(p) => sheet.write_number_with_format(r, c, *p, &percent).map(|_| ()),
                    Cell::Points(p) => sheet.write_number_with_format(r, c, *p, &points).map(|_| ()),
                    Cell::Quantity(n, unit) => {
                        let format = Format::new().set_num_format(format!("#,##0.####\"{}\"", unit.replace('"', "")));
                        sheet.write_number_with_format(r, c, *n, &format).map(|_| ())
                    }
                    Cell::Empty => Ok(()),
                }
                .map_err(xlsx_error)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        let last_col = table.headers.len().saturating_sub(1) as u16;
        sheet.autofilter(0, 0, table.rows.len() as u32, last_col).map_err(xlsx_error)?;
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Data, Reader, open_workbook_auto_from_rs};
    use plan361_core::org::OrgUnits;
    use plan361_core::plan::Plan;

    use super::*;

    const PLAN: &str = include_str!("../../../plans/ningbo-361-2025.toml");
    const UNITS: &str = include_str!("../../../data/org-units.toml");

    fn form_rows() -> Vec<FormRow> {
        vec![
            FormRow {
                target: "3.3.1".into(),
                indicator: "国家级制造业单项冠军企业".into(),
                unit: "家".into(),
                basis: "期末数".into(),
                goal: "2030年 160家".into(),
                org_unit: "宁波市".into(),
                period: "2026-10".into(),
                last_value: Some(117.0),
                last_period: Some("2026-09".into()),
                rule: ValueRule::Whole,
                revision: 0,
            },
            FormRow {
                target: "1.1.3".into(),
                indicator: "覆盖".into(),
                unit: "%".into(),
                basis: "完成进度(%)".into(),
                goal: "2030年前实现".into(),
                org_unit: "宁波市".into(),
                period: "2026Q3".into(),
                last_value: None,
                last_period: None,
                rule: ValueRule::Percent,
                revision: 3,
            },
        ]
    }

    /// Fills the value cells of a form the way a person would, by writing a new workbook with
    /// the same layout.
    fn filled(values: &[(&str, &str, &str, &str, &str)]) -> Vec<u8> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet().set_name(FORM_SHEET).expect("name");
        for (col, (_, key, _)) in FORM_COLUMNS.iter().enumerate() {
            sheet.write_string(FIRST_DATA_ROW - 1, col as u16, *key).expect("key");
        }
        for (i, (target, unit, period, value, comment)) in values.iter().enumerate() {
            let r = FIRST_DATA_ROW + i as u32;
            sheet.write_string(r, column_of("target_id"), *target).expect("cell");
            sheet.write_string(r, column_of("org_unit"), *unit).expect("cell");
            sheet.write_string(r, column_of("period"), *period).expect("cell");
            match value.parse::<f64>() {
                Ok(v) => sheet.write_number(r, column_of("value"), v),
                Err(_) => sheet.write_string(r, column_of("value"), *value),
            }
            .expect("cell");
            sheet.write_string(r, column_of("comment"), *comment).expect("cell");
        }
        workbook.save_to_buffer().expect("save")
    }

    fn context() -> (Plan, OrgUnits) {
        (plan361_core::plan::parse("plan", PLAN).expect("plan"), OrgUnits::parse("units", UNITS).expect("units"))
    }

    #[test]
    fn a_written_form_reads_back_with_nothing_filled_in() {
        let (plan, units) = context();
        let bytes = write_form("填报表", &["说明一", "说明二"], &form_rows()).expect("form");
        let rows = crate::observations::read("form.xlsx", &bytes, &plan, &units).expect("readable");
        assert!(rows.is_empty(), "blank value cells are not observations");
    }

    #[test]
    fn a_filled_form_gives_observations() {
        let (plan, units) = context();
        let bytes =
            filled(&[("3.3.1", "宁波市", "2026-10", "118", "新增1家"), ("1.1.3", "宁波市", "2026Q3", "50", "")]);
        let rows = crate::observations::read("form.xlsx", &bytes, &plan, &units).expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].value, rows[0].line), (118.0, 6));
        assert_eq!(rows[0].comment.as_deref(), Some("新增1家"));
    }

    #[test]
    fn bad_cells_are_named_by_sheet_row_and_column() {
        let (plan, units) = context();
        let bytes = filled(&[("3.3.1", "宁波市", "2026-10", "一百", ""), ("9.9", "宁波市", "2026-10", "1", "")]);
        let errors = crate::observations::read("form.xlsx", &bytes, &plan, &units).expect_err("bad");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].to_string(), "form.xlsx [填报表]:6: column I (value): \"一百\" is not a number");
        assert_eq!(errors[1].column.as_deref(), Some("A (target_id)"));
    }

    #[test]
    fn a_form_row_states_the_basis_unit_and_rule_of_its_target() {
        let (plan, _) = context();
        let target = |id: &str| plan.target(id).expect("target");
        let since = FormRow::new(target("1.2.1"), "1.2.1", "宁波市", Period::month(2026, 11), None, 0, Lang::Zh);
        assert_eq!((since.basis.as_str(), since.rule), ("2025年1月起累计新增", ValueRule::Whole));
        let flow = FormRow::new(
            target("7.4.1"),
            "7.4.1",
            "宁波市",
            Period::Quarter { year: 2026, quarter: 3 },
            None,
            0,
            Lang::Zh,
        );
        assert_eq!((flow.basis.as_str(), flow.rule), ("1—N月累计", ValueRule::Any));
        let milestone =
            FormRow::new(target("0.5"), "0.5", "宁波市", Period::Quarter { year: 2026, quarter: 3 }, None, 0, Lang::Zh);
        assert_eq!((milestone.unit.as_str(), milestone.rule), ("%", ValueRule::Percent));
        let rank = FormRow::new(target("2.1.2"), "2.1.2:rank", "宁波市", Period::Year(2026), None, 0, Lang::Zh);
        assert_eq!(
            (rank.indicator.as_str(), rank.unit.as_str()),
            ("开发园区综合排名和工业增加值占比:开发园区综合排名", "位")
        );
        let last = FormRow::new(
            target("3.3.1"),
            "3.3.1",
            "北仑区",
            Period::month(2026, 11),
            Some((Period::month(2026, 10), 26.0)),
            4,
            Lang::Zh,
        );
        assert_eq!((last.last_value, last.last_period.as_deref()), (Some(26.0), Some("2026-10")));
        assert_eq!(last.revision, 4, "the revision the form is made from");
    }

    #[test]
    fn a_file_that_is_not_a_spreadsheet_is_refused() {
        let (plan, units) = context();
        let errors = crate::observations::read("x.xlsx", b"not a zip", &plan, &units).expect_err("bad");
        assert!(errors[0].reason.contains("not a readable spreadsheet"), "{}", errors[0].reason);
    }

    #[test]
    fn tables_export_to_a_workbook_that_reads_back() {
        let rows = vec![vec![
            Cell::from("3.3.1"),
            Cell::Number(117.0),
            Cell::Percent(0.731),
            Cell::Quantity(7393.4, "亿元".into()),
            Cell::Points(-11.117390602292915),
        ]];
        let headers = ["编号", "当前值", "目标进度", "最新值", "差距(百分点)"];
        let bytes = write_tables(&[Table { sheet: "评价", headers: &headers, rows: &rows }]).expect("xlsx");
        let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).expect("open");
        let range = workbook.worksheet_range("评价").expect("sheet");
        assert_eq!(range.get_value((1, 1)), Some(&Data::Float(117.0)));
        assert_eq!(range.get_value((0, 2)), Some(&Data::String("目标进度".into())));
        assert_eq!(range.get_value((1, 3)), Some(&Data::Float(7393.4)), "an amount stays a number");
    }
}
