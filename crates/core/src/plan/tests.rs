use super::*;
use crate::period::Period;

const NINGBO_PLAN: &str = include_str!("../../../../plans/ningbo-361-2025.toml");
const NINGBO_TEXT: &str = include_str!("../../../../plans/ningbo-361-2025.txt");

fn ningbo() -> Plan {
    parse("plans/ningbo-361-2025.toml", NINGBO_PLAN).unwrap_or_else(|e| panic!("{e}"))
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

// ── The Ningbo plan as encoded ──────────────────────────────────────────────────────

#[test]
fn the_ningbo_plan_has_seven_projects_and_every_target() {
    let plan = ningbo();
    let projects: Vec<u32> = plan.projects.iter().map(|p| p.number).collect();
    assert_eq!(projects, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(plan.tasks.iter().filter(|t| t.project > 0).count(), 24);
    let numbers: usize = plan.targets.iter().flat_map(|t| t.goal.stated()).filter(|(_, value)| value.is_some()).count();
    assert!(numbers >= 44, "every quantified target of the plan: {numbers}");
    for qualitative in ["双提升", "全覆盖", "保持稳定", "动态清零", "破万", "百亿级"] {
        assert!(
            plan.targets.iter().any(|t| t.source_text.contains(qualitative)),
            "the commitment {qualitative} is a target"
        );
    }
}

#[test]
fn every_source_text_is_a_verbatim_clause_of_the_plan() {
    let text = squeeze(NINGBO_TEXT);
    for target in ningbo().targets {
        assert!(
            text.contains(&squeeze(&target.source_text)),
            "{}: \"{}\" is not in the plan text",
            target.id,
            target.source_text
        );
    }
}

/// The numbers of a sentence, skipping years (2030年) and names in quotes (“361”).
fn numbers_in(sentence: &str) -> Vec<String> {
    let mut numbers = Vec::new();
    let mut quoted = false;
    let chars: Vec<char> = sentence.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '“' => quoted = true,
            '”' => quoted = false,
            c if c.is_ascii_digit() && !quoted => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let number: String = chars[start..i].iter().collect();
                if chars.get(i) != Some(&'年') {
                    numbers.push(number);
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    numbers
}

#[test]
fn every_number_in_a_target_sentence_belongs_to_a_target() {
    let plan = ningbo();
    let is_target_sentence = |s: &&str| (s.contains("到20") && s.contains("年")) || s.contains("每年");
    let mut checked = 0;
    for sentence in NINGBO_TEXT.split('。').filter(is_target_sentence) {
        for number in numbers_in(sentence) {
            let value: f64 = number.parse().unwrap_or_else(|_| panic!("{number} in {sentence}"));
            let owned = plan.targets.iter().any(|t| {
                let values = t.goal.stated().into_iter().filter_map(|(_, v)| v);
                values.into_iter().any(|v| (v - value).abs() < 1e-9) || t.indicator.contains(&number)
            });
            assert!(owned, "{number} in \"{sentence}\" belongs to no target");
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} numbers were checked");
}

#[test]
fn lead_units_follow_the_plan_and_inherit_from_the_task() {
    let plan = ningbo();
    let champions = plan.target("3.3.1").expect("单项冠军");
    assert_eq!(champions.lead, "市经信局");
    assert_eq!(champions.co, ["市科技局"]);
    let business = plan.target("7.3.1").expect("清零");
    assert_eq!(business.lead, "市委改革办〔市营商环境建设局〕");
    let headline = plan.target("0.1").expect("规上工业产值");
    assert_eq!(headline.lead, plan.meta.office, "targets nobody is named for are the plan office's");
    assert_eq!(headline.goal.stated(), [(Some(2027), Some(2.7)), (Some(2030), Some(3.3))]);
}

// ── Validation: one test per kind of error ──────────────────────────────────────────

const SMALL: &str = r#"format = 2
units = ["市经信局", "市科技局"]

[plan]
id = "p"
title = "t"
issuer = "i"
issued = "2025-01-01"
region = "宁波市"
baseline_year = 2024
horizon = [2030]
office = "市经信局"

[[project]]
number = 1
name = "工程"

[[task]]
id = "1.1"
name = "任务"
units = ["市经信局", "市科技局"]

[[target]]
id = "1.1.1"
task = "1.1"
indicator = "单项冠军"
unit = "家"
kind = "cumulative"
direction = "up"
comparator = "达到"
values = { 2030 = 160 }
baseline = { value = 104, year = 2024, source = "s" }
frequency = "month"
basis = "stock"
source_text = "x"
"#;

fn errors_of(text: &str) -> Vec<PlanError> {
    parse("small.toml", text).expect_err("invalid").errors
}

fn single_error(text: &str) -> PlanError {
    let errors = errors_of(text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.into_iter().next().unwrap_or_else(|| unreachable!())
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1).expect("needle present")
}

#[test]
fn the_small_plan_is_valid() {
    let plan = parse("small.toml", SMALL).expect("valid");
    assert_eq!(plan.targets[0].lead, "市经信局");
}

#[test]
fn a_toml_syntax_error_names_its_line() {
    let text = SMALL.replace("kind = \"cumulative\"", "kind = \"cumulative");
    let error = single_error(&text);
    assert_eq!(error.line, line_of(&text, "kind = \"cumulative"));
}

#[test]
fn an_unknown_kind_is_named() {
    let text = SMALL.replace("kind = \"cumulative\"", "kind = \"cumulativ\"");
    let error = single_error(&text);
    assert_eq!(error.line, line_of(&text, "cumulativ\""));
    assert!(error.message.contains("unknown kind \"cumulativ\""), "{}", error.message);
    assert_eq!(error.context, "target 1.1.1: kind");
}

#[test]
fn an_unknown_unit_is_named() {
    let text = SMALL.replace("unit = \"家\"", "unit = \"吨\"");
    let error = single_error(&text);
    assert_eq!(error.line, line_of(&text, "unit = \"吨\""));
    assert!(error.message.contains("unknown unit \"吨\""));
}

#[test]
fn a_duplicate_id_is_named() {
    let second = &SMALL[SMALL.find("[[target]]").expect("target")..];
    let text = format!("{SMALL}\n{second}");
    let error = single_error(&text);
    assert_eq!(error.message, "duplicate id");
    assert!(error.line > line_of(&text, "id = \"1.1.1\""), "the second occurrence is named");
}

#[test]
fn a_target_year_before_the_baseline_is_named() {
    let text = SMALL.replace("values = { 2030 = 160 }", "values = { 2023 = 160 }");
    let error = single_error(&text);
    assert_eq!(error.line, line_of(&text, "values = { 2023"));
    assert!(error.message.contains("target year 2023 is not after the baseline year 2024"), "{}", error.message);
}

#[test]
fn a_missing_direction_is_named() {
    let text = SMALL.replace("direction = \"up\"\n", "");
    let error = single_error(&text);
    assert_eq!(error.context, "target 1.1.1: direction");
    assert!(error.message.contains("missing direction"));
}

#[test]
fn a_lead_unit_that_is_not_known_is_named() {
    let text = SMALL.replace("source_text = \"x\"", "lead = \"市财政局\"\nsource_text = \"x\"");
    let error = single_error(&text);
    assert_eq!(error.line, line_of(&text, "lead = \"市财政局\""));
    assert!(error.message.contains("\"市财政局\" is not a known unit"));
}

#[test]
fn an_annual_target_with_a_target_year_path_is_named() {
    let text = SMALL
        .replace("kind = \"cumulative\"", "kind = \"annual\"")
        .replace("baseline = { value = 104, year = 2024, source = \"s\" }\n", "");
    let errors = errors_of(&text);
    assert!(
        errors.iter().any(|e| e.message.contains("not a target-year path") && e.line == line_of(&text, "values =")),
        "{errors:?}"
    );
}

#[test]
fn a_target_value_with_the_wrong_sign_for_its_direction_is_named() {
    let text = SMALL.replace("direction = \"up\"", "direction = \"down\"");
    let error = single_error(&text);
    assert!(error.message.contains("is not below the baseline 104"), "{}", error.message);
    let increment = SMALL
        .replace("kind = \"cumulative\"", "kind = \"increment\"")
        .replace("values = { 2030 = 160 }", "values = { 2030 = -5 }");
    assert!(errors_of(&increment).iter().any(|e| e.message.contains("wrong sign")));
}

#[test]
fn every_problem_is_listed_not_only_the_first() {
    let text = SMALL
        .replace("kind = \"cumulative\"", "kind = \"sum\"")
        .replace("unit = \"家\"", "unit = \"吨\"")
        .replace("task = \"1.1\"", "task = \"9.9\"");
    let errors = errors_of(&text);
    assert_eq!(errors.len(), 3, "{errors:?}");
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "in line order");
    let shown = PlanErrors { file: "small.toml".into(), errors }.to_string();
    assert!(shown.starts_with("small.toml:"), "{shown}");
}

// ── How a target is reported (DESIGN §3A.1) ────────────────────────────────────────────

#[test]
fn a_target_without_frequency_or_basis_is_refused() {
    let no_frequency = SMALL.replace("frequency = \"month\"\n", "");
    let error = single_error(&no_frequency);
    assert_eq!(error.context, "target 1.1.1: frequency");
    assert!(error.message.contains("missing frequency"), "{}", error.message);
    let no_basis = SMALL.replace("basis = \"stock\"\n", "");
    let error = single_error(&no_basis);
    assert_eq!(error.context, "target 1.1.1: basis");
}

#[test]
fn a_since_start_basis_needs_its_start_month() {
    let text = SMALL.replace("basis = \"stock\"", "basis = \"since_start\"");
    let error = single_error(&text);
    assert_eq!(error.context, "target 1.1.1: basis_start");
    assert_eq!(error.line, line_of(&text, "since_start"));
    let quarter = SMALL.replace("basis = \"stock\"", "basis = \"since_start\"\nbasis_start = \"2025Q1\"");
    assert!(single_error(&quarter).message.contains("is not a month"));
    let fine = SMALL.replace("basis = \"stock\"", "basis = \"since_start\"\nbasis_start = \"2025-01\"");
    let plan = parse("small.toml", &fine).expect("valid");
    assert_eq!(plan.targets[0].basis, Basis::SinceStart(Period::month(2025, 1)));
}

#[test]
fn a_basis_that_contradicts_the_kind_is_refused() {
    let text = SMALL.replace("basis = \"stock\"", "basis = \"ytd\"");
    let error = single_error(&text);
    assert_eq!(error.message, "a cumulative target cannot be reported as ytd");
    let increment = SMALL
        .replace("kind = \"cumulative\"", "kind = \"increment\"")
        .replace("baseline = { value = 104, year = 2024, source = \"s\" }\n", "");
    assert_eq!(single_error(&increment).message, "a increment target cannot be reported as stock");
}

#[test]
fn the_format_is_checked() {
    let missing = SMALL.replace("format = 2\n", "");
    assert!(single_error(&missing).message.contains("missing `format = 2`"));
    let old = SMALL.replace("format = 2", "format = 1");
    let error = single_error(&old);
    assert_eq!(error.line, 1);
    assert!(error.message.contains("format 1 is not read"), "{}", error.message);
}

#[test]
fn defaults_by_kind_and_explicit_settings_are_checked() {
    let plan = parse("small.toml", SMALL).expect("valid");
    assert_eq!(plan.targets[0].tolerance, 0.01);
    assert_eq!(plan.targets[0].district_goal, DistrictGoal::Share);
    let paced = SMALL.replace("basis = \"stock\"", "basis = \"stock\"\npace = \"year_end\"");
    assert_eq!(single_error(&paced).message, "only an annual target has a pace");
    let wide = SMALL.replace("basis = \"stock\"", "basis = \"stock\"\ntolerance = 1.5");
    assert_eq!(single_error(&wide).context, "target 1.1.1: tolerance");
}

#[test]
fn an_undated_milestone_is_due_at_the_horizon() {
    let text = SMALL
        .replace("kind = \"cumulative\"", "kind = \"milestone\"")
        .replace("unit = \"家\"", "unit = \"状态\"")
        .replace("values = { 2030 = 160 }\n", "")
        .replace("baseline = { value = 104, year = 2024, source = \"s\" }\n", "");
    let plan = parse("small.toml", &text).expect("valid");
    assert_eq!(plan.targets[0].goal, Goal::State { due: Some(2030) });
}

#[test]
fn the_ningbo_plan_states_how_every_target_is_reported() {
    let plan = ningbo();
    let of = |id: &str| plan.target(id).unwrap_or_else(|| panic!("target {id}"));
    assert_eq!((of("0.1").frequency, of("0.1").basis), (Frequency::Month, Basis::Ytd));
    assert_eq!((of("7.4.1").frequency, of("7.4.1").basis), (Frequency::Quarter, Basis::Ytd));
    assert_eq!(of("7.2.1").basis, Basis::SinceStart(Period::month(2025, 1)));
    assert_eq!(of("1.2.2").lead, "市科技局", "the lead is the first unit the text names");
    assert_eq!(of("4.3.3").kind, Kind::Level, "到2030年达到99% is a dated level");
    assert_eq!(of("1.3.3").goal.stated(), [(Some(2030), Some(10000.0))]);
    assert_eq!(of("1.3.3").comparator, Comparator::Exceed, "破万 is 突破 10000 家");
    for id in ["1.4.3", "7.1.2"] {
        assert_eq!(of(id).goal, Goal::State { due: Some(2030) }, "{id} is due at the horizon");
    }
    assert_eq!(of("0.6").goal, Goal::State { due: Some(2027) }, "初步建成 by 2027");
    assert_eq!(of("1.3.2").source_text, of("1.3.4").source_text, "one sentence, two commitments");
    assert_eq!(of("2.1.1").goal, Goal::EveryYear { value: 98.0, until: Some(2030) }, "每年 as a yearly record");
    assert_eq!(of("1.4.1").pace, Pace::YearEnd);
    assert_eq!(i18n_goal(of("7.3.2")), "保持90%以上");
    for milestone in ["4.1.3", "4.3.5", "5.1.2"] {
        assert_eq!(of(milestone).kind, Kind::Milestone, "the 争创 item {milestone}");
    }
    assert!(of("0.4").baseline.is_none() && of("0.4").basis_note.is_some(), "another basis is a 口径说明");
    assert!(of("2.4.2").note.as_deref().is_some_and(|n| n.contains("只限定先进制造业项目")));
}

fn i18n_goal(target: &Target) -> String {
    let value = target.goal.stated().first().and_then(|(_, v)| *v).unwrap_or_default();
    crate::i18n::goal_phrase(target.comparator, value, &target.unit)
}
