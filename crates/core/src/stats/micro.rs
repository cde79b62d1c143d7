//! Enterprise-month microdata in columns: one slice per month, rows sorted by enterprise.

use std::collections::HashMap;

use super::MEASURES;

/// One enterprise's 1–N月 values for one month (scaled, in the order of [`super::Measure::ALL`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MicroRow {
    /// The enterprise's credit code.
    pub credit_code: String,
    /// [`super::month_index`] of the period.
    pub month: i32,
    /// The values of every measure, scaled.
    pub values: [i64; MEASURES],
}

/// The rows of one month: enterprise ids ascending, their values alongside.
#[derive(Clone, Debug, Default)]
pub(crate) struct Slice {
    pub enterprises: Vec<u32>,
    pub values: Vec<[i64; MEASURES]>,
}

impl Slice {
    fn find(&self, enterprise: u32) -> Option<&[i64; MEASURES]> {
        self.enterprises.binary_search(&enterprise).ok().map(|i| &self.values[i])
    }
}

#[derive(Clone, Debug, Default)]
/// Enterprise microdata, in monthly column slices sorted by enterprise.
pub struct Microdata {
    codes: Vec<String>,
    ids: HashMap<String, u32>,
    /// The month index of `months[0]`.
    first: i32,
    months: Vec<Slice>,
}

impl Microdata {
    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.months.iter().all(|m| m.enterprises.is_empty())
    }

    /// How many rows (enterprise-months) there are.
    pub fn rows(&self) -> usize {
        self.months.iter().map(|m| m.enterprises.len()).sum()
    }

    /// The first and last months holding any row.
    pub fn span(&self) -> Option<(i32, i32)> {
        let first = self.months.iter().position(|m| !m.enterprises.is_empty())?;
        let last = self.months.iter().rposition(|m| !m.enterprises.is_empty())?;
        Some((self.first + first as i32, self.first + last as i32))
    }

    /// How many enterprises there are.
    pub fn enterprise_count(&self) -> usize {
        self.codes.len()
    }

    /// The credit code of enterprise `id`.
    pub fn code(&self, id: u32) -> &str {
        &self.codes[id as usize]
    }

    /// The id of the enterprise of `code`.
    pub fn id(&self, code: &str) -> Option<u32> {
        self.ids.get(code).copied()
    }

    pub(crate) fn slice(&self, month: i32) -> Option<&Slice> {
        usize::try_from(month - self.first).ok().and_then(|i| self.months.get(i))
    }

    /// An enterprise's values in a month.
    pub fn get(&self, code: &str, month: i32) -> Option<&[i64; MEASURES]> {
        let id = self.id(code)?;
        self.slice(month)?.find(id)
    }

    /// Every row, month by month and enterprise by enterprise.
    pub fn iter(&self) -> impl Iterator<Item = (&str, i32, &[i64; MEASURES])> {
        self.months.iter().enumerate().flat_map(move |(i, slice)| {
            let month = self.first + i as i32;
            slice.enterprises.iter().zip(&slice.values).map(move |(id, values)| (self.code(*id), month, values))
        })
    }

    /// The bytes held by the columns (ids, values and the code dictionary), for the memory
    /// budget.
    pub fn heap_bytes(&self) -> usize {
        let slices: usize = self
            .months
            .iter()
            .map(|m| m.enterprises.capacity() * 4 + m.values.capacity() * MEASURES * 8)
            .sum::<usize>()
            + self.months.capacity() * std::mem::size_of::<Slice>();
        let codes: usize = self.codes.iter().map(|c| c.capacity() + std::mem::size_of::<String>()).sum();
        // The map holds its own copy of each code, and a slot per entry.
        slices + codes * 2 + self.ids.capacity() * (std::mem::size_of::<(String, u32)>() + 1)
    }

    /// A builder holding these rows, to which more can be added (replacing the same
    /// enterprise-month).
    pub fn to_builder(&self) -> MicrodataBuilder {
        let mut builder =
            MicrodataBuilder { codes: self.codes.clone(), ids: self.ids.clone(), ..MicrodataBuilder::default() };
        for (i, slice) in self.months.iter().enumerate() {
            let month = self.first + i as i32;
            for (id, values) in slice.enterprises.iter().zip(&slice.values) {
                builder.rows.push((month, *id, *values));
            }
        }
        builder
    }
}

/// Collects rows in any order; [`MicrodataBuilder::build`] sorts them into slices. A later row
/// for the same enterprise and month replaces an earlier one.
#[derive(Clone, Debug, Default)]
pub struct MicrodataBuilder {
    codes: Vec<String>,
    ids: HashMap<String, u32>,
    rows: Vec<(i32, u32, [i64; MEASURES])>,
}

impl MicrodataBuilder {
    /// A builder for about `rows` rows.
    pub fn with_capacity(rows: usize) -> MicrodataBuilder {
        MicrodataBuilder { rows: Vec::with_capacity(rows), ..MicrodataBuilder::default() }
    }

    /// Adds an enterprise-month.
    pub fn push(&mut self, credit_code: &str, month: i32, values: [i64; MEASURES]) {
        let id = match self.ids.get(credit_code) {
            Some(id) => *id,
            None => {
                let id = self.codes.len() as u32;
                self.codes.push(credit_code.to_string());
                self.ids.insert(credit_code.to_string(), id);
                id
            }
        };
        self.rows.push((month, id, values));
    }

    /// The microdata, sorted.
    pub fn build(self) -> Microdata {
        let (Some(first), Some(last)) = (self.rows.iter().map(|r| r.0).min(), self.rows.iter().map(|r| r.0).max())
        else {
            return Microdata { codes: self.codes, ids: self.ids, first: 0, months: Vec::new() };
        };
        // Bucket by month, then sort each month by enterprise: rows usually arrive in order,
        // which the stable sort passes through in one scan.
        let mut counts = vec![0usize; (last - first + 1) as usize];
        for row in &self.rows {
            counts[(row.0 - first) as usize] += 1;
        }
        let mut months: Vec<Slice> = counts
            .iter()
            .map(|&n| Slice { enterprises: Vec::with_capacity(n), values: Vec::with_capacity(n) })
            .collect();
        let mut order: Vec<Vec<(u32, usize)>> = counts.iter().map(|&n| Vec::with_capacity(n)).collect();
        for (i, row) in self.rows.iter().enumerate() {
            order[(row.0 - first) as usize].push((row.1, i));
        }
        for (slice, mut rows) in months.iter_mut().zip(order) {
            rows.sort_by_key(|(id, _)| *id);
            for (k, (id, i)) in rows.iter().enumerate() {
                // Of two rows for the same enterprise-month, the later one is kept.
                if rows.get(k + 1).is_some_and(|(next, _)| next == id) {
                    continue;
                }
                slice.enterprises.push(*id);
                slice.values.push(self.rows[*i].2);
            }
        }
        Microdata { codes: self.codes, ids: self.ids, first, months }
    }
}
