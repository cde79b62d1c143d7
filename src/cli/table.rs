//! Plain-text tables for the terminal, aligned by display width (a Chinese character takes two
//! columns), with optional ANSI colour.

use std::io::{self, IsTerminal, Write};

use plan361_core::eval::Status;
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Clone, Copy)]
pub enum Colour {
    Green,
    Blue,
    Yellow,
    Red,
    Magenta,
    BoldRed,
    Cyan,
    Grey,
}

impl Colour {
    fn code(self) -> &'static str {
        match self {
            Colour::Green => "32",
            Colour::Blue => "34",
            Colour::Yellow => "33",
            Colour::Red => "31",
            Colour::Magenta => "35;1",
            Colour::BoldRed => "31;1",
            Colour::Cyan => "36",
            Colour::Grey => "90",
        }
    }

    pub fn of_status(status: Status) -> Colour {
        match status {
            Status::Achieved => Colour::Green,
            Status::OnTrack => Colour::Blue,
            Status::NeedsAcceleration => Colour::Yellow,
            Status::OffTrack => Colour::Red,
            Status::MovingAway => Colour::Magenta,
            Status::Missed => Colour::BoldRed,
            Status::Baseline => Colour::Cyan,
            Status::NoData => Colour::Grey,
        }
    }
}

pub struct Table {
    columns: Vec<(String, Align)>,
    rows: Vec<Vec<(String, Option<Colour>)>>,
}

impl Table {
    pub fn new(columns: &[(&str, Align)]) -> Self {
        Table { columns: columns.iter().map(|(name, align)| (name.to_string(), *align)).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<(String, Option<Colour>)>) {
        self.rows.push(cells);
    }

    pub fn print(&self, out: &mut impl Write, colour: bool) -> io::Result<()> {
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|i| {
                let cells = self.rows.iter().filter_map(|r| r.get(i)).map(|(text, _)| text.width());
                cells.chain([self.columns[i].0.width()]).max().unwrap_or(0)
            })
            .collect();
        let header: Vec<(String, Option<Colour>)> = self.columns.iter().map(|(name, _)| (name.clone(), None)).collect();
        self.print_row(out, &header, &widths, false)?;
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        writeln!(out, "{}", rule.join("──"))?;
        for row in &self.rows {
            self.print_row(out, row, &widths, colour)?;
        }
        Ok(())
    }

    fn print_row(
        &self,
        out: &mut impl Write,
        row: &[(String, Option<Colour>)],
        widths: &[usize],
        colour: bool,
    ) -> io::Result<()> {
        let mut line = String::new();
        for (i, ((text, style), width)) in row.iter().zip(widths).enumerate() {
            let pad = " ".repeat(width.saturating_sub(text.width()));
            let shown = match style {
                Some(c) if colour => format!("\x1b[{}m{text}\x1b[0m", c.code()),
                _ => text.clone(),
            };
            let last = i + 1 == row.len();
            match self.columns[i].1 {
                Align::Left if last => line.push_str(&shown),
                Align::Left => line.push_str(&format!("{shown}{pad}")),
                Align::Right => line.push_str(&format!("{pad}{shown}")),
            }
            if !last {
                line.push_str("  ");
            }
        }
        writeln!(out, "{}", line.trim_end())
    }
}

/// Whether to colour standard output: a terminal, and NO_COLOR unset.
pub fn colour_stdout() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
