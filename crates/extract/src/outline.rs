//! Projects and tasks as a document's headings give them: projects at `(一)` where the text has
//! such headings, else at `一、`; tasks at `1.` (or `(1)` where the text has no `1.`). Text
//! outside any item belongs to a task of its section or project, made when a target needs it.

use std::collections::HashMap;

use crate::structure::{Heading, Level};
use crate::{Project, Task};

/// Projects and tasks as the headings come.
pub(crate) struct Outline {
    level: Option<Level>,
    projects: Vec<Project>,
    tasks: Vec<Task>,
    project: Option<u32>,
    task: Option<usize>,
    section: Option<String>,
    catch_all: HashMap<(u32, Option<String>), usize>,
    /// Tasks per project so far.
    counts: HashMap<u32, usize>,
}

impl Outline {
    /// The outline a document's headings make, and the headings that make it: `(1)` headings
    /// are items only where the text has no `1.` items.
    pub fn of(headings: &mut [Option<Heading>]) -> Self {
        let has = |headings: &[Option<Heading>], level| headings.iter().flatten().any(|h| h.level == level);
        if has(headings, Level::Item) {
            for heading in headings.iter_mut() {
                if heading.as_ref().is_some_and(|h| h.level == Level::SubItem) {
                    *heading = None;
                }
            }
        }
        let project_level = [Level::Subsection, Level::Section].into_iter().find(|level| has(headings, *level));
        Outline::new(project_level)
    }

    fn new(level: Option<Level>) -> Self {
        Outline {
            level,
            projects: Vec::new(),
            tasks: Vec::new(),
            project: None,
            task: None,
            section: None,
            catch_all: HashMap::new(),
            counts: HashMap::new(),
        }
    }

    pub fn heading(&mut self, level: Level, title: String) {
        match (level, self.level) {
            (Level::Item | Level::SubItem, _) => {
                let project = self.current_project();
                self.task = Some(self.new_task(project, title));
            }
            (l, Some(project_level)) if l == project_level => {
                let number = self.projects.last().map_or(0, |p| p.number) + 1;
                self.projects.push(Project { number, name: title });
                self.project = Some(number);
                self.task = None;
                self.section = None;
            }
            _ => {
                // A section above the projects (一、总体要求 when projects are (一)…).
                self.project = None;
                self.task = None;
                self.section = Some(title);
            }
        }
    }

    fn current_project(&mut self) -> u32 {
        if let Some(p) = self.project {
            return p;
        }
        if self.projects.first().is_none_or(|p| p.number != 0) {
            let name = self.section.clone().unwrap_or_else(|| "总体目标".to_string());
            self.projects.insert(0, Project { number: 0, name });
        }
        0
    }

    fn new_task(&mut self, project: u32, name: String) -> usize {
        let n = self.counts.entry(project).or_insert(0);
        *n += 1;
        let n = *n;
        let name: String = name.chars().take(60).collect();
        self.tasks.push(Task { id: format!("{project}.{n}"), project, name, units: Vec::new() });
        self.tasks.len() - 1
    }

    /// The task the current text belongs to: the current item, or one for the text of the
    /// section or project outside any item.
    pub fn task(&mut self) -> usize {
        if let Some(t) = self.task {
            return t;
        }
        let project = self.current_project();
        let key = (project, self.section.clone());
        if let Some(t) = self.catch_all.get(&key) {
            return *t;
        }
        let project_name = if project == 0 { None } else { self.projects.last().map(|p| p.name.clone()) };
        let name = match (&self.section, project_name) {
            (Some(section), _) if project == 0 => section.clone(),
            (_, Some(name)) => name,
            _ => "总体目标".to_string(),
        };
        let t = self.new_task(project, name);
        self.catch_all.insert(key, t);
        t
    }

    pub fn add_units(&mut self, task: usize, names: Vec<String>) {
        if let Some(task) = self.tasks.get_mut(task) {
            for name in names {
                if !task.units.contains(&name) {
                    task.units.push(name);
                }
            }
        }
    }

    pub fn finish(self) -> (Vec<Project>, Vec<Task>) {
        (self.projects, self.tasks)
    }
}
