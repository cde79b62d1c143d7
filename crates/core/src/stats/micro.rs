//! Enterprise-month microdata in columns: one slice per month, rows sorted by enterprise.
//! Months are shared between versions of the microdata, so that an import of a month builds
//! that month again and nothing else.

use std::collections::HashMap;
use std::sync::Arc;

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

    /// Sorts the rows by enterprise; of two rows for the same enterprise the later one stays.
    /// Rows usually arrive in order, which this finds in one scan.
    fn settle(&mut self) {
        if self.enterprises.windows(2).all(|w| w[0] < w[1]) {
            return;
        }
        let mut order: Vec<usize> = (0..self.enterprises.len()).collect();
        order.sort_by_key(|&i| self.enterprises[i]);
        let mut settled =
            Slice { enterprises: Vec::with_capacity(order.len()), values: Vec::with_capacity(order.len()) };
        for (k, &i) in order.iter().enumerate() {
            if order.get(k + 1).is_some_and(|&next| self.enterprises[next] == self.enterprises[i]) {
                continue;
            }
            settled.enterprises.push(self.enterprises[i]);
            settled.values.push(self.values[i]);
        }
        *self = settled;
    }
}

#[derive(Clone, Debug, Default)]
/// Enterprise microdata, in monthly column slices sorted by enterprise.
pub struct Microdata {
    codes: Vec<String>,
    ids: HashMap<String, u32>,
    /// The month index of `months[0]`.
    first: i32,
    months: Vec<Arc<Slice>>,
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
        usize::try_from(month - self.first).ok().and_then(|i| self.months.get(i)).map(|slice| &**slice)
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
            + self.months.capacity() * (std::mem::size_of::<Slice>() + std::mem::size_of::<Arc<Slice>>());
        let codes: usize = self.codes.iter().map(|c| c.capacity() + std::mem::size_of::<String>()).sum();
        // The map holds its own copy of each code, and a slot per entry.
        slices + codes * 2 + self.ids.capacity() * (std::mem::size_of::<(String, u32)>() + 1)
    }

    /// These microdata with `rows` added, each replacing the same enterprise-month: the months
    /// they touch are built again, the others shared.
    pub fn with_rows<'a>(&self, rows: impl IntoIterator<Item = (&'a str, i32, [i64; MEASURES])>) -> Microdata {
        let mut added = MicrodataBuilder { codes: self.codes.clone(), ids: self.ids.clone(), rows: Vec::new() };
        for (code, month, values) in rows {
            added.push(code, month, values);
        }
        let Some((first, last)) = added.span() else { return self.clone() };
        let (first, last) = match self.span_of_slices() {
            Some((a, b)) => (first.min(a), last.max(b)),
            None => (first, last),
        };
        let mut months: Vec<Arc<Slice>> = (first..=last)
            .map(|month| {
                self.slice(month)
                    .map_or_else(|| Arc::new(Slice::default()), |_| self.months[(month - self.first) as usize].clone())
            })
            .collect();
        let mut touched = vec![false; months.len()];
        for (month, id, values) in added.rows {
            let i = (month - first) as usize;
            let slice = Arc::make_mut(&mut months[i]);
            slice.enterprises.push(id);
            slice.values.push(values);
            touched[i] = true;
        }
        for (slice, touched) in months.iter_mut().zip(touched) {
            if touched {
                Arc::make_mut(slice).settle();
            }
        }
        Microdata { codes: added.codes, ids: added.ids, first, months }
    }

    /// The months the slices cover (empty ones too).
    fn span_of_slices(&self) -> Option<(i32, i32)> {
        (!self.months.is_empty()).then(|| (self.first, self.first + self.months.len() as i32 - 1))
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
        // Files list an enterprise's months together: the previous row's id is usually this one's.
        let previous = self.rows.last().map(|row| row.1).filter(|id| self.codes[*id as usize] == credit_code);
        let id = match previous.or_else(|| self.ids.get(credit_code).copied()) {
            Some(id) => id,
            None => {
                let id = self.codes.len() as u32;
                self.codes.push(credit_code.to_string());
                self.ids.insert(credit_code.to_string(), id);
                id
            }
        };
        self.rows.push((month, id, values));
    }

    fn span(&self) -> Option<(i32, i32)> {
        Some((self.rows.iter().map(|r| r.0).min()?, self.rows.iter().map(|r| r.0).max()?))
    }

    /// The microdata, sorted.
    pub fn build(self) -> Microdata {
        let Some((first, last)) = self.span() else {
            return Microdata { codes: self.codes, ids: self.ids, first: 0, months: Vec::new() };
        };
        let mut counts = vec![0usize; (last - first + 1) as usize];
        for row in &self.rows {
            counts[(row.0 - first) as usize] += 1;
        }
        let mut months: Vec<Slice> = counts
            .iter()
            .map(|&n| Slice { enterprises: Vec::with_capacity(n), values: Vec::with_capacity(n) })
            .collect();
        for (month, id, values) in self.rows {
            let slice = &mut months[(month - first) as usize];
            slice.enterprises.push(id);
            slice.values.push(values);
        }
        let months = months
            .into_iter()
            .map(|mut slice| {
                slice.settle();
                Arc::new(slice)
            })
            .collect();
        Microdata { codes: self.codes, ids: self.ids, first, months }
    }
}
