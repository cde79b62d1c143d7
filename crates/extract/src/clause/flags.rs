//! Stage 4: whether a value counts every year (`每年`), a total (`累计`, a period's total) or an
//! addition (`新增`), gathered from the item's words, its clause's and — where the item says
//! nothing of its own — the sentence's.

use super::indicator::Zone;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Flags {
    pub annual: bool,
    pub cumulative: bool,
    pub increment: bool,
    /// 力争/争取/争创 opens the words.
    pub strive: bool,
}

impl Flags {
    /// Adds what one value of a clause says: the words opening it (`opening`) and its clause
    /// (`clause`), and those next to its number (`zone`: `累计170家`, `每年50万人`). `sentence`
    /// is what the clauses before said, for a value that takes it over. Flags gathered for one
    /// value hold for the values after it in the clause; `strive` is not gathered.
    pub(super) fn gather(&mut self, opening: Flags, clause: Flags, zone: &Zone, sentence: Option<Flags>) {
        self.annual |= opening.annual || clause.annual || zone.annual;
        self.cumulative |= opening.cumulative || clause.cumulative || zone.cumulative;
        self.increment |= opening.increment || clause.increment;
        if let Some(sentence) = sentence {
            self.annual |= sentence.annual;
            self.cumulative |= sentence.cumulative;
            self.increment |= sentence.increment;
        }
    }
}
