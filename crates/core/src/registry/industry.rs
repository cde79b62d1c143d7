//! The national industry classification GB/T 4754-2017 (国民经济行业分类): 门类, 大类, 中类 and
//! 小类 with their names, shipped as `data/gbt4754-2017.csv`.

use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// The levels of GB/T 4754-2017.
pub enum Level {
    /// 门类 (a letter).
    Section,
    /// 大类 (two digits).
    Division,
    /// 中类 (three digits).
    Group,
    /// 小类 (four digits).
    Class,
}

#[derive(Clone, Debug)]
/// A code of GB/T 4754-2017.
pub struct IndustryCode {
    /// The code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its level.
    pub level: Level,
    /// The code of the level above.
    pub parent: Option<String>,
}

#[derive(Clone, Debug, Default)]
/// The GB/T 4754-2017 table.
pub struct IndustryCodes {
    codes: HashMap<String, IndustryCode>,
}

impl IndustryCodes {
    /// Parses the table: `code,name,level,parent` with a header line; names contain no commas.
    pub fn parse(file: &str, text: &str) -> Result<IndustryCodes, String> {
        let mut codes = HashMap::new();
        for (i, line) in text.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()) {
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let [code, name, level, parent] = fields[..] else {
                return Err(format!("{file}:{}: expected code,name,level,parent", i + 1));
            };
            let level = match level {
                "section" => Level::Section,
                "division" => Level::Division,
                "group" => Level::Group,
                "class" => Level::Class,
                other => return Err(format!("{file}:{}: unknown level \"{other}\"", i + 1)),
            };
            let entry = IndustryCode {
                code: code.to_string(),
                name: name.to_string(),
                level,
                parent: (!parent.is_empty()).then(|| parent.to_string()),
            };
            if codes.insert(code.to_string(), entry).is_some() {
                return Err(format!("{file}:{}: duplicate code {code}", i + 1));
            }
        }
        Ok(IndustryCodes { codes })
    }

    /// The table shipped with the project (data/gbt4754-2017.csv), parsed once.
    pub fn builtin() -> &'static IndustryCodes {
        static TABLE: std::sync::OnceLock<IndustryCodes> = std::sync::OnceLock::new();
        // The shipped table is checked by this module's tests; an empty table would only make
        // every code unknown, never wrong.
        TABLE.get_or_init(|| {
            IndustryCodes::parse("data/gbt4754-2017.csv", include_str!("../../../../data/gbt4754-2017.csv"))
                .unwrap_or_default()
        })
    }

    /// The entry of `code`.
    pub fn get(&self, code: &str) -> Option<&IndustryCode> {
        self.codes.get(code)
    }

    /// Checks that `code` is a 4-digit 小类 of the table.
    pub fn check_class(&self, code: &str) -> Result<&IndustryCode, String> {
        match self.codes.get(code.trim()) {
            Some(entry) if entry.level == Level::Class => Ok(entry),
            Some(entry) => Err(format!(
                "行业代码 {code} ({}) 不是小类,请填4位小类代码 (industry code {code} is not a 4-digit class)",
                entry.name
            )),
            None => Err(format!("行业代码 {code} 不在 GB/T 4754-2017 中 (unknown industry code {code})")),
        }
    }

    /// How many codes of `level` there are.
    pub fn count(&self, level: Level) -> usize {
        self.codes.values().filter(|c| c.level == level).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = include_str!("../../../../data/gbt4754-2017.csv");

    #[test]
    fn the_shipped_table_has_every_level() {
        let codes = IndustryCodes::parse("gbt4754", TABLE).expect("table");
        assert_eq!(codes.count(Level::Section), 20);
        assert_eq!(codes.count(Level::Division), 97);
        assert_eq!(codes.count(Level::Group), 473);
        assert!(codes.count(Level::Class) >= 1380);
        assert_eq!(codes.get("2511").map(|c| c.name.as_str()), Some("原油加工及石油制品制造"));
        assert_eq!(codes.get("2511").and_then(|c| c.parent.as_deref()), Some("251"));
    }

    #[test]
    fn only_classes_identify_an_enterprises_industry() {
        let codes = IndustryCodes::parse("gbt4754", TABLE).expect("table");
        assert!(codes.check_class("3612").is_ok());
        assert!(codes.check_class("361").unwrap_err().contains("不是小类"));
        assert!(codes.check_class("9999").unwrap_err().contains("不在"));
    }
}
