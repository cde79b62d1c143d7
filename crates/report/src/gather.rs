//! The bulletin's contents, from the store: the plan evaluated at the month (as
//! `/api/evaluation` evaluates it), the month before, the warnings, the reporting record and
//! the cluster statistics, in the order of an official 通报.

use plan361_core::i18n::Labelled;
use std::collections::HashMap;

use plan361_core::Period;
use plan361_core::calendar::Date;
use plan361_core::eval::{Row, Status, StatusCounts};
use plan361_core::i18n::{self, Lang};
use plan361_core::plan::{Kind, Target};
use plan361_core::progress::Tally;
use plan361_core::stats::{Cube, Measure};
use plan361_store::{OverdueReport, Store, StoreError, Warning, WarningFilter};
use plan361_views::chart::{self, Bar, TrendPoint};
use plan361_views::table::{Cell, Table, status_class};

use crate::{Block, Bulletin, ChartKind, Figure, Series, chinese_number, status_colour};

/// What to write: the month (or quarter) and the issue date.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// A month, or a quarter (then the bulletin is quarterly).
    pub at: Period,
    /// A quarterly bulletin for the quarter containing `at`.
    pub quarterly: bool,
    pub issued: Date,
}

const ZH: Lang = Lang::Zh;
/// Statuses calling for a text per item in the bulletin (issue's 滞后, 倒退 and 未完成).
const LAGGING: [Status; 3] = [Status::Missed, Status::MovingAway, Status::OffTrack];

pub async fn gather(store: &Store, options: &Options) -> Result<Bulletin, StoreError> {
    let quarterly = options.quarterly || matches!(options.at, Period::Quarter { .. });
    let at = match options.at {
        Period::Month { .. } if !quarterly => options.at,
        Period::Month { .. } | Period::Quarter { .. } => options.at.quarter_of().last_month(),
        Period::Year(_) => {
            return Err(StoreError::invalid(
                "at",
                format!("{}: a bulletin is for a month (2026-10) or a quarter (2026Q3)", options.at),
            ));
        }
    };
    let previous = if quarterly { at.previous_month().previous_month().previous_month() } else { at.previous_month() };
    let input = store.eval_input(at, false).await?;
    let rows = input.evaluate(at);
    let before = input.evaluate(previous);
    let plan = &input.plan;
    let city = input.org_units.city().name.as_str();
    let city_rows: Vec<&Row> = rows.iter().filter(|r| r.org_unit == city).collect();
    let before: HashMap<&str, Status> =
        before.iter().filter(|r| r.org_unit == city).map(|r| (r.target.id.as_str(), r.evaluation.status)).collect();
    let warnings = store.warnings(&WarningFilter::default()).await?;
    let warning_of: HashMap<&str, &Warning> = warnings.iter().map(|w| (w.key.as_str(), w)).collect();
    let mut reports = vec![store.overdue(at).await?];
    if quarterly || at.months_elapsed().is_multiple_of(3) {
        reports.push(store.overdue(at.quarter_of()).await?);
    }
    if at.closes_year() {
        reports.push(store.overdue(Period::Year(at.year())).await?);
    }
    let dataset = store.stats_dataset(None, at).await?;
    let cubes: Vec<Cube> = if dataset.micro.is_empty() {
        Vec::new()
    } else {
        (1..=at.months_elapsed()).map(|m| dataset.cube(Period::month(at.year(), m))).collect()
    };

    let period_label = if quarterly { i18n::period_label(at.quarter_of(), ZH) } else { i18n::period_label(at, ZH) };
    let mut b = Builder::default();
    let synthetic = store.is_demo().await?;

    b.heading(1, "总体情况");
    if synthetic {
        b.paragraph("(本通报所用数据为演示用合成数据,不代表实际情况。)".to_string());
    }
    b.paragraph(summary(&city_rows, &period_label));
    b.paragraph(headline(&city_rows));
    b.paragraph(changes(&city_rows, &before, quarterly));
    b.paragraph(warning_summary(&warnings));

    b.heading(1, "主要指标完成情况");
    let headline_rows: Vec<&Row> = city_rows.iter().copied().filter(|r| r.target.task == "0").collect();
    b.table("主要指标完成情况", "", headline_table(&headline_rows));

    b.heading(1, "七大工程推进情况");
    for project in plan.projects.iter().filter(|p| p.number > 0) {
        let task_ids: Vec<&str> =
            plan.tasks.iter().filter(|t| t.project == project.number).map(|t| t.id.as_str()).collect();
        let rows: Vec<&Row> =
            city_rows.iter().copied().filter(|r| task_ids.contains(&r.target.task.as_str())).collect();
        b.heading(2, &project.name);
        let counts = count(&rows);
        b.paragraph(format!("{}共监测{}项指标,{}。", project.name, rows.len(), counts_text(&counts)));
        b.table(&format!("{}指标完成情况", project.name), "", targets_table(&rows));
    }

    b.heading(1, "滞后指标及预警情况");
    let mut lagging: Vec<&Row> = city_rows.iter().copied().filter(|r| LAGGING.contains(&r.evaluation.status)).collect();
    lagging.sort_by_key(|r| std::cmp::Reverse(r.evaluation.status.severity()));
    let districts_lagging =
        rows.iter().filter(|r| r.org_unit != city && LAGGING.contains(&r.evaluation.status)).count();
    b.paragraph(format!(
        "全市层面滞后、倒退或未完成的指标共{}项,逐项列示如下,请责任单位对照预警签收并落实整改措施;区县层面另有{}项,详见预警中心。",
        lagging.len(),
        districts_lagging
    ));
    b.table("滞后指标及预警情况", "", lagging_table(&lagging, city, &warning_of));

    b.heading(1, "各单位填报情况");
    let (record_text, record) = reporting_record(&reports);
    b.paragraph(record_text);
    b.table("各单位填报及时率排名", "", record);

    b.heading(1, "产业集群和区县运行情况");
    match cubes.last() {
        Some(cube) => {
            let months = at.months_elapsed();
            b.paragraph(cluster_text(cube, months));
            b.table(
                &format!("产业集群1—{months}月运行情况"),
                "同比按同口径企业计算;集群之间有交叉,不可相加。",
                clusters_table(cube, months),
            );
            b.table(&format!("区县1—{months}月规上工业产值排名"), "按同比增速排名。", districts_table(cube, months));
        }
        None => b.paragraph("本期无企业月度数据,暂不通报产业集群和区县运行情况。".to_string()),
    }

    b.heading(1, "附图");
    b.figure(status_figure(&city_rows));
    if let Some(cube) = cubes.last() {
        b.figure(trend_figure(&cubes, at));
        b.figure(cluster_figure(cube, at.months_elapsed()));
    }

    Ok(Bulletin {
        title: format!("{}“361”现代化产业体系建设推进情况通报", plan.meta.region),
        period_label,
        at,
        issuer: format!("{}(“361”推进办)", plan.meta.office),
        issued: options.issued,
        synthetic,
        blocks: b.blocks,
    })
}

/// Numbers headings, tables and figures as it goes.
#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    sections: usize,
    subsections: usize,
    tables: usize,
    figures: usize,
}

impl Builder {
    fn heading(&mut self, level: u8, text: &str) {
        let text = if level == 1 {
            self.sections += 1;
            self.subsections = 0;
            format!("{}、{text}", chinese_number(self.sections))
        } else {
            self.subsections += 1;
            format!("({}){text}", chinese_number(self.subsections))
        };
        self.blocks.push(Block::Heading { level, text });
    }

    fn paragraph(&mut self, text: String) {
        self.blocks.push(Block::Paragraph(text));
    }

    fn table(&mut self, caption: &str, note: &str, mut table: Table) {
        self.tables += 1;
        table.sheet = format!("表{} {caption}", self.tables).chars().take(31).collect();
        let caption = format!("表{} {caption}", self.tables);
        self.blocks.push(Block::Table { caption, note: note.to_string(), table });
    }

    fn figure(&mut self, mut figure: Figure) {
        self.figures += 1;
        figure.caption = format!("图{} {}", self.figures, figure.caption);
        self.blocks.push(Block::Chart(figure));
    }
}

fn count(rows: &[&Row]) -> StatusCounts {
    let mut counts = StatusCounts::default();
    for row in rows {
        counts.add(row.evaluation.status);
    }
    counts
}

/// 已达标3项、正常5项…;基期或无数据2项暂不评价
fn counts_text(counts: &StatusCounts) -> String {
    let judged: Vec<String> = Status::ALL
        .iter()
        .zip(counts.0)
        .filter(|(s, n)| s.is_judged() && *n > 0)
        .map(|(s, n)| format!("{}{n}项", i18n::status_label(*s, ZH)))
        .collect();
    let apart: usize = Status::ALL.iter().zip(counts.0).filter(|(s, _)| !s.is_judged()).map(|(_, n)| n).sum();
    let mut text = if judged.is_empty() { "尚无评价结果".to_string() } else { judged.join("、") };
    if apart > 0 {
        text.push_str(&format!(",另有{apart}项处于基期或暂无数据"));
    }
    text
}

fn summary(rows: &[&Row], period_label: &str) -> String {
    format!("截至{period_label},全市纳入监测的{}项指标中,{}。", rows.len(), counts_text(&count(rows)))
}

/// The headline goals with their values and 同比.
fn headline(rows: &[&Row]) -> String {
    let parts: Vec<String> = rows
        .iter()
        .filter(|r| r.target.task == "0" && r.target.kind != Kind::Milestone && r.evaluation.value.is_some())
        .map(|r| {
            let e = &r.evaluation;
            let when = e.data_period.map(|p| i18n::data_period_label(r.target, p, ZH)).unwrap_or_default();
            let yoy = e.year_figure.and_then(|f| f.yoy).map(|y| format!(",同比{}", growth(y))).unwrap_or_default();
            format!("{}{when}为{}{yoy}", r.target.indicator, i18n::value_text(r.target, e, ZH))
        })
        .collect();
    if parts.is_empty() {
        "主要指标本期暂无数据。".to_string()
    } else {
        format!("主要指标:{}。", parts.join(";"))
    }
}

fn growth(rate: f64) -> String {
    if rate < 0.0 { format!("下降{}", i18n::percent(-rate)) } else { format!("增长{}", i18n::percent(rate)) }
}

/// What changed since the period before.
fn changes(rows: &[&Row], before: &HashMap<&str, Status>, quarterly: bool) -> String {
    let since = if quarterly { "上季度" } else { "上月" };
    let mut better = 0;
    let mut worse = Vec::new();
    for row in rows {
        let now = row.evaluation.status;
        match before.get(row.target.id.as_str()) {
            Some(was) if was.is_judged() && now.is_judged() && now.severity() < was.severity() => better += 1,
            Some(was) if was.is_judged() && now.is_judged() && now.severity() > was.severity() => worse.push(format!(
                "{}由{}降为{}",
                row.target.indicator,
                i18n::status_label(*was, ZH),
                i18n::status_label(now, ZH)
            )),
            _ => {}
        }
    }
    match worse.len() {
        0 => format!("与{since}相比,{better}项指标状态好转,没有指标状态下降。"),
        n => format!("与{since}相比,{better}项指标状态好转,{n}项下降:{}。", worse.join(";")),
    }
}

fn warning_summary(warnings: &[Warning]) -> String {
    let open: Vec<&Warning> = warnings.iter().filter(|w| w.state.is_open()).collect();
    let levels: Vec<String> = plan361_core::warnings::Level::ALL
        .iter()
        .map(|l| format!("{}{}条", l.label_zh(), open.iter().filter(|w| w.level == *l).count()))
        .collect();
    let in_progress = open.iter().filter(|w| w.state == plan361_core::warnings::WarningState::InProgress).count();
    format!("预警中心现有未解除预警{}条,其中{};已有{in_progress}条落实整改措施。", open.len(), levels.join("、"))
}

/// When the latest value is from, marked where it is older than the period evaluated.
fn data_period(row: &Row) -> String {
    match row.evaluation.data_period {
        Some(p) if row.evaluation.stale => format!("{}(逾期未更新)", i18n::data_period_label(row.target, p, ZH)),
        Some(p) => i18n::data_period_label(row.target, p, ZH),
        None => "—".into(),
    }
}

fn status_cell(status: Status) -> Cell {
    Cell::Status(status, i18n::status_label(status, ZH))
}

fn headline_table(rows: &[&Row]) -> Table {
    let mut table =
        Table::new("", &["指标", "目标", "最新值", "数据期", "同比", "目标进度", "序时进度", "差距(百分点)", "状态"]);
    for row in rows {
        let e = &row.evaluation;
        let yoy = e.year_figure.and_then(|f| f.yoy);
        table.push(vec![
            Cell::text(&row.target.indicator),
            Cell::text(i18n::goal_text(row.target, e, ZH)),
            Cell::latest_value(e, row.target, ZH),
            Cell::text(data_period(row)),
            Cell::Percent(yoy),
            Cell::progress_text(e, ZH),
            Cell::Percent(e.expected),
            Cell::Points(e.lag_pp),
            status_cell(e.status),
        ]);
    }
    table
}

/// One line per target: the table of every project.
fn targets_table(rows: &[&Row]) -> Table {
    let mut table = Table::new(
        "",
        &[
            "编号",
            "指标",
            "目标",
            "最新值",
            "数据期",
            "目标进度",
            "序时进度",
            "差距(百分点)",
            "状态",
            crate::SENTENCE_COLUMN,
        ],
    );
    for row in rows {
        let e = &row.evaluation;
        table.push(vec![
            Cell::text(&row.target.id),
            Cell::text(&row.target.indicator),
            Cell::text(i18n::goal_text(row.target, e, ZH)),
            Cell::latest_value(e, row.target, ZH),
            Cell::text(data_period(row)),
            Cell::progress_text(e, ZH),
            Cell::Percent(e.expected),
            Cell::Points(e.lag_pp),
            status_cell(e.status),
            Cell::text(i18n::explain(row.target, e, ZH)),
        ]);
    }
    table
}

fn lagging_table(rows: &[&Row], city: &str, warnings: &HashMap<&str, &Warning>) -> Table {
    let mut table = Table::new("", &["序号", "编号", "指标", "状态", "责任单位", "预警状态", crate::SENTENCE_COLUMN]);
    for (i, row) in rows.iter().enumerate() {
        let target: &Target = row.target;
        let key = format!("projected_miss:{}:{city}", target.id);
        let warning = warnings
            .get(key.as_str())
            .map_or_else(|| "未扫描".to_string(), |w| format!("{}预警·{}", w.level.label_zh(), w.state.label_zh()));
        table.push(vec![
            Cell::Number { shown: (i + 1).to_string(), value: Some((i + 1) as f64) },
            Cell::text(&target.id),
            Cell::text(&target.indicator),
            status_cell(row.evaluation.status),
            Cell::text(&target.lead),
            Cell::text(warning),
            Cell::text(i18n::explain(target, &row.evaluation, ZH)),
        ]);
    }
    table
}

/// The 填报及时率 ranking over the period's reports (and the quarter's and year's it closes),
/// counted as 填报进度 counts them.
fn reporting_record(reports: &[OverdueReport]) -> (String, Table) {
    let mut units: Vec<(String, Tally)> = Vec::new();
    let mut all = Tally::default();
    for report in reports {
        all.merge(&report.tally);
        for u in &report.units {
            match units.iter_mut().find(|(known, _)| *known == u.unit) {
                Some((_, known)) => known.merge(&u.tally),
                None => units.push((u.unit.clone(), u.tally)),
            }
        }
    }
    let rate = |tally: &Tally| tally.timeliness();
    units.sort_by(|(a, x), (b, y)| rate(y).unwrap_or(-1.0).total_cmp(&rate(x).unwrap_or(-1.0)).then(a.cmp(b)));
    let periods: Vec<String> = reports.iter().map(|r| i18n::period_label(r.period, ZH)).collect();
    let text = format!(
        "{}应报数据{}项,按时报送{}项,逾期报送{}项,未报{}项,填报及时率{}。各单位排名如下。",
        periods.join("、"),
        all.due,
        all.on_time,
        all.late,
        all.missing(),
        all.timeliness().map_or_else(|| "—".to_string(), i18n::percent)
    );
    let mut table =
        Table::new("", &["排名", "单位", "应报(项)", "按时报送(项)", "逾期报送(项)", "未报(项)", "填报及时率"]);
    let mut rank = 0;
    let mut last: Option<Option<f64>> = None;
    for (i, (unit, tally)) in units.iter().enumerate() {
        if last != Some(rate(tally)) {
            rank = i + 1;
            last = Some(rate(tally));
        }
        let n = |v: usize| Cell::Number { shown: v.to_string(), value: Some(v as f64) };
        table.push(vec![
            n(rank),
            Cell::text(unit),
            n(tally.due),
            n(tally.on_time),
            n(tally.late),
            n(tally.missing()),
            Cell::Percent(rate(tally)),
        ]);
    }
    (text, table)
}

/// 万元 → 亿元, as the tables print it.
fn yi(wan: f64) -> Cell {
    let value = wan / 10_000.0;
    Cell::Number { shown: i18n::number(value, "亿元"), value: Some(value) }
}

fn points_cell(pp: Option<f64>) -> Cell {
    Cell::Number { shown: pp.map_or_else(|| "—".into(), |p| format!("{p:.2}")), value: pp }
}

fn cluster_text(cube: &Cube, months: u8) -> String {
    let all = cube.cell(0, 0, Measure::Output);
    let mut text = format!("1—{months}月,全市规上工业产值{}亿元", i18n::number(all.ytd / 10_000.0, "亿元"),);
    if let Some(yoy) = all.yoy {
        text.push_str(&format!(",同比{}", growth(yoy)));
    }
    let below: Vec<String> = (1..cube.clusters.len())
        .filter_map(|c| {
            let cell = cube.cell(c, 0, Measure::Output);
            (cell.yoy? < all.yoy?).then(|| cube.clusters[c].1.clone())
        })
        .collect();
    if below.is_empty() {
        text.push_str(";各产业集群增速均不低于全市平均。");
    } else {
        text.push_str(&format!(";{}增速低于全市平均。", below.join("、")));
    }
    text
}

fn clusters_table(cube: &Cube, months: u8) -> Table {
    let ytd = format!("1—{months}月产值(亿元)");
    let mut table = Table::new("", &["产业集群", &ytd, "同比", "拉动(百分点)", "企业数(家)", "占全市比重"]);
    for (c, (_, name)) in cube.clusters.iter().enumerate() {
        let cell = cube.cell(c, 0, Measure::Output);
        let name = if c == 0 { "全部规上工业".to_string() } else { name.clone() };
        table.push(vec![
            Cell::text(name),
            yi(cell.ytd),
            Cell::Percent(cell.yoy),
            points_cell(cell.contribution_pp),
            Cell::Number { shown: cell.enterprises.to_string(), value: Some(f64::from(cell.enterprises)) },
            Cell::Percent(cell.share),
        ]);
    }
    table
}

fn districts_table(cube: &Cube, months: u8) -> Table {
    let ytd = format!("1—{months}月产值(亿元)");
    let mut table = Table::new("", &["排名", "区县", &ytd, "同比", "拉动(百分点)", "企业数(家)"]);
    let mut districts: Vec<(usize, plan361_core::stats::Cell)> =
        (1..cube.territorial).map(|o| (o, cube.cell(0, o, Measure::Output))).collect();
    districts.sort_by(|a, b| b.1.yoy.unwrap_or(f64::MIN).total_cmp(&a.1.yoy.unwrap_or(f64::MIN)));
    for (rank, (o, cell)) in districts.iter().enumerate() {
        table.push(vec![
            Cell::Number { shown: (rank + 1).to_string(), value: Some((rank + 1) as f64) },
            Cell::text(&cube.org_units[*o]),
            yi(cell.ytd),
            Cell::Percent(cell.yoy),
            points_cell(cell.contribution_pp),
            Cell::Number { shown: cell.enterprises.to_string(), value: Some(f64::from(cell.enterprises)) },
        ]);
    }
    table
}

fn status_figure(rows: &[&Row]) -> Figure {
    let counts = count(rows);
    let present: Vec<(Status, usize)> = Status::ALL.iter().copied().zip(counts.0).filter(|(_, n)| *n > 0).collect();
    let bars: Vec<Bar> = present
        .iter()
        .map(|(s, n)| Bar {
            label: i18n::status_label(*s, ZH).to_string(),
            value: *n as f64,
            goal: None,
            value_label: format!("{n}项"),
            status_class: status_class(*s),
            tip: format!("{} {n}项", i18n::status_label(*s, ZH)),
        })
        .collect();
    Figure {
        caption: "全市指标状态分布(项)".to_string(),
        kind: ChartKind::Bar,
        categories: present.iter().map(|(s, _)| i18n::status_label(*s, ZH).to_string()).collect(),
        series: vec![Series {
            name: "指标数".to_string(),
            values: present.iter().map(|(_, n)| Some(*n as f64)).collect(),
            colours: present.iter().map(|(s, _)| status_colour(*s)).collect(),
        }],
        number_format: "0",
        svg: chart::bar_chart(&bars, present.iter().map(|(_, n)| *n as f64).fold(0.0, f64::max), ""),
    }
}

/// 规上工业产值: 当月 (亿元) and 1–N月 同比 for the months of the year.
fn trend_figure(cubes: &[Cube], at: Period) -> Figure {
    let cells: Vec<plan361_core::stats::Cell> = cubes.iter().map(|c| c.cell(0, 0, Measure::Output)).collect();
    let labels: Vec<String> = (1..=cubes.len()).map(|m| format!("{m}月")).collect();
    let month: Vec<Option<f64>> = cells.iter().map(|c| c.month.map(|v| v / 10_000.0)).collect();
    let yoy: Vec<Option<f64>> = cells.iter().map(|c| c.yoy.map(|y| y * 100.0)).collect();
    let points: Vec<TrendPoint> = labels
        .iter()
        .zip(&cells)
        .map(|(label, c)| TrendPoint { label: label.clone(), month: c.month.map(|v| v / 10_000.0), yoy: c.yoy })
        .collect();
    Figure {
        caption: format!("{}年全市规上工业产值当月值与累计同比", at.year()),
        kind: ChartKind::ColumnLine,
        categories: labels,
        series: vec![
            Series { name: "当月产值(亿元)".to_string(), values: month, colours: vec!["1A66C9"] },
            Series { name: "1—N月同比(%)".to_string(), values: yoy, colours: vec!["D93025"] },
        ],
        number_format: "0.0",
        svg: chart::trend_chart(&points, ["当月产值(亿元)", "1—N月同比"]),
    }
}

fn cluster_figure(cube: &Cube, months: u8) -> Figure {
    let city = cube.cell(0, 0, Measure::Output).yoy;
    let clusters: Vec<(String, f64)> = (1..cube.clusters.len())
        .filter_map(|c| cube.cell(c, 0, Measure::Output).yoy.map(|y| (cube.clusters[c].1.clone(), y * 100.0)))
        .collect();
    let below = |y: f64| city.is_some_and(|c| y < c * 100.0);
    let class = |y: f64| if below(y) { status_class(Status::OffTrack) } else { status_class(Status::OnTrack) };
    let colour = |y: f64| if below(y) { status_colour(Status::OffTrack) } else { status_colour(Status::OnTrack) };
    let bars: Vec<Bar> = clusters
        .iter()
        .map(|(name, y)| Bar {
            label: name.clone(),
            value: *y,
            goal: city.map(|c| c * 100.0),
            value_label: format!("{y:.1}%"),
            status_class: class(*y),
            tip: format!("{name} 同比{y:.1}%"),
        })
        .collect();
    Figure {
        caption: match city {
            Some(c) => format!("产业集群1—{months}月产值同比增速(%;全市{:.1}%,低于全市的标为红色)", c * 100.0),
            None => format!("产业集群1—{months}月产值同比增速(%)"),
        },
        kind: ChartKind::Bar,
        categories: clusters.iter().map(|(n, _)| n.clone()).collect(),
        series: vec![Series {
            name: "同比(%)".to_string(),
            values: clusters.iter().map(|(_, y)| Some(*y)).collect(),
            colours: clusters.iter().map(|(_, y)| colour(*y)).collect(),
        }],
        number_format: "0.0",
        svg: chart::bar_chart(
            &bars,
            bars.iter().map(|b| b.value.max(b.goal.unwrap_or(0.0))).fold(0.0, f64::max),
            "全市",
        ),
    }
}
