//! The words of the web pages, Chinese and English side by side. Templates read them as fields
//! (`{{ w.cockpit }}`), so a missing word is a compile error, not a blank on screen. Sentences
//! about the plan itself (explanations, status labels, periods) come from
//! `plan361_core::i18n`.

use plan361_core::i18n::Lang;

macro_rules! words {
    ($($name:ident: $zh:literal, $en:literal;)*) => {
        /// Every word the pages show, in one language.
        pub struct Words {
            $(pub $name: &'static str,)*
        }

        const ZH: Words = Words { $($name: $zh,)* };
        const EN: Words = Words { $($name: $en,)* };
    };
}

words! {
    app_title: "宁波市“361”现代化产业体系监测平台", "Ningbo \"361\" Industrial System Monitor";
    app_short: "“361”监测平台", "361 Monitor";
    cockpit: "驾驶舱", "Cockpit";
    projects: "七大工程", "Projects";
    my_tasks: "我的任务", "My tasks";
    review: "审核", "Review";
    compare: "区县比较", "Districts";
    audit: "审计日志", "Audit log";
    users: "用户管理", "Users";
    login: "登录", "Sign in";
    logout: "退出", "Sign out";
    username: "用户名", "User name";
    password: "密码", "Password";
    login_hint: "请使用本单位分配的账号登录", "Sign in with the account your unit was given";
    switch_lang: "English", "中文";
    demo_banner: "演示环境:页面上的填报数据均为合成数据,仅用于演示,不代表真实统计数据;规划目标与单位为真实内容。",
        "Demo: every reported value on this page is SYNTHETIC, for demonstration only; the plan, its targets and units are real.";
    period: "评价期", "Period";
    show: "查看", "Show";
    headline: "总体目标", "Headline targets";
    latest: "最新值", "Latest";
    target: "目标", "Target";
    completion: "完成率(现值÷目标值)", "Completion (value ÷ goal)";
    expected: "序时进度", "Expected";
    progress: "目标进度", "Progress";
    lag: "差距(百分点)", "Gap (pp)";
    status: "状态", "Status";
    lead_unit: "牵头单位", "Lead unit";
    co_units: "配合单位", "Co-units";
    responsible_units: "责任单位", "Responsible units";
    indicator: "指标", "Indicator";
    id: "编号", "No.";
    org_unit: "单位", "Unit";
    explanation: "情况分析", "Assessment";
    project_status: "各工程目标状态", "Targets by status, per project";
    most_lagging: "最需关注的目标", "Targets needing attention";
    nothing_lagging: "所有目标进度正常。", "Every target is on track.";
    all_targets: "全部目标", "All targets";
    download_xlsx: "下载 Excel", "Download Excel";
    print: "打印", "Print";
    task: "任务", "Task";
    targets_count: "项目标", "targets";
    definition: "指标定义", "Definition";
    kind: "类型", "Kind";
    unit: "计量单位", "Unit";
    direction: "方向", "Direction";
    higher_better: "越高越好", "higher is better";
    lower_better: "越低越好", "lower is better";
    baseline: "基期值", "Baseline";
    baseline_source: "基期来源", "Baseline source";
    unknown: "未知", "unknown";
    goals: "目标值", "Goals";
    plan_clause: "规划原文", "The plan's clause";
    frequency: "报送频率", "Reported";
    monthly: "每月", "monthly";
    quarterly: "每季度", "quarterly";
    yearly: "每年", "yearly";
    data_period: "数据期", "Data period";
    chart: "走势", "Trend";
    actual_cagr: "实际年均增长", "Actual growth a year";
    required_cagr: "还需年均增长", "Growth needed a year";
    projected: "推算目标年值", "Projected at target year";
    goal_source: "目标来源", "Goal from";
    legend_actual: "实际值", "actual";
    legend_expected: "序时路径", "expected path";
    legend_projection: "按年均增长推算", "projection at the actual growth rate";
    legend_goal: "目标", "goal";
    districts: "区县分解", "Districts";
    decomposed_goal: "分解目标", "Decomposed goal";
    scaled_goal: "按基期比例", "share of the city's";
    same_as_city: "同全市目标", "same as the city's";
    no_goal: "未设目标", "no goal";
    history: "填报记录", "Reporting history";
    revision: "版本", "Rev.";
    action: "操作", "Action";
    value: "数值", "Value";
    comment: "情况说明", "Comment";
    reason: "原因", "Reason";
    by: "操作人", "By";
    when: "时间", "When";
    state: "审核状态", "State";
    due_now: "本期应报", "Due this period";
    submit_all: "提交全部", "Submit all";
    submit_all_hint: "把本页全部草稿一次提交审核", "Submit every draft on this page for review";
    checks: "数据校验", "Data checks";
    checks_findings: "库中数据的校验结果", "What the rules find in the stored values";
    checks_none: "未发现问题。", "No findings.";
    checks_rules: "校验规则", "Validation rules";
    checks_rules_file: "规则文件", "Rules file";
    checks_rules_help: "每条规则写成一个 [[rule]]:check(规则)、severity(error 拒收 · warning 须填情况说明并提示审核人 · off 不校验),可选 target(只对一个目标)、threshold(阈值)、min/max(range 规则的合理范围)。未写出的规则按默认执行。",
        "One [[rule]] per rule: check, severity (error refuses · warning needs a 情况说明 and flags the value to the reviewer · off), optional target (one target only), threshold, min/max (the range rule). Rules not written keep their defaults.";
    checks_save_rules: "保存规则", "Save the rules";
    check_rule: "规则", "Rule";
    check_severity: "级别", "Severity";
    check_threshold: "阈值", "Threshold";
    check_applies: "适用目标", "Applies to";
    check_every_target: "全部目标", "Every target";
    check_message: "说明", "Finding";
    check_flags: "校验提示", "Data check";
    upload_preview: "上传预览", "Upload preview";
    upload_preview_hint: "以下是上传文件将带来的变化;确认后才写入,且全部写入或全部不写入。",
        "What the uploaded file would change; nothing is written until you confirm, and then all rows or none.";
    upload_conflicts: "存在冲突:已报送或已审核的数据不会被上传文件覆盖,本次未写入任何数据。请审核人先退回,或重新下载填报表。",
        "Conflicts: a submitted or approved value is never overwritten by a file, and nothing was written. Ask a reviewer to return it first, or download the form again.";
    upload_nothing: "文件中的数据与库中相同,无需导入。", "The file holds the stored values: nothing to import.";
    confirm_import: "确认导入", "Import";
    row_no: "行", "Row";
    change: "变化", "Change";
    stored_value: "库中数值", "Stored";
    overdue: "逾期未报", "Overdue";
    returned: "被退回", "Returned";
    due_date: "截止日期", "Due";
    days_overdue: "逾期天数", "Days late";
    last_value: "上期值", "Last value";
    your_value: "本期值", "This period";
    save_draft: "保存草稿", "Save draft";
    submit: "提交审核", "Submit";
    upload_form: "上传填好的 Excel 表", "Upload a filled Excel form";
    upload: "上传", "Upload";
    download_form: "下载空白填报表", "Download a blank form";
    nothing_due: "本期没有需要填报的数据。", "Nothing to report this period.";
    form_title: "填报表", "reporting form";
    form_fill: "只填写“本期值”和“情况说明”两列,其余各列请勿修改;填好后在“我的任务”页面上传。",
        "Fill in only the value and comment columns; leave the others as they are, then upload the file on My tasks.";
    form_units: "按“填报口径”列填写:期末数、1—N月累计或自起始月以来累计新增;节点任务填写完成进度(0至100,100表示已完成);百分比指标填写百分数数值(如 65 表示 65%)。",
        "Fill in on the basis column's terms: the value at the period's end, January to the period, or added since the start month; milestones take the share done in percent (0 to 100); percentages take the number (65 for 65%).";
    nothing_overdue: "没有逾期未报的数据。", "Nothing overdue.";
    review_queue: "待审核数据", "Values awaiting review";
    approve: "审核通过", "Approve";
    return_back: "退回", "Return";
    return_reason: "退回原因(退回时必填)", "Reason (required to return)";
    select_all: "全选", "Select all";
    nothing_to_review: "没有待审核的数据。", "Nothing to review.";
    submitted_by: "报送人", "Submitted by";
    rank: "排名", "Rank";
    choose_target: "选择指标", "Target";
    only_additive: "仅显示有区县数据的指标。", "Only targets with district data are listed.";
    audit_chain: "审计链校验", "Audit chain";
    chain_ok: "完整,共", "intact, entries:";
    chain_broken: "已损坏", "broken";
    entity: "对象", "Entity";
    before: "变更前", "Before";
    after: "变更后", "After";
    display_name: "姓名", "Name";
    role: "角色", "Role";
    disabled: "已停用", "disabled";
    active: "正常", "active";
    add_user: "新增用户", "Add a user";
    add: "新增", "Add";
    disable: "停用", "Disable";
    enable: "启用", "Enable";
    done_draft: "已保存草稿。", "Draft saved.";
    done_submit: "已提交审核。", "Submitted for review.";
    done_import: "已导入为草稿,请核对后提交:", "Imported as drafts; check and submit them:";
    done_approve: "已审核通过:", "Approved:";
    done_return: "已退回:", "Returned:";
    done_user: "用户已更新。", "User updated.";
    error: "出错了", "Something went wrong";
    back: "返回", "Back";
    footer: "数据口径与计算方法见《评价方法说明》;目标进度与序时进度均按基期至目标值的同一尺度计算。",
        "How every figure is computed: see the method. Progress and the expected pace share one scale, from the baseline to the goal.";
    method: "评价方法说明", "Method";
    empty_table: "暂无数据", "No data";
    stale: "逾期未更新", "not updated";
    estimate: "全年预计", "Year estimate";
    yoy: "同比", "Year on year";
    baseline_used: "评价基期", "Baseline used";
    basis_note: "口径说明", "Definitions";
    basis: "填报口径", "Basis";
    year_results: "目标年度考核结果", "Finished target years";
    year: "年度", "Year";
    met: "结果", "Result";
    met_yes: "已达标", "met";
    met_no: "未完成", "missed";
    measures: "分项", "Measures";
    all_history: "查看全部记录", "Show every record";
    see_all_warnings: "查看全部", "See all";
    source_plan: "规划", "plan";
    source_reported: "报送值", "reported";
    source_counted: "清单计数", "counted";
    synthetic: "合成数据", "synthetic";
    lists: "四张清单", "Key lists";
    search: "搜索", "Search";
    search_hint: "名称或编号", "name or code";
    search_hint_enterprise: "企业名称或统一社会信用代码", "name or credit code";
    any: "全部", "all";
    filter: "筛选", "Filter";
    clear_filter: "清除筛选", "Clear";
    entries_found: "条", "entries";
    previous_page: "上一页", "Previous";
    next_page: "下一页", "Next";
    no_entries: "没有符合条件的条目。", "No entry matches.";
    add_entry: "新增条目", "Add an entry";
    edit: "编辑", "Edit";
    remove: "移除", "Remove";
    remove_entry: "移除此条目", "Remove this entry";
    remove_hint: "移除后条目不再计入任何目标,历史记录保留。", "A removed entry counts towards no target; its history stays.";
    save: "保存", "Save";
    cancel: "取消", "Cancel";
    change_reason: "变更原因(必填)", "Reason for the change (required)";
    fix_fields: "请更正标出的内容,未保存任何更改。", "Please correct the marked fields; nothing was saved.";
    entry_removed: "此条目已移除,以下为其变更记录。", "This entry was removed; its history is below.";
    list_history: "变更记录", "History";
    changed: "变更内容", "Changed";
    removed: "已移除", "removed";
    added: "新增", "added";
    fields: "基本信息", "Details";
    honours: "荣誉", "Honours";
    held: "有效", "held";
    grant_honour: "授予荣誉", "Grant an honour";
    revoke: "撤销", "Revoke";
    revoked_status: "已撤销", "revoked";
    revoked_on: "撤销日期", "Revoked on";
    current_stage: "当前阶段", "Stage reached";
    stage_dates: "阶段日期", "Stage dates";
    set_by_hand: "手工指定", "set by hand";
    by_industry: "按行业代码归集", "from the industry code";
    catalog_version: "集群目录版本", "Cluster catalog";
    counted_rule: "计数口径", "How it is counted";
    counted_list: "数据来源", "Counted from";
    see_entries: "查看计入的条目", "See the entries counted";
    entries_counted: "计入的条目", "Entries counted";
    counts_from: "计入日期", "Counts from";
    counts_until: "截止日期", "Until";
    back_to_target: "返回目标页", "Back to the target";
    stats: "集群监测", "Clusters";
    stats_measure: "指标", "Measure";
    stats_month: "当月", "Month";
    stats_jan_feb: "(1–2月)", "(Jan–Feb)";
    stats_ytd: "1–N月累计", "Year to date";
    stats_ytd_prev: "去年同期(同口径)", "Last year (like for like)";
    stats_yoy: "同比", "Year on year";
    stats_enterprises: "企业数", "Enterprises";
    stats_share: "占比", "Share";
    stats_contribution: "拉动(百分点)", "Contribution (pp)";
    stats_cluster: "集群", "Cluster";
    stats_clusters: "各集群", "Clusters";
    stats_heat: "区县 × 集群(同比)", "Districts × clusters (year on year)";
    stats_districts: "各区县(按累计排序)", "Districts (by year to date)";
    stats_largest: "规模最大的企业", "Largest enterprises";
    stats_fallers: "同比降幅最大的企业", "Steepest fallers";
    stats_trend: "走势:当月(柱)与同比(线)", "Trend: month (bars) and year on year (line)";
    stats_behind: "计入的企业", "Enterprises counted";
    stats_catalog: "目录版本", "Catalog version";
    stats_note: "同比按同口径计算(本年规上企业中上年同月也有数据的企业);集群之间有交叉,各集群不可相加;开发园区另列,不计入全市。",
        "Growth is like for like (this year's above-scale enterprises that also reported the same month last year); clusters overlap and never add up; development zones stand apart, never added to the city.";
    stats_empty: "尚无企业月度数据:用 plan361 stats import 导入。", "No enterprise microdata yet: load them with plan361 stats import.";
    stats_all: "全部规上工业", "All above-scale industry";
    done_saved: "已保存。", "Saved.";
    done_removed: "已移除。", "Removed.";
    done_granted: "已授予。", "Granted.";
    done_revoked: "已撤销。", "Revoked.";
    credit_code: "统一社会信用代码", "Credit code";
    code: "编号", "Code";
    name: "名称", "Name";
    district: "所在区县(市)", "District";
    industry: "行业(GB/T 4754)", "Industry (GB/T 4754)";
    industry_hint: "4位小类代码", "a 4-digit class";
    above_scale: "规上年份", "Above-scale years";
    years_hint: "年份,以;分隔", "years, separated by ;";
    clusters: "所属集群", "Clusters";
    clusters_hint: "集群编号,以;分隔;留空则按行业代码归集", "cluster ids separated by ;, blank: from the industry code";
    cluster_reason: "手工指定集群的原因", "Why clusters are set by hand";
    cluster: "所属集群", "Cluster";
    honour: "荣誉", "Honour";
    level: "级别", "Level";
    granted: "授予日期", "Granted";
    note: "备注", "Note";
    owner: "业主企业", "Owner";
    category: "类别", "Category";
    origin: "来源", "Origin";
    investment: "总投资(亿元)", "Investment (亿元)";
    signed: "签约日期", "Signed";
    landed: "落地日期", "Landed";
    started: "开工日期", "Started";
    completed: "投产日期", "In production";
    invested: "完成投资", "Investment completed";
    invested_hint: "期:亿元,以;分隔,如 2025-06:3.2", "PERIOD:亿元 separated by ;, e.g. 2025-06:3.2";
    entry_kind: "类型", "Type";
    area_mu: "面积(亩)", "Area (亩)";
    leading_cluster: "主导集群", "Leading cluster";
    established: "设立日期", "Established";
    renovations: "改造提升", "Renovations";
    renovations_hint: "日期:亩,以;分隔,如 2025-04-01:300", "DATE:亩 separated by ;, e.g. 2025-04-01:300";
    host: "依托单位", "Host";
    recognized: "认定日期", "Recognised";
    warnings: "预警中心", "Warnings";
    bulletins: "月度通报", "Bulletins";
    warning: "预警", "Warning";
    warning_level: "等级", "Level";
    warning_source: "来源", "Source";
    warning_owner: "责任单位", "Owner";
    warning_state: "处理状态", "State";
    warning_reason: "预警原因", "Reason";
    warning_period: "发生期", "Arose";
    warning_found: "最近发现", "Last found";
    warning_all: "全部", "All";
    warning_open: "未解除", "Open";
    warning_by_level: "按等级", "By level";
    warning_by_owner: "按责任单位(未解除)", "By owner (open)";
    warning_none: "没有符合条件的预警。", "No warning matches.";
    warning_mine: "本单位未解除的预警", "Open warnings of your unit";
    warning_acknowledge: "签收", "Acknowledge";
    warning_measures: "整改措施", "Measures";
    warning_due: "完成时限", "Due by";
    warning_set_measures: "登记整改措施", "Record measures";
    warning_resolve_note: "解除说明", "Resolution note";
    warning_resolve: "解除预警", "Resolve";
    warning_history: "处理记录", "History";
    warning_not_yours: "该预警由责任单位或推进办处理。", "The owner unit or the plan office handles this warning.";
    warning_rules: "预警规则", "Rules";
    warning_threshold: "阈值", "Threshold";
    warning_enabled: "启用", "On";
    warning_scan_note: "系统在每次数据变更后和每天夜间自动扫描上一个月,原因消除时自动解除,原因再现时重新打开。",
        "The server scans the last closed month after every change and each night; a warning resolves itself when its cause is gone and reopens when it returns.";
    step_raised: "发出预警", "Raised";
    step_acknowledged: "签收", "Acknowledged";
    step_measures: "登记整改措施", "Measures recorded";
    step_resolved: "解除", "Resolved";
    step_auto_resolved: "自动解除", "Resolved automatically";
    step_reopened: "重新打开", "Reopened";
    done_acknowledged: "已签收。", "Acknowledged.";
    done_measures: "已登记整改措施。", "Measures recorded.";
    done_resolved: "预警已解除。", "Warning resolved.";
    bulletin_intro: "通报由系统根据已审核数据自动生成,内容依次为总体情况、主要指标、七大工程、滞后指标及预警、各单位填报情况、产业集群和区县运行情况及附图。",
        "Each bulletin is written from the approved data: summary, headline table, the seven projects, lagging targets and warnings, reporting record, clusters and districts, charts.";
    bulletin_monthly: "月度通报", "Monthly";
    bulletin_quarterly: "季度通报", "Quarterly";
    bulletin_docx: "Word", "Word";
    bulletin_xlsx: "Excel", "Excel";
    bulletin_html: "网页(可打印)", "Web page (printable)";
    progress_title: "填报进度", "Reporting progress";
    done_user_created: "用户已创建。首次登录时须修改密码。", "User created. The password is changed at the first sign-in.";
    done_password_reset: "密码已重置,该用户下次登录时须修改密码。", "Password reset; the user changes it at the next sign-in.";
    reset_password: "重置密码", "Reset password";
    new_password: "新密码", "New password";
    password_again: "再次输入新密码", "New password again";
    change_password: "修改密码", "Change password";
    must_change_password: "您的密码由管理员设置,请先修改密码再继续使用。", "An administrator set your password: change it before going on.";
    passwords_differ: "两次输入的新密码不一致 the two new passwords differ", "the two new passwords differ";
    audit_from: "起始日期", "From";
    audit_until: "截止日期", "Until";
    audit_sign_ins: "登录次数(单独统计,点击查看)", "Sign-ins (counted apart; click to list)";
    audit_newest: "最新", "Newest";
    audit_changes: "变更内容", "Changes";
    all_actions: "全部操作", "All actions";
    all_users: "全部人员", "Everyone";
    progress_reports: "未报送的数据", "Reports not in";
    progress_from: "起始期", "From";
    reporting_unit: "责任单位", "Reporting unit";
    timeliness: "填报及时率", "On-time rate";
    timeliness_note: "(截止日期前报送的 ÷ 已到截止日期的)", "(in by the due date ÷ due)";
    all_units: "全部单位", "All units";
    all_states: "全部状态", "All states";
    remind: "催报", "Remind";
    remind_all: "向全部逾期单位催报", "Remind every overdue unit";
    reminded: "已催报", "Reminded";
    notices: "通知", "Notices";
    notices_none: "没有通知。", "No notices.";
    notices_read_all: "全部标为已读", "Mark all read";
    notices_mark_read: "标为已读", "Mark read";
    district_cockpit: "区县驾驶舱", "District cockpit";
    city_cockpit: "全市驾驶舱", "City cockpit";
    district_status: "本区县目标状态", "Status of the district's targets";
    district_targets: "本区县目标", "The district's targets";
    district_rank: "区县排名", "Rank";
    decomposed_waiting: "已分解、尚无数据的目标", "Decomposed, no value yet";
    menu: "菜单", "Menu";
    printed_on: "打印日期", "Printed";
    planning: "计划管理", "Plan";
    planning_only: "只有推进办和系统管理员可以管理计划", "Only the plan office and administrators manage the plan";
    plan_versions: "计划版本", "Plan versions";
    plan_version: "版本", "Version";
    plan_effective: "生效期", "Effective from";
    plan_effective_help: "新版本自哪一期起适用,如 2027-01、2027Q1 或 2027;不填为本月", "The first period the new version applies to, e.g. 2027-01, 2027Q1 or 2027; empty: this month";
    plan_reason: "调整原因", "Reason";
    plan_loaded_by: "操作人", "Loaded by";
    plan_loaded_at: "载入时间", "Loaded at";
    plan_changes: "变动", "Changes";
    plan_load: "动态调整:载入新版本", "Adjust the plan: load a new version";
    plan_load_help: "上传修改后的计划文件(.toml)。文件先按 plan361 plan check 的规则检查,有问题时逐条列出行号,不写入任何内容;通过后记为新版本,并显示与上一版本的差异。", "Upload the changed plan file (.toml). It is checked as plan361 plan check checks it; every problem is listed with its line and nothing is written. Once accepted it is recorded as a new version and its differences from the previous one are shown.";
    plan_file: "计划文件", "Plan file";
    plan_load_button: "检查并载入", "Check and load";
    plan_file_problems: "计划文件有问题,未作改动", "The plan file has problems; nothing was changed";
    plan_line: "行", "Line";
    plan_where: "位置", "Where";
    plan_problem: "问题", "Problem";
    plan_file_missing: "请选择要载入的计划文件", "Choose the plan file to load";
    plan_loaded: "已载入新版本,以下是与上一版本的差异", "New version loaded; its differences from the previous one";
    plan_unchanged: "文件与现行版本相同,未作改动", "The file equals the version in force; nothing was changed";
    plan_diff: "版本差异", "Differences between versions";
    plan_diff_from: "原版本", "From version";
    plan_diff_to: "新版本", "To version";
    plan_diff_none: "两个版本的目标没有差异。", "The two versions' targets do not differ.";
    plan_change: "变动", "Change";
    plan_field: "字段", "Field";
    plan_before: "原值", "Before";
    plan_after: "新值", "After";
    plan_added: "新增", "Added";
    plan_removed: "删除", "Removed";
    plan_changed: "修改", "Changed";
    plan_diff_summary: "新增 {added} 项 · 删除 {removed} 项 · 修改 {changed} 项", "{added} added · {removed} removed · {changed} changed";
    plan_first_version: "第一个版本,无可比较的上一版本", "The first version: nothing to compare with";
    field_indicator: "指标名称", "Indicator";
    field_unit: "计量单位", "Unit";
    field_kind: "目标类型", "Kind";
    field_direction: "方向", "Direction";
    field_comparator: "表述", "Comparator";
    field_years: "目标年份", "Target years";
    field_goal: "目标值", "Goal";
    field_baseline: "基期值", "Baseline";
    field_source_text: "规划原文", "Plan text";
    field_frequency: "报送频率", "Frequency";
    field_basis: "统计口径", "Basis";
    field_tolerance: "容差", "Tolerance";
    field_district_goal: "区县目标", "District goals";
    decomposition: "目标分解", "Decomposition";
    decomposition_target: "目标", "Target";
    decomposition_city: "全市目标", "City goal";
    decomposition_sum: "区县合计", "Districts' total";
    decomposition_gap: "差额", "Difference";
    decomposition_every_year: "每年", "Every year";
    decomposition_source: "来源", "Source";
    decomposition_set: "已分解", "Decomposed";
    decomposition_unset: "未分解", "Not decomposed";
    decomposition_save: "保存", "Save";
    decomposition_saved: "已保存分解目标", "Goal saved";
    decomposition_help: "每个区县(市)一行,填写各目标年份的目标值后点该行的“保存”。区县填报的是已分解给它的目标。", "One line per district: type its goal for each target year and press that line's Save. A district reports the targets decomposed to it.";
    decomposition_matches: "区县合计与全市目标一致", "The districts add up to the city's goal";
    decomposition_gap_note: "区县合计与全市目标不一致", "The districts do not add up to the city's goal";
    decomposition_no_sum: "该目标为比率或不按比例分解,区县目标不与全市目标相加比较", "A rate or a target not shared out: district goals are not added up against the city's";
    decomposition_not_numeric: "该目标没有数值目标,不作分解", "This target has no numeric goal to decompose";
    decomposition_empty: "请至少填写一个目标值", "Type at least one goal value";
    decomposition_file_note: "命令行没有分解文件格式;本页的表格可下载为 Excel。", "The command line has no file format for decomposed goals; this page's table downloads as Excel.";
    windows: "填报窗口", "Reporting windows";
    windows_kind: "数据类型", "Data";
    windows_months_after: "期末后第几个月", "Months after the period";
    windows_due_day: "报送截止日", "Due day";
    windows_lock_day: "锁定日", "Lock day";
    windows_example: "示例", "Example";
    windows_save: "保存填报窗口", "Save the windows";
    windows_saved: "已保存填报窗口", "Windows saved";
    windows_help: "报送截止日前应报送;锁定日后填报员不能再修改该期数据(推进办仍可)。", "Values are due by the due day; after the lock day reporters can no longer change the period (the plan office still can).";
    windows_month: "月度数据", "Monthly data";
    windows_quarter: "季度数据", "Quarterly data";
    windows_year: "年度数据", "Annual data";
    windows_example_text: "{period}的数据 {due} 前报送,{lock} 后锁定", "{period}: due {due}, locks after {lock}";
    reporting_units: "填报单位", "Reporting units";
    reporting_units_help: "市级数据由牵头单位(或推进办指派的单位)和配合单位填报,区县数据由已分解到的区县填报。牵头、配合单位由计划文件规定:要改变,请修改计划文件并在“计划版本”页载入新版本(动态调整)。", "City values are reported by the lead (or the unit the plan office assigned) and co-units, district values by the districts a target is decomposed to. Lead and co-units are set by the plan file: to change them, edit the plan file and load it as a new version on the Plan versions page.";
    reporting_city_unit: "市级数据填报单位", "Reports the city value";
    reporting_assigned: "推进办指派", "assigned by the plan office";
    reporting_assign: "指派填报单位", "Assign a reporting unit";
    reporting_assign_help: "牵头单位不掌握数据时,推进办可指派另一市级部门填报该目标的市级数据:计划原文不变,配合单位仍可填报。须写明理由;每次指派都有记录,指派回牵头单位即恢复原状。", "Where the lead does not hold the figures, the plan office assigns another city department to report the target's city value: the plan's words stay, co-units still report. Give the reason; every assignment is kept, and assigning the lead again restores the plan's.";
    reporting_assign_unit: "填报单位", "Reporting unit";
    reporting_assign_reason: "指派理由", "Reason";
    reporting_assign_save: "指派", "Assign";
    reporting_assign_history: "指派记录", "Assignments made";
    reporting_districts: "已分解到的区县", "Decomposed to";
    reporting_derived: "由名单或统计数据计算,无需填报", "Counted from the lists or the statistics: nobody reports it";
    not_a_number_field: "不是数字", "not a number";
    not_a_period: "不是期别(如 2027-01、2027Q1、2027)", "not a period (e.g. 2027-01, 2027Q1, 2027)";

}

impl Words {
    pub fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// The label of a field of a target, as a plan version's differences name it.
    pub fn plan_field(&self, field: &str) -> &'static str {
        match field {
            "indicator" => self.field_indicator,
            "unit" => self.field_unit,
            "kind" => self.field_kind,
            "direction" => self.field_direction,
            "comparator" => self.field_comparator,
            "years" => self.field_years,
            "goal" => self.field_goal,
            "baseline" => self.field_baseline,
            "lead" => self.lead_unit,
            "co" => self.co_units,
            "source_text" => self.field_source_text,
            "frequency" => self.field_frequency,
            "basis" => self.field_basis,
            "tolerance" => self.field_tolerance,
            "district_goal" => self.field_district_goal,
            _ => "",
        }
    }

    /// The label of a field of a list entry, by its column name in the list's file.
    pub fn field(&self, column: &str) -> &'static str {
        match column {
            "credit_code" => self.credit_code,
            "code" => self.code,
            "name" => self.name,
            "district" => self.district,
            "industry" => self.industry,
            "above_scale" => self.above_scale,
            "clusters" => self.clusters,
            "cluster_reason" => self.cluster_reason,
            "cluster" => self.cluster,
            "honour" | "honours" => self.honour,
            "level" => self.level,
            "granted" => self.granted,
            "revoked" => self.revoked_on,
            "note" => self.note,
            "owner" => self.owner,
            "category" => self.category,
            "origin" => self.origin,
            "investment" => self.investment,
            "signed" => self.signed,
            "landed" => self.landed,
            "started" => self.started,
            "completed" => self.completed,
            "stages" => self.stage_dates,
            "invested" => self.invested,
            "kind" => self.entry_kind,
            "area_mu" => self.area_mu,
            "leading_cluster" => self.leading_cluster,
            "established" => self.established,
            "renovations" => self.renovations,
            "host" => self.host,
            "recognized" => self.recognized,
            "reason" => self.reason,
            _ => "",
        }
    }
}
