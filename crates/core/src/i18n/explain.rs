//! The one-sentence explanation of an evaluation (DESIGN §3A.9): facts first, the verdict
//! last. The verdict agrees with the status (each status has its own phrases, [`VERDICTS`]);
//! a fact that seems to contradict it is joined with 但 and says why; every number is a field
//! of the evaluation, formatted as tables format it.

use super::{Lang, data_period_label, goal_phrase, percent, period_label, quantity};
use crate::eval::{Evaluation, Move, Note, Status, YearFigure};
use crate::plan::{Basis, Kind, Target};
use crate::units;

/// The phrases a Chinese verdict clause uses, by status: a sentence's last clause holds one of
/// its status's and none of another status's.
pub const VERDICTS: [(Status, &[&str]); 8] = [
    (Status::Achieved, &["已达到", "已完成", "保持稳定", "实现双提升", "均较上年改善"]),
    (Status::OnTrack, &["可完成目标", "进度正常", "待年末评价"]),
    (Status::NeedsAcceleration, &["需加快进度", "需关注"]),
    (Status::OffTrack, &["难以按期完成", "差距较大"]),
    (Status::MovingAway, &["与目标方向相反", "出现反弹"]),
    (Status::Missed, &["未完成", "未达到", "未实现"]),
    (Status::Baseline, &["为基期"]),
    (Status::NoData, &["暂无", "尚无数据", "待年度数据"]),
];

/// The one-sentence explanation of an evaluation, ready to paste into a report.
pub fn explain(target: &Target, e: &Evaluation, lang: Lang) -> String {
    let mut s = Sentence::new(lang);
    if e.stale
        && let Some(period) = e.data_period
    {
        let when = data_period_label(target, period, lang);
        s.say(format!("最新数据为{when},已逾期未更新"), format!("the latest data are for {when}, overdue"));
        s.pause();
    }
    if target.kind == Kind::Direction {
        if e.moves.is_empty() {
            no_value(target, e, &mut s);
        } else {
            explain_direction(target, e, &mut s);
        }
        return s.finish();
    }
    let Some(value) = e.value else {
        no_value(target, e, &mut s);
        return s.finish();
    };
    if e.has(Note::NoGoal) {
        s.say(
            format!("{}为{}", when(target, e, lang), q(value, target)),
            format!("{}: {}", when(target, e, lang), q(value, target)),
        );
        s.say("该单位目标未分解,暂不评价", "no goal set for this unit, not assessed");
        return s.finish();
    }
    match target.kind {
        Kind::Level | Kind::Cumulative | Kind::Increment | Kind::Zero => explain_path(target, e, value, &mut s),
        Kind::Annual => explain_annual(target, e, value, &mut s),
        Kind::Threshold => explain_threshold(target, e, value, &mut s),
        Kind::Stable => explain_stable(target, e, value, &mut s),
        Kind::Milestone | Kind::Direction => explain_milestone(target, e, value, &mut s),
    }
    s.finish()
}

fn q(value: f64, target: &Target) -> String {
    quantity(value, &target.unit)
}

fn when(target: &Target, e: &Evaluation, lang: Lang) -> String {
    e.data_period.map_or_else(String::new, |p| data_period_label(target, p, lang))
}

/// A year's total of a flow: "2026年全年190个".
fn whole_year(e: &Evaluation, v: &str, s: &mut Sentence) {
    let year = e.data_period.map_or(0, |p| p.year());
    s.say(format!("{year}年全年{v}"), format!("{v} in {year}"));
}

/// Percentage points as sentences print them: one decimal, no sign (the words say which way).
pub fn points(pp: f64) -> String {
    format!("{:.1}", pp.abs())
}

/// "增长10.6%" / "下降3.1%".
fn growth(rate: f64) -> (String, String) {
    if rate >= 0.0 {
        (format!("增长{}", percent(rate)), format!("growth of {}", percent(rate)))
    } else {
        (format!("下降{}", percent(-rate)), format!("a fall of {}", percent(-rate)))
    }
}

fn no_value(target: &Target, e: &Evaluation, s: &mut Sentence) {
    let lang = s.lang;
    if target.kind == Kind::Direction && e.data_period.is_some() {
        s.say("仅有一年数据,暂无可比数据", "only one year of data: nothing to compare yet");
        return;
    }
    let at = period_label(e.period, lang);
    if e.status == Status::Baseline {
        s.say(format!("{at}属规划基期"), format!("{at} is within the plan's baseline"));
        s.say("为基期", "the baseline");
        return;
    }
    s.say(format!("截至{at}暂无数据"), format!("no data as of {at}"));
}

/// The baseline, where the reader must be told where it comes from.
fn baseline_clause(target: &Target, e: &Evaluation, s: &mut Sentence) {
    let Some(base) = e.baseline else { return };
    let lang = s.lang;
    let when = data_period_label(target, base.period, lang);
    if e.has(Note::FirstValueAsBaseline) {
        let b = q(base.value, target);
        s.say(format!("基期取首次报送值({when},{b})"), format!("baseline: the first value reported ({when}, {b})"));
    }
    if let Some(plan) = base.plan_value {
        let (counted, plan) = (q(base.value, target), q(plan, target));
        s.say(
            format!("基期核对不一致:计数{counted},规划{plan}"),
            format!("baseline check: counted {counted}, the plan says {plan}"),
        );
    }
}

/// The finished target years whose goal was missed, before the one evaluated now.
fn history(target: &Target, e: &Evaluation, s: &mut Sentence) {
    let missed: Vec<_> = e.missed_years().filter(|r| Some(r.year) != e.target_year).collect();
    if missed.is_empty() {
        return;
    }
    s.pause();
    for result in missed {
        let goal = result.goal.map_or_else(String::new, |g| goal_phrase(target.comparator, g, &target.unit));
        let actual = result.value.map_or_else(String::new, |v| q(v, target));
        s.say(
            format!("{}年目标{goal}未达标(实际{actual})", result.year),
            format!("the {} goal of {goal} was not reached ({actual})", result.year),
        );
    }
}

fn value_clause(target: &Target, e: &Evaluation, value: f64, s: &mut Sentence) {
    let lang = s.lang;
    let v = q(value, target);
    let at = when(target, e, lang);
    match (target.basis, target.kind) {
        (Basis::Ytd, _) => ytd_clause(target, e, value, s),
        (Basis::SinceStart(start), _) => {
            let from = period_label(start, lang);
            s.say(format!("{from}至{at}累计新增{v}"), format!("{v} added from {from} to {at}"));
        }
        (_, Kind::Zero) => s.say(format!("{at}尚余{v}"), format!("{v} outstanding at {at}")),
        (_, Kind::Cumulative) => s.say(format!("截至{at}累计{v}"), format!("{v} in total by {at}")),
        _ => s.say(format!("{at}为{v}"), format!("{at}: {v}")),
    }
    if e.has(Note::SummedFromDistricts) {
        s.say("为各区县合计数", "the sum of the districts");
    }
}

/// A 1–N月 flow: its year's total, or its 1–N月 value with 同比 and the estimate (§3A.2).
fn ytd_clause(target: &Target, e: &Evaluation, value: f64, s: &mut Sentence) {
    let lang = s.lang;
    let v = q(value, target);
    let at = when(target, e, lang);
    let closes_year = e.data_period.is_some_and(|p| p.closes_year());
    match e.year_figure {
        _ if closes_year => whole_year(e, &v, s),
        Some(YearFigure { estimated: true, value: estimate, yoy, .. }) => {
            s.say(format!("{at}累计{v}"), format!("{v} in {at}"));
            if let Some(yoy) = yoy {
                let (zh, en) = growth(yoy);
                s.say(format!("同比{zh}"), format!("year on year {en}"));
            }
            let estimate = q(estimate, target);
            s.say(format!("预计全年{estimate}"), format!("about {estimate} for the year"));
        }
        Some(YearFigure { year, value: total, .. }) => {
            s.say(format!("{at}累计{v}"), format!("{v} in {at}"));
            s.pause();
            let total = q(total, target);
            s.say(
                format!("缺少上年同期数据,按{year}年全年{total}评价"),
                format!("without last year's same months, {year} as a whole ({total}) is assessed"),
            );
        }
        None => s.say(format!("{at}累计{v}"), format!("{v} in {at}")),
    }
}

fn explain_path(target: &Target, e: &Evaluation, value: f64, s: &mut Sentence) {
    let lang = s.lang;
    value_clause(target, e, value, s);
    baseline_clause(target, e, s);
    let year = e.target_year.unwrap_or_default();
    let goal = e.target_value.map_or_else(String::new, |g| goal_phrase(target.comparator, g, &target.unit));
    match e.status {
        Status::NoData => {
            history(target, e, s);
            s.pause();
            if e.has(Note::NotComparable) {
                s.say("缺少上年同期和上年全年数据,暂无法推算全年", "no figures of last year to estimate the year from");
            } else {
                s.say("仅有基期数据,暂无本期数据", "only the baseline so far");
            }
            return;
        }
        Status::Baseline => {
            s.say("为基期", "the baseline");
            return;
        }
        Status::Achieved => {
            history(target, e, s);
            s.pause();
            s.say(format!("已达到{year}年目标{goal}"), format!("the {year} goal of {goal} is reached"));
            return;
        }
        Status::Missed => {
            history(target, e, s);
            s.pause();
            s.say(format!("{year}年目标{goal}未完成"), format!("the {year} goal of {goal} was missed"));
            return;
        }
        _ => {}
    }
    if e.has(Note::Relapse) {
        s.pause();
        s.say("清零后出现反弹", "back above zero after clearing");
        return;
    }
    if e.has(Note::AwaitingYearData) {
        s.say(format!("{year}年全年数据待报"), format!("the {year} year-end value is awaited"));
    }
    progress_clause(e, s);
    let contradicts = e.lag_pp.is_some_and(|lag| {
        (lag >= 0.05 && matches!(e.status, Status::NeedsAcceleration | Status::OffTrack | Status::MovingAway))
            || (lag <= -0.05 && e.status == Status::OnTrack)
    });
    let projected = e.projected.map(|p| q(p, target));
    match (projected, e.actual_cagr, target.basis) {
        (Some(p), _, Basis::SinceStart(_)) => s.but(
            contradicts,
            format!("按目前进度推算,{year}年末累计可新增{p}"),
            format!("at the pace so far, {p} would be added by the end of {year}"),
        ),
        (Some(p), Some(g), _) => {
            let since = e.cagr_since.map_or_else(String::new, |p| data_period_label(target, p, lang));
            let (zh, en) = growth(g);
            let reach = if target.kind == Kind::Zero { "年末尚余" } else { "年可达" };
            s.but(
                contradicts,
                format!("按{since}以来年均{zh}推算,{year}{reach}{p}"),
                format!("at the {en} a year since {since}, {p} by {year}"),
            );
        }
        _ if e.has(Note::ShortHistory) => {
            s.say("数据不足一年,暂按序时进度评价", "less than a year of data: judged against the expected pace")
        }
        _ => {}
    }
    if let Some(required) = e.required_cagr
        && matches!(e.status, Status::NeedsAcceleration | Status::OffTrack | Status::MovingAway)
    {
        let (zh, en) = growth(required);
        s.say(format!("今后需年均{zh}才能达到目标"), format!("it now needs {en} a year to reach the goal"));
    }
    history(target, e, s);
    s.pause();
    let projection = e.projection_ratio.is_some();
    let stagnant = e.status == Status::OffTrack && e.progress.is_some_and(|p| p < 0.0);
    match e.status {
        Status::OnTrack if projection => s.say("可完成目标", "the goal is within reach"),
        Status::OnTrack => s.say("进度正常", "on schedule"),
        Status::NeedsAcceleration if projection => {
            s.say("略低于目标,需加快进度", "a little short of the goal: needs to speed up")
        }
        Status::NeedsAcceleration => s.say("需加快进度", "needs to speed up"),
        Status::OffTrack if stagnant => {
            s.say("基本停滞,难以按期完成目标", "standing still: unlikely to be met in time")
        }
        Status::OffTrack => s.say("难以按期完成目标", "unlikely to be met in time"),
        _ => s.say("与目标方向相反", "moving away from the goal"),
    }
}

/// 目标进度 against 序时进度 (§3A.8: one scale).
fn progress_clause(e: &Evaluation, s: &mut Sentence) {
    let Some(progress) = e.progress else { return };
    let p = percent(progress);
    match e.lag_pp {
        Some(lag) => {
            let (zh, en) = lag_words(lag);
            s.say(format!("目标进度{p},{zh}"), format!("progress {p}, {en}"));
        }
        None => s.say(format!("目标进度{p}"), format!("progress {p}")),
    }
}

/// The lag behind 序时进度 in words: "落后序时进度3.2个百分点", "与序时进度持平".
fn lag_words(lag: f64) -> (String, String) {
    if lag.abs() < 0.05 {
        ("与序时进度持平".to_string(), "in line with the expected pace".to_string())
    } else if lag < 0.0 {
        (format!("落后序时进度{}个百分点", points(lag)), format!("{} pp behind the expected pace", points(lag)))
    } else {
        (format!("快于序时进度{}个百分点", points(lag)), format!("{} pp ahead of the expected pace", points(lag)))
    }
}

fn explain_annual(target: &Target, e: &Evaluation, value: f64, s: &mut Sentence) {
    let lang = s.lang;
    let year = e.target_year.unwrap_or_default();
    let goal = e.target_value.map_or_else(String::new, |g| goal_phrase(target.comparator, g, &target.unit));
    if e.has(Note::NoDataThisYear) {
        history(target, e, s);
        s.pause();
        s.say(format!("{year}年尚无数据"), format!("no data for {year} yet"));
        return;
    }
    let v = q(value, target);
    let at = when(target, e, lang);
    if e.data_period.is_some_and(|p| p.closes_year()) {
        whole_year(e, &v, s);
    } else {
        s.say(format!("{at}累计{v}"), format!("{v} in {at}"));
    }
    let judged = matches!(e.status, Status::Achieved | Status::Missed) || e.has(Note::JudgedAtYearEnd);
    if !judged {
        if e.has(Note::AwaitingYearData) {
            s.say(format!("{year}年全年数据待报"), format!("the {year} total is awaited"));
        }
        if let Some(p) = e.progress {
            s.say(
                format!("完成年度目标{goal}的{}", percent(p)),
                format!("{} of the annual goal of {goal}", percent(p)),
            );
        }
        if let Some(lag) = e.lag_pp {
            let (zh, en) = lag_words(lag);
            s.say(zh, en);
        }
    }
    history(target, e, s);
    s.pause();
    match e.status {
        Status::Achieved => s.say(format!("已达到年度目标{goal}"), format!("the annual goal of {goal} is reached")),
        Status::Missed => s.say(format!("未完成年度目标{goal}"), format!("the annual goal of {goal} was missed")),
        _ if e.has(Note::JudgedAtYearEnd) => s.say(
            format!("年度目标{goal}集中于年末认定,待年末评价"),
            format!("the annual goal of {goal} is decided at the year's end"),
        ),
        Status::OnTrack => s.say("进度正常", "on schedule"),
        Status::NeedsAcceleration => s.say("需加快进度", "needs to speed up"),
        _ => s.say("难以按期完成年度目标", "the annual goal is unlikely to be met"),
    }
}

fn explain_threshold(target: &Target, e: &Evaluation, value: f64, s: &mut Sentence) {
    let lang = s.lang;
    s.say(
        format!("{}为{}", when(target, e, lang), q(value, target)),
        format!("{}: {}", when(target, e, lang), q(value, target)),
    );
    let goal = e.target_value.map_or_else(String::new, |g| goal_phrase(target.comparator, g, &target.unit));
    let margin_unit = if target.unit == "%" { "个百分点" } else { target.unit.as_str() };
    let margin = e.lag_pp.unwrap_or_default();
    let m = format!("{}{margin_unit}", super::number(margin.abs(), margin_unit));
    let m_en =
        format!("{} {}", super::number(margin.abs(), margin_unit), if target.unit == "%" { "pp" } else { margin_unit });
    let year = e.target_year.unwrap_or_default();
    match e.status {
        Status::Achieved => {
            if margin > 0.0 {
                s.say(format!("高于要求{m}"), format!("{m_en} above the line"));
            }
            history(target, e, s);
            s.pause();
            s.say(format!("已达到{goal}的要求"), format!("meets the requirement of {goal}"));
        }
        Status::Missed => {
            history(target, e, s);
            s.pause();
            s.say(format!("{year}年未达到{goal}的要求"), format!("{year} fell short of {goal}"));
        }
        status => {
            if e.has(Note::AwaitingYearData) {
                s.say(format!("{year}年全年数据待报"), format!("the {year} value is awaited"));
            }
            s.say(format!("低于{goal}的要求{m}"), format!("{m_en} short of {goal}"));
            history(target, e, s);
            s.pause();
            match status {
                Status::NeedsAcceleration => s.say("接近达标,需关注", "close to the line"),
                Status::MovingAway => s.say("且较上期下降,与目标方向相反", "and falling"),
                _ => s.say("差距较大", "a wide gap"),
            }
        }
    }
}

fn explain_stable(target: &Target, e: &Evaluation, value: f64, s: &mut Sentence) {
    let lang = s.lang;
    s.say(
        format!("{}为{}", when(target, e, lang), q(value, target)),
        format!("{}: {}", when(target, e, lang), q(value, target)),
    );
    if e.status == Status::Baseline {
        s.say("首次报送值作为参照,为基期", "the first report, the reference from now on");
        return;
    }
    if let Some(base) = e.baseline {
        let r = q(base.value, target);
        let at = data_period_label(target, base.period, lang);
        if e.has(Note::FirstValueAsBaseline) {
            s.say(format!("参照首次报送值{r}({at})"), format!("against the first value reported, {r} ({at})"));
        } else {
            s.say(format!("基期{r}({at})"), format!("baseline {r} ({at})"));
        }
    }
    s.pause();
    match e.status {
        Status::Achieved => s.say("保持稳定", "stable"),
        Status::NeedsAcceleration => s.say("略有下降,需关注", "slightly down"),
        Status::Missed => {
            s.say(format!("{}年偏离参照值超出允许范围,未完成", e.target_year.unwrap_or_default()), "not kept stable")
        }
        Status::NoData => s.say("暂无基期以后的数据", "nothing after the reference yet"),
        _ => s.say("明显下降,差距较大", "clearly down"),
    }
}

fn explain_milestone(target: &Target, e: &Evaluation, value: f64, s: &mut Sentence) {
    let due = e.target_year;
    s.say(format!("完成进度{}", q(value, target)), format!("{} done", q(value, target)));
    match (e.status, due) {
        (Status::Achieved, _) => {
            s.pause();
            s.say("已完成", "done");
        }
        (Status::Missed, Some(due)) => {
            s.pause();
            s.say(format!("计划{due}年完成,未完成"), format!("due in {due}, not done"));
        }
        (Status::Baseline, _) => s.say("为基期", "the baseline"),
        (status, due) => {
            if let Some(due) = due {
                s.say(format!("计划{due}年完成"), format!("due in {due}"));
            }
            if let Some(lag) = e.lag_pp {
                let (zh, en) = lag_words(lag);
                s.say(zh, en);
            }
            s.pause();
            match status {
                Status::OnTrack => s.say("进度正常", "on schedule"),
                Status::NeedsAcceleration => s.say("需加快进度", "needs to speed up"),
                _ => s.say("难以按期完成", "unlikely to be done in time"),
            }
        }
    }
}

/// A measure's move: "由第5名升至第4名", "由30%升至31%".
fn describe_move(target: &Target, m: &Move) -> (String, String) {
    let unit = target.measures.iter().find(|x| x.key == m.key).map_or(target.unit.as_str(), |x| x.unit.as_str());
    let (before, after) = (quantity(m.previous, unit), quantity(m.value, unit));
    let better = if unit == units::RANK { m.value < m.previous } else { m.value > m.previous };
    if m.value == m.previous {
        (format!("保持{after}"), format!("unchanged at {after}"))
    } else if better {
        (format!("由{before}升至{after}"), format!("up from {before} to {after}"))
    } else {
        (format!("由{before}降至{after}"), format!("down from {before} to {after}"))
    }
}

fn explain_direction(target: &Target, e: &Evaluation, s: &mut Sentence) {
    let lang = s.lang;
    for m in &e.moves {
        let name =
            target.measures.iter().find(|x| x.key == m.key).map_or(target.indicator.as_str(), |x| x.name.as_str());
        let (zh, en) = describe_move(target, m);
        let when = period_label(m.period, lang);
        s.say(format!("{when}{name}{zh}"), format!("{name} {en} in {when}"));
    }
    for measure in target.measures.iter().filter(|x| !e.moves.iter().any(|m| m.key == x.key)) {
        s.say(format!("{}暂缺上年对比数据", measure.name), format!("{}: no comparison with last year", measure.name));
    }
    s.pause();
    match e.status {
        Status::Achieved => s.say("均较上年改善", "all better than last year"),
        Status::NeedsAcceleration => s.say("尚未全部提升,需关注", "not all improved"),
        Status::MovingAway => s.say("均较上年回落,与目标方向相反", "all worse than last year"),
        Status::Missed => {
            s.say(format!("{}年未实现双提升", e.target_year.unwrap_or_default()), "not all improved in the final year")
        }
        Status::Baseline => s.say("为基期", "the baseline"),
        _ => s.say("均未提升,差距较大", "none improved"),
    }
}

/// Builds a sentence from clauses: "甲,乙;丙。" in Chinese, "A, b; c." in English.
struct Sentence {
    lang: Lang,
    text: String,
    /// The separator before the next clause: a comma, or a semicolon after [`Sentence::pause`].
    next: &'static str,
}

impl Sentence {
    fn new(lang: Lang) -> Self {
        Sentence { lang, text: String::new(), next: "" }
    }

    fn say(&mut self, zh: impl AsRef<str>, en: impl AsRef<str>) {
        let words = match self.lang {
            Lang::Zh => zh.as_ref(),
            Lang::En => en.as_ref(),
        };
        if !self.text.is_empty() {
            self.text.push_str(self.next);
        }
        self.text.push_str(words);
        self.next = match self.lang {
            Lang::Zh => ",",
            Lang::En => ", ",
        };
    }

    /// A clause that explains why the verdict differs from what the clause before suggests:
    /// joined with 但 when it does.
    fn but(&mut self, contradicts: bool, zh: String, en: String) {
        if contradicts {
            self.say(format!("但{zh}"), format!("but {en}"));
        } else {
            self.say(zh, en);
        }
    }

    fn pause(&mut self) {
        if !self.text.is_empty() {
            self.next = match self.lang {
                Lang::Zh => ";",
                Lang::En => "; ",
            };
        }
    }

    fn finish(mut self) -> String {
        if self.lang == Lang::En
            && let Some(first) = self.text.chars().next()
        {
            let upper: String = first.to_uppercase().collect();
            self.text.replace_range(..first.len_utf8(), &upper);
        }
        self.text.push_str(match self.lang {
            Lang::Zh => "。",
            Lang::En => ".",
        });
        self.text
    }
}
