//! The audit log as people read it: each action's name in Chinese (提交审核, 审核通过, 目标分解 …)
//! and an entry's before and after as the fields that changed. Entries store machine codes and
//! JSON; this turns them into words without changing what is stored (the chain hashes it).

use serde_json::Value;

/// Every action code the store writes, with its name.
const ACTIONS: &[(&str, &str, &str)] = &[
    ("observation.create", "新建数据", "value created"),
    ("observation.update", "修改数据", "value changed"),
    ("observation.submit", "提交审核", "submitted"),
    ("observation.approve", "审核通过", "approved"),
    ("observation.return", "退回", "returned"),
    ("import", "导入填报表", "form imported"),
    ("decomposition.set", "目标分解", "goal decomposed"),
    ("plan.load", "载入规划版本", "plan version loaded"),
    ("windows.set", "设置报送时限", "reporting windows set"),
    ("settings.separate_duties", "设置审核分离", "separation of duties set"),
    ("user.add", "新增用户", "user added"),
    ("user.passwd", "重置密码", "password set"),
    ("user.enable", "启用用户", "user enabled"),
    ("user.disable", "停用用户", "user disabled"),
    ("login", "登录", "signed in"),
    ("list.add", "新增清单条目", "list entry added"),
    ("list.change", "修改清单条目", "list entry changed"),
    ("list.remove", "移除清单条目", "list entry removed"),
    ("list.import", "导入清单", "list imported"),
    ("stats.import", "导入统计数据", "statistics imported"),
    ("catalog.load", "载入集群目录", "cluster catalog loaded"),
    ("warning_rules.set", "设置预警规则", "warning rules set"),
    ("warning.raised", "生成预警", "warning raised"),
    ("warning.acknowledged", "签收预警", "warning acknowledged"),
    ("warning.measures", "填写整改措施", "measures set"),
    ("warning.resolved", "解除预警", "warning resolved"),
    ("warning.reopened", "重新打开预警", "warning reopened"),
    ("warning.refreshed", "更新预警", "warning refreshed"),
    ("notice.remind", "催报", "reminder sent"),
    ("notice.due_soon", "截止提醒", "deadline reminder"),
];

/// The action codes a filter offers, in the order above.
pub fn action_codes() -> impl Iterator<Item = &'static str> {
    ACTIONS.iter().map(|(code, _, _)| *code)
}

/// An action's name; an unknown code (a newer store) as it is.
pub fn action_label(code: &str, zh: bool) -> String {
    ACTIONS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, label_zh, label_en)| if zh { *label_zh } else { *label_en }.to_string())
}

/// Sign-ins are counted apart from the changes.
pub fn is_sign_in(code: &str) -> bool {
    code == "login"
}

fn field_label(key: &str) -> &str {
    match key {
        "target" | "target_id" => "指标",
        "org_unit" => "单位",
        "period" => "数据期",
        "value" => "数值",
        "comment" => "情况说明",
        "state" => "状态",
        "revision" => "版本",
        "role" => "角色",
        "display_name" => "姓名",
        "disabled" => "停用",
        "goal" => "目标",
        "reason" => "原因",
        "reports" => "逾期项数",
        "days" => "最长逾期天数",
        "recipients" => "接收人",
        "message" => "内容",
        "due" => "截止日期",
        other => other,
    }
}

fn value_text(key: &str, value: &Value) -> String {
    match (key, value) {
        ("state", Value::String(s)) => match s.as_str() {
            "draft" => "草稿".into(),
            "submitted" => "待审核".into(),
            "approved" => "已审核".into(),
            "returned" => "已退回".into(),
            // A warning's states have codes of their own.
            other => crate::warnings::WarningState::from_code(other)
                .map_or_else(|| other.into(), |state| crate::i18n::Labelled::label_zh(state).into()),
        },
        ("role", Value::String(s)) => s
            .parse::<crate::access::Role>()
            .map_or_else(|_| s.clone(), |role| crate::i18n::Labelled::label_zh(role).to_string()),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Null) => "—".into(),
        (_, Value::Array(items)) => items.iter().map(|v| value_text(key, v)).collect::<Vec<_>>().join("、"),
        (_, other) => other.to_string(),
    }
}

/// One field that an entry changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The field's name in words (数值, 状态 …).
    pub field: String,
    /// `None` where the field was not there (before a creation, after a removal).
    pub before: Option<String>,
    /// Its value after (`None` where it was removed).
    pub after: Option<String>,
}

impl Change {
    /// "数值: 7 → 8", "状态: 待审核", "情况说明: 已删除".
    pub fn line(&self) -> String {
        match (&self.before, &self.after) {
            (Some(b), Some(a)) => format!("{}: {b} → {a}", self.field),
            (None, Some(a)) => format!("{}: {a}", self.field),
            (Some(b), None) => format!("{}: {b} → —", self.field),
            (None, None) => self.field.clone(),
        }
    }
}

fn fields(text: &str) -> Vec<(String, Value)> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map.into_iter().collect(),
        _ if text.trim().is_empty() => Vec::new(),
        Ok(other) => vec![(String::new(), other)],
        Err(_) => vec![(String::new(), Value::String(text.to_string()))],
    }
}

/// The fields whose value differs between `before` and `after` (JSON objects, or any text),
/// by field name, then those only `before` had. A creation lists every field.
pub fn diff(before: &str, after: &str) -> Vec<Change> {
    let old = fields(before);
    let new = fields(after);
    let find = |list: &[(String, Value)], key: &str| list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let mut changes = Vec::new();
    for (key, value) in &new {
        let previous = find(&old, key);
        if previous.as_ref() != Some(value) {
            changes.push(Change {
                field: field_label(key).to_string(),
                before: previous.map(|v| value_text(key, &v)),
                after: Some(value_text(key, value)),
            });
        }
    }
    for (key, value) in old.iter().filter(|(k, _)| find(&new, k).is_none()) {
        changes.push(Change { field: field_label(key).to_string(), before: Some(value_text(key, value)), after: None });
    }
    changes
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn actions_read_in_chinese() {
        assert_eq!(action_label("observation.submit", true), "提交审核");
        assert_eq!(action_label("observation.approve", true), "审核通过");
        assert_eq!(action_label("decomposition.set", true), "目标分解");
        assert_eq!(action_label("something.new", true), "something.new");
        assert!(is_sign_in("login") && !is_sign_in("observation.submit"));
    }

    #[test]
    fn a_change_lists_only_what_changed_in_words() {
        let before = r#"{"target":"1.2.1","value":7.0,"state":"draft","comment":"a"}"#;
        let after = r#"{"target":"1.2.1","value":8.0,"state":"submitted","comment":"a"}"#;
        let lines: Vec<String> = diff(before, after).iter().map(Change::line).collect();
        assert_eq!(lines, ["状态: 草稿 → 待审核", "数值: 7.0 → 8.0"]);
        let warning: Vec<String> =
            diff(r#"{"state":"new"}"#, r#"{"state":"acknowledged"}"#).iter().map(Change::line).collect();
        assert_eq!(warning, ["状态: 新 → 已签收"]);
        let created: Vec<String> =
            diff("", r#"{"role":"reporter","org_unit":"市科技局"}"#).iter().map(Change::line).collect();
        assert_eq!(created, ["单位: 市科技局", "角色: 填报员"]);
        assert_eq!(diff("plain", "plain"), []);
        assert_eq!(diff("old text", "").iter().map(Change::line).collect::<Vec<_>>(), [": old text → —"]);
    }

    proptest! {
        /// Whatever the text, a diff never panics, and identical texts have none.
        #[test]
        fn a_diff_of_anything_is_safe(before in ".{0,60}", after in ".{0,60}") {
            let _ = diff(&before, &after);
            prop_assert!(diff(&after, &after).is_empty());
        }
    }
}
