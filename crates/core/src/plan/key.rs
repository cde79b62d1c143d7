//! The key a value is reported under: a target's id, and for a two-sided (`direction`) target
//! one of its measures, written `2.1.2:rank` in files, forms and the API.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

/// A target's id as the plan writes it (`2.1.2`), where it keys data with an org unit's name
/// beside it ([`crate::eval::Decompositions`]): the two can't be swapped.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TargetId(String);

impl TargetId {
    /// The id `id`.
    pub fn new(id: &str) -> TargetId {
        TargetId(id.to_string())
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TargetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A target's id with the measure a value is of, if the target has measures.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TargetKey {
    /// The target's id (`2.1.2`).
    pub id: String,
    /// The measure's key (`rank`), for a target with measures.
    pub measure: Option<String>,
}

impl TargetKey {
    /// The key of `id`'s values, of `measure` if given.
    pub fn new(id: &str, measure: Option<&str>) -> TargetKey {
        TargetKey { id: id.to_string(), measure: measure.map(str::to_string) }
    }
}

impl fmt::Display for TargetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.measure {
            Some(measure) => write!(f, "{}:{measure}", self.id),
            None => f.write_str(&self.id),
        }
    }
}

/// Any text is a key: what follows the first `:` is the measure. Whether the target and the
/// measure exist is the plan's question (`observation::check`).
impl FromStr for TargetKey {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<TargetKey, Infallible> {
        Ok(match text.split_once(':') {
            Some((id, measure)) => TargetKey::new(id, Some(measure)),
            None => TargetKey::new(text, None),
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_key_names_the_measure_after_a_colon() {
        let Ok(rank) = "2.1.2:rank".parse::<TargetKey>();
        assert_eq!(rank, TargetKey::new("2.1.2", Some("rank")));
        let Ok(plain) = "3.3.1".parse::<TargetKey>();
        assert_eq!(plain, TargetKey::new("3.3.1", None));
        assert_eq!(rank.to_string(), "2.1.2:rank");
        assert_eq!(plain.to_string(), "3.3.1");
    }

    proptest! {
        #[test]
        fn a_key_reads_back_as_written(id in "[0-9.]{1,8}", measure in proptest::option::of("[a-z_:]{0,8}")) {
            let key = TargetKey::new(&id, measure.as_deref());
            let Ok(read) = key.to_string().parse::<TargetKey>();
            prop_assert_eq!(read, key);
        }
    }
}
