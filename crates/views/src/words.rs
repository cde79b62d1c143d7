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
    completion: "完成率", "Completion";
    expected: "序时进度", "Expected";
    progress: "进度", "Progress";
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
    form_units: "里程碑类指标填写完成进度(0至1,1表示已完成);百分比指标填写百分数数值(如 65 表示 65%)。",
        "Milestones take the share done (0 to 1, 1 = done); percentages take the number (65 for 65%).";
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
    footer: "数据口径与计算方法见《评价方法说明》;序时进度按基期至目标年线性计算。",
        "Progress is measured against a linear path from the baseline to each target year.";
    synthetic: "合成数据", "synthetic";
}

impl Words {
    pub fn of(lang: Lang) -> &'static Words {
        match lang {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}
